"""Claims of Gidel et al., "Negative Momentum for Improved Game Dynamics" (AISTATS 2019)."""
import pytest
import sympy as sp

from gametheory.paper_checks import gidel2019_negative_momentum as nm


@pytest.mark.slow
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
