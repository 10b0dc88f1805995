"""Claims of Mescheder, Geiger & Nowozin, "Which Training Methods for GANs do actually Converge?" (ICML 2018)."""


def test_dirac_gan_claims(checked):
    rows = checked("mescheder2018_dirac")
    assert {r["verdict"] for r in rows.values() if r["kind"] != "neural"} == {"confirmed"}
    # the neural claims (tests/paper_checks/test_neural_claims.py) are not run without the neural part
    assert {r["verdict"] for r in rows.values() if r["kind"] == "neural"} <= {"inconclusive"}
    for cid in ("unregularized", "wgan", "instance_noise", "r1", "consensus"):
        assert rows[f"mescheder2018_dirac.{cid}"]["details"]["eigenvalues_match"] is True
    alt = rows["mescheder2018_dirac.unregularized"]["details"]["intervals"]["alternating"]
    assert alt[0]["verdict"] == "bounded" and alt[0]["hi"]["exact"] == "4"
