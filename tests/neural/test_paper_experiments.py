"""The neural experiments behind the claims: the seed statistics (a binomial test) and one experiment end to end."""
import pytest

torch = pytest.importorskip("torch")

from gametheory.paper_checks import run_checks


def test_seed_verdict_pen_and_paper():
    pytest.importorskip("scipy")
    from gametheory.neural.paper_experiments import seed_verdict

    assert seed_verdict([True] * 5)["status"] == "confirmed"          # P(X >= 5) = 1/32 < 0.05
    four = seed_verdict([True] * 4 + [False])
    assert four["status"] == "inconclusive" and abs(four["p_value"] - 6 / 32) < 1e-12
    assert seed_verdict([False] * 3 + [True] * 2)["status"] == "refuted"
    assert seed_verdict([True, True])["status"] == "inconclusive"      # too few seeds for any verdict
    assert seed_verdict([])["status"] == "inconclusive"


def test_a_cheap_neural_claim_runs():
    pytest.importorskip("torch")
    (row,) = run_checks(["mescheder2017_numerics.neural_imaginary_eigenvalues"], scale="quick", neural=True)
    assert row["kind"] == "neural" and row["verdict"] == "inconclusive"   # one seed at the quick scale
    seeds = row["details"]["per_seed"]
    assert len(seeds) == 1 and seeds[0]["max_imag_over_real"] > 10 and "held in 1 of 1 seeds" in row["ours"]


def test_sample_movement_pen_and_paper():
    from gametheory.neural.paper_experiments import sample_movement

    snaps = [{"points": [[0, 0], [1, 1]]}, {"points": [[0, 0], [1, 1]]}, {"points": [[3, 4], [1, 1]]}]
    assert sample_movement({"samples": snaps}) == 2.5            # (5 + 0) / 2 between the last two
    assert sample_movement({"samples": snaps}, last=3) == 1.25   # (0 + 2.5) / 2
    assert sample_movement({"samples": snaps, "diverged": True}) is None
    assert sample_movement({"samples": snaps[:1]}) is None


def test_consensus_ring_modes_tiny():
    from gametheory.neural.paper_experiments import consensus_ring_modes

    r = consensus_ring_modes([0], iters=3, lr=1e-3, scale="tiny", evals=2, n_eval=100)
    (row,) = r["per_seed"]
    assert r["settings"]["rmsprop"]["decay"] == 0.9 and r["settings"]["network"]["layers"] == 1
    assert row["holds"] == (row["modes_consensus"] > row["modes_rmsprop"])
    assert row["holds_all"] == (row["modes_consensus"] == 8 and row["modes_rmsprop"] < 8)
    assert len(row["modes_over_time_consensus"]) == 2


def test_wgan_training_tiny_and_its_decision_rule(monkeypatch):
    from gametheory.neural import paper_experiments as pe

    r = pe.wgan_training([0], iters=3, scale="tiny", evals=2, n_eval=100)
    (row,) = r["per_seed"]
    assert {"gd", "eg", "ogd"} <= set(row) and r["settings"]["clip"] == 0.01

    # the rule by hand, on made-up runs: EG and OGD keep the modes and settle, GDA keeps moving
    def fake_runs(method, seeds, kw, progress, workers=1):
        moves = {"gd": 1.0, "eg": 0.1, "ogd": 0.2}[method]
        modes = {"gd": 3, "eg": 3, "ogd": 4}[method]
        snaps = [{"points": [[0.0, 0.0]]}, {"points": [[moves, 0.0]]}]
        return {"settings": {"dataset": {}, "batch": 1, "noise_dim": 1, "hidden": 1, "layers": 1},
                "runs": [{"modes": modes, "diverged": False, "samples": snaps, "history": []} for _ in seeds]}

    monkeypatch.setattr(pe, "_gan_runs", fake_runs)
    (row,) = pe.wgan_training([0])["per_seed"]
    assert row["holds"] is True and row["trained"] is True

    def fewer_modes(method, seeds, kw, progress, workers=1):   # EG settles but on fewer modes: the statement fails
        out = fake_runs(method, seeds, kw, progress, workers)
        if method == "eg":
            for run in out["runs"]:
                run["modes"] = 2
        return out

    monkeypatch.setattr(pe, "_gan_runs", fewer_modes)
    assert pe.wgan_training([0])["per_seed"][0]["holds"] is False


def test_consensus_ring_decision_rule(monkeypatch):
    from gametheory.neural import paper_experiments as pe

    def fake_runs(method, seeds, kw, progress, workers=1):
        modes = {"gd": 3, "consensus": 8}[method]
        return {"settings": {"dataset": {}, "batch": 1, "noise_dim": 1, "hidden": 1, "layers": 1},
                "runs": [{"modes": modes, "diverged": method == "gd" and s == 1, "samples": [], "history": []}
                         for s in seeds]}

    monkeypatch.setattr(pe, "_gan_runs", fake_runs)
    rows = pe.consensus_ring_modes([0, 1])["per_seed"]
    assert [r["modes_rmsprop"] for r in rows] == [3, 0]          # a diverged run covers no mode
    assert all(r["holds"] and r["holds_all"] for r in rows)
