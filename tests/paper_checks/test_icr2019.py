"""Claims of Schäfer, Zheng & Anandkumar, "Implicit Competitive Regularization in GANs" (and Schäfer's blog post)."""
import pytest
import sympy as sp

from gametheory.claims import CheckContext


def test_icr_claims(checked):
    rows = checked("icr2019")
    assert {r["verdict"] for r in rows.values() if r["kind"] != "neural"} == {"confirmed"}
    # the neural claims (tests/paper_checks/test_neural_claims.py) are not run without the neural part
    assert {r["verdict"] for r in rows.values() if r["kind"] == "neural"} <= {"inconclusive"}
    q = rows["icr2019.quadratic_simgd"]["details"]
    assert q["radius_both_float"] < 1 < q["radius_y_alone_float"]
    iv = rows["icr2019.relative_speed"]["details"]["intervals"]
    assert iv[0]["verdict"] == "converges" and iv[0]["hi"]["exact"] == "9/532"


def test_icr_regimes_have_the_exact_edges_derived_by_hand(monkeypatch):
    """M = [[1 - 2 ex, -10 ex], [10 ey, 1 + 2 ey]]: det = 41/50 + 266/25 ey (= 1 at ey = 9/532); the pair
    turns real where (tr/2)^2 = det: 4 ey^2 - 882/25 ey + 81/2500 = 0, ey = 441/100 -+ 9 sqrt(6)/5."""
    from gametheory.paper_checks.icr2019 import _check_relative_speed, relative_speed_regimes

    regimes, _ = relative_speed_regimes()
    edges = [r["at"] for r in regimes if "at" in r]
    want = [sp.Rational(441, 100) - 9 * sp.sqrt(6) / 5, sp.Rational(9, 532), sp.Rational(441, 100) + 9 * sp.sqrt(6) / 5]
    assert len(edges) == 3 and all(sp.simplify(a - b) == 0 for a, b in zip(edges, want))
    assert [r["regime"] for r in regimes if "lo" in r] == [
        "converges", "converges", "slowly cycles away (spirals out)", "rapidly diverges (straight path)"]
    assert [r["verdict"] for r in regimes if "at" in r] == ["converges", "bounded", "diverges"]
    spans = [r for r in regimes if "lo" in r]
    assert spans[1]["rotating"] and spans[2]["rotating"] and not spans[3]["rotating"] and spans[3]["rho"] > spans[2]["rho"]
    # with x frozen (eta_x = 0) y runs off on a straight path: the claim's first regime disappears
    frozen, _ = relative_speed_regimes(eta_x=0)
    assert {r["regime"] for r in frozen if "lo" in r} == {"rapidly diverges (straight path)"}
    from gametheory.claims import CheckContext
    import gametheory.paper_checks.icr2019 as icr

    assert _check_relative_speed(CheckContext()).verdict == "confirmed"
    monkeypatch.setattr(icr, "ETA_X", sp.Integer(0))
    assert _check_relative_speed(CheckContext()).verdict == "refuted"


def test_neural_relative_speed_leaves_out_seeds_without_a_stationary_point(monkeypatch):
    pytest.importorskip("torch")
    import gametheory.neural.paper_experiments as pe
    from gametheory.paper_checks.icr2019 import _check_neural_relative_speed

    def fake(seeds, **kw):
        rows = [{"seed": s, "holds": True, "hessian_min_y": -0.01, "boundary_predicted": 0.3,
                 "boundary_measured": 0.3} for s in seeds[:5]]
        rows += [{"seed": s, "holds": False, "converged": False, "testable": False,
                  "note": "no stationary point reached"} for s in seeds[5:]]
        return {"settings": {"ratios": [1.0, 0.3]}, "per_seed": rows}

    monkeypatch.setattr(pe, "icr_relative_speed", fake)
    res = _check_neural_relative_speed(CheckContext(scale="full", seed=4321))  # 10 seeds: 5 hold, 5 not reached
    assert res.verdict == "confirmed" and "left out: seeds [4326, 4327, 4328, 4329, 4330]" in res.ours
