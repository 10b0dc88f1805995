"""Claims of Gidel et al., "A Variational Inequality Perspective on Generative Adversarial Networks" (ICLR 2019)."""
from gametheory.paper_checks import gidel2019_variational_inequality as vi


def test_variational_inequality_claims(checked):
    rows = checked("gidel2019_variational_inequality")
    assert {r["verdict"] for r in rows.values() if r["kind"] != "neural"} == {"confirmed"}
    # the neural claims (tests/paper_checks/test_neural_claims.py) are not run without the neural part
    assert {r["verdict"] for r in rows.values() if r["kind"] == "neural"} <= {"inconclusive"}
    assert rows["gidel2019_variational_inequality.extragradient"]["details"]["eg_converges_for_s_in"] == ["0", "1"]
    assert rows["gidel2019_variational_inequality.omd_bilinear"]["details"]["converges_for_s_in"] == ["0", "sqrt(3)/3"]
    avg = rows["gidel2019_variational_inequality.averaging"]["details"]
    assert avg["average_distance"] < 0.01 < 0.5 < avg["last_iterate_distance"]


def test_past_extragradient_matches_optimism():
    _, iv_ogd, ok1 = vi.bilinear_intervals("ogd")
    _, iv_peg, ok2 = vi.bilinear_intervals("past_eg")
    assert ok1 and ok2 and [i["verdict"] for i in iv_ogd] == [i["verdict"] for i in iv_peg]


def test_wgan_training_claim_decides_by_the_seed_statistics(monkeypatch):
    import pytest

    pytest.importorskip("torch")
    from gametheory.claims import CheckContext
    from gametheory.neural import paper_experiments as pe
    from gametheory.paper_checks import _neural

    assert vi._check_neural_wgan_training(CheckContext(scale="quick")).ours == "not run"
    outcome = {}

    def run(modes, move):
        return {"modes": modes, "movement": move}

    def fake(seeds, **kw):
        return {"settings": kw, "per_seed": [{"seed": s, "gd": run(3, 1.0), "eg": run(3, 0.1 if outcome[s] else 2.0),
                                              "ogd": run(4, None if not outcome[s] else 0.2), "holds": outcome[s],
                                              "trained": True}
                                             for s in seeds]}

    monkeypatch.setattr(pe, "wgan_training", fake)
    for holds, verdict, scale in (([True] * 10, "confirmed", "full"), ([False] * 10, "refuted", "full"),
                                  ([True] * 7 + [False] * 3, "inconclusive", "full"), ([True] * 5, "inconclusive", "default")):
        monkeypatch.setattr(_neural, "_MEMO", {})
        outcome.update(enumerate(holds))
        res = vi._check_neural_wgan_training(CheckContext(scale=scale))
        assert res.verdict == verdict, (holds, res)
    assert res.reason.startswith("scaled down") and res.details["statistics"]["status"] == "confirmed"
    # seeds where nothing trained are left out: 10 seeds, 6 untrained -> 4 counted, too few for a verdict
    def untrained(seeds, **kw):
        out = fake(seeds, **kw)
        for r in out["per_seed"][:6]:
            r["trained"] = False
        return out

    monkeypatch.setattr(pe, "wgan_training", untrained)
    monkeypatch.setattr(_neural, "_MEMO", {})
    outcome.update(enumerate([True] * 10))
    res = vi._check_neural_wgan_training(CheckContext(scale="full"))
    assert res.verdict == "inconclusive" and "4 seed(s)" in res.reason and "left out: seeds [0, 1, 2, 3, 4, 5]" in res.ours
