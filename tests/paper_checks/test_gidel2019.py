"""Gidel et al. 2019: negative momentum and the variational-inequality claims."""
import sympy as sp

from gametheory.paper_checks import gidel2019_negative_momentum as nm
from gametheory.paper_checks import gidel2019_variational_inequality as vi


def test_negative_momentum_claims(checked):
    rows = checked("gidel2019_negative_momentum")
    literal = rows.pop("gidel2019_negative_momentum.table_simultaneous_any_beta")
    assert {r["verdict"] for r in rows.values() if r["kind"] != "neural"} == {"confirmed"}
    # the neural claims (tests/paper_checks/test_neural_claims.py) are not run without the neural part
    assert {r["verdict"] for r in rows.values() if r["kind"] == "neural"} <= {"inconclusive"}
    # a finding: at beta = -1 exactly, simultaneous momentum is bounded (|mu| = 1) for eta*sigma < 2
    assert literal["verdict"] == "refuted" and literal["counterexample"].startswith("beta = -1")
    assert literal["details"]["stability_at_sample"] == "bounded"
    table = rows["gidel2019_negative_momentum.table"]["details"]["rows"]
    assert [tuple(r["ours"]) for r in table] == [tuple(p) for _, _, p in nm.PUBLISHED_TABLE]
    text = rows["gidel2019_negative_momentum.eigenvalue_formula"]["details"]["delta"]
    beta, eta, lam = sp.symbols("beta eta lam")
    delta = sp.sympify(text.replace("lambda", "lam"), locals={"beta": beta, "eta": eta, "lam": lam})
    assert sp.simplify(delta - (1 - 4 * beta / (1 - eta * lam + beta) ** 2)) == 0


def test_alternating_negative_momentum_range_is_exact():
    # beta = -1/2: converges exactly for 0 < eta*sigma < 1 (= 2 (1 + beta)), bounded at 1
    iv = nm.momentum_intervals("alternating", sp.Rational(-1, 2))
    assert iv[0]["verdict"] == "converges" and iv[0]["hi"] == 1
    assert iv[1] == {"at": 1, "verdict": "bounded"}
    assert all(i["verdict"] == "diverges" for i in nm.momentum_intervals("simultaneous", sp.Rational(-1, 2)))


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
