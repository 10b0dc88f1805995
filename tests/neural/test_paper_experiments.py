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
    import math

    import torch

    from gametheory.neural import data as data_mod
    from gametheory.neural import paper_experiments as pe

    r = pe.wgan_training([0], iters=3, scale="tiny", evals=2, n_eval=100)
    (row,) = r["per_seed"]
    assert {"gd", "eg", "ogd"} <= set(row) and r["settings"]["clip"] == 0.01 and r["settings"]["loss"] == "wgan"
    r = pe.wgan_training([0], iters=3, scale="tiny", evals=2, n_eval=100, loss="wgan-gp", clip=None)
    assert (r["settings"]["loss"], r["settings"]["gp"], r["settings"]["clip"]) == ("wgan-gp", 10.0, None)
    assert r["per_seed"][0]["gd"]["w1"] > r["settings"]["trained_if_w1_below"]   # 3 steps: nothing trained

    # the rule by hand, on made-up runs on the ring: GDA jumps from mode to mode (rotating its samples by 45
    # degrees: as close to the data, but moving), EG and OGD sit on the data and barely move
    ring = data_mod.load("ring8").sample(256, torch.Generator().manual_seed(5)).double()
    c, s_ = math.cos(math.pi / 4), math.sin(math.pi / 4)
    rot = torch.tensor([[c, s_], [-s_, c]], dtype=torch.float64)
    stand = {"eg": ring, "ogd": ring, "gd": ring}

    def fake_runs(method, seeds, kw, progress, workers=1):
        snaps = []
        for k in range(6):
            p = ring @ torch.linalg.matrix_power(rot, k) if method == "gd" else stand[method] + 0.001 * k
            snaps.append({"points": p.tolist()})
        modes = {"gd": 3, "eg": 3, "ogd": 4}[method]
        return {"settings": {"dataset": {}, "batch": 1, "noise_dim": 1, "hidden": 1, "layers": 1},
                "runs": [{"modes": modes, "diverged": False, "samples": snaps, "history": []} for _ in seeds]}

    monkeypatch.setattr(pe, "_gan_runs", fake_runs)
    res = pe.wgan_training([0])
    (row,) = res["per_seed"]
    assert row["holds"] is True and row["testable"] is True
    assert row["gd"]["trained"] and row["gd"]["movement"] > 1.0 > 0.01 > row["eg"]["movement"]
    assert res["settings"]["w1_point"] > 1.9   # the ring's radius 2: no single point is closer

    # an untrained EG generator collapsed onto the origin stands perfectly still: it must not count as settled
    stand["eg"] = torch.zeros_like(ring)
    (row,) = pe.wgan_training([0])["per_seed"]
    assert row["eg"]["movement"] < 0.01 and row["eg"]["trained"] is False and row["holds"] is False
    assert row["testable"] is True   # GDA and OGD are near the data
    stand["eg"] = ring

    def fewer_modes(method, seeds, kw, progress, workers=1):   # EG settles but on fewer modes: the statement fails
        out = fake_runs(method, seeds, kw, progress, workers)
        if method == "eg":
            for run in out["runs"]:
                run["modes"] = 2
        return out

    monkeypatch.setattr(pe, "_gan_runs", fewer_modes)
    assert pe.wgan_training([0])["per_seed"][0]["holds"] is False


def test_paired_sign_test_pen_and_paper():
    from gametheory.neural.paper_experiments import paired_sign_test

    t = paired_sign_test([1.0, 2.0, 3.0, float("inf")], [0.5, 2.0, 4.0, 1.0])
    assert (t["wins"], t["losses"], t["ties"], t["n"]) == (2, 1, 1, 4)
    assert t["p_value"] == 0.5 and t["median_difference"] is None   # P(X >= 2 | Bin(3, 1/2)) = 4/8
    assert paired_sign_test([1, 1], [1, 1])["p_value"] == 1.0


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
