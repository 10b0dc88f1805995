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
