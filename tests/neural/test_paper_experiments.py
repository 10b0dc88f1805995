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
