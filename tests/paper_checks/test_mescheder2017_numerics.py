"""Claims of Mescheder, Nowozin & Geiger, "The Numerics of GANs" (NIPS 2017), via Huszár's blog post."""
import numpy as np

from gametheory.paper_checks.mescheder2017_numerics import estimators


def test_consensus_claims(checked):
    rows = checked("mescheder2017_numerics")
    fp = rows["mescheder2017_numerics.same_fixed_points"]
    # a finding: grad L also vanishes where J is singular and v != 0
    assert fp["verdict"] == "refuted" and fp["details"]["cos_sin_extra_fixed_points"]
    assert fp["details"]["curl_grad_L_zeros"] == ["{phi: 0, theta: 0}"]
    sp_ = rows["mescheder2017_numerics.spurious_saddles"]
    assert sp_["verdict"] == "confirmed" and sp_["details"]["gamma_threshold"] == "1"
    assert sp_["details"]["verdicts_at_saddle"]["0"] == "diverges"
    assert rows["mescheder2017_numerics.eigenvalue_shift"]["verdict"] == "confirmed"
    mb = rows["mescheder2017_numerics.minibatch_estimate"]
    assert mb["verdict"] == "confirmed"
    assert mb["details"]["exact_expectations"]["unbiased"] == mb["details"]["target"]


def test_unbiased_estimator_is_the_u_statistic():
    g = np.random.default_rng(0).standard_normal((5, 4, 3))
    est = estimators(g)
    n = g.shape[1]
    u = np.array([sum(b[i] @ b[j] for i in range(n) for j in range(n) if i != j) / (n * (n - 1)) for b in g])
    assert np.allclose(est["unbiased"], u)
    assert np.all(est["naive_norms"] >= est["naive_mean"])   # Jensen, batch by batch


def _ring_result(pairs):
    """Pen-and-paper output of consensus_ring_modes: per seed (modes RMSProp, modes consensus)."""
    return {"settings": {"iters": 1500, "lr": 1e-3, "network": {"batch": 128}},
            "per_seed": [{"seed": s, "modes_rmsprop": r, "modes_consensus": c, "movement_rmsprop": 1.0,
                          "movement_consensus": None, "holds": c > r} for s, (r, c) in enumerate(pairs)]}


def test_ring_verdict_refutes_and_confirms_pen_and_paper():
    from gametheory.paper_checks.mescheder2017_numerics import ring_verdict

    res = ring_verdict(_ring_result([(2, 8), (3, 8), (1, 7), (4, 8), (2, 5)]), "consensus covers more modes")
    assert res.verdict == "confirmed" and res.details["mode_sign_test"]["p_value"] == 1 / 32
    assert "sign test without the ties p = 0.0312, median gain 5 modes" in res.ours
    # consensus no better in 3 of 5 seeds (one worse, two ties): refuted, the first such seed the counterexample
    res = ring_verdict(_ring_result([(2, 8), (8, 6), (3, 3), (4, 8), (5, 5)]), "consensus covers more modes")
    assert res.verdict == "refuted" and res.counterexample == "seed 1: consensus covers 6 modes, RMSProp 8"
    t = res.details["mode_sign_test"]
    assert (t["wins"], t["losses"], t["ties"]) == (2, 1, 2) and t["p_value"] == 0.5
    # 4 of 5 (binomial p = 0.1875): inconclusive, however large the gain in the others
    assert ring_verdict(_ring_result([(0, 8)] * 4 + [(8, 8)]), "-").verdict == "inconclusive"


def test_ring_modes_claim_runs_at_default_and_full(monkeypatch):
    import pytest

    pytest.importorskip("torch")
    from gametheory.claims import CheckContext
    from gametheory.neural import paper_experiments as pe
    from gametheory.paper_checks import _neural, mescheder2017_numerics as mod

    assert mod._check_neural_ring(CheckContext(scale="quick")).ours == "not run"   # trains networks: not at quick
    seen = {}

    def fake(seeds, **kw):
        seen.update(kw, seeds=list(seeds))
        return _ring_result([(2, 8)] * len(seeds))

    monkeypatch.setattr(pe, "consensus_ring_modes", fake)
    for scale, n, iters, lr in (("default", 5, 1500, 1e-3), ("full", 10, 20000, 1e-4)):
        monkeypatch.setattr(_neural, "_MEMO", {})
        res = mod._check_neural_ring(CheckContext(scale=scale))
        assert res.verdict == "confirmed" and not res.reason   # a verdict at the default scale, not "scaled down"
        assert (len(seen["seeds"]), seen["iters"], seen["lr"], seen["scale"]) == (n, iters, lr, "numerics")
