"""Mode metrics: modes covered, dominant mode, KL of the mode histogram, high-quality share, switches."""
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.data import mixture  # noqa: E402
from gametheory.neural.metrics import count_switches, mode_report  # noqa: E402


def test_mode_metrics_see_collapse():
    m = mixture("gaussians4", layout="clean")
    good = m.sample(2000, torch.Generator().manual_seed(1))
    collapsed = m.means[2].float() + 0.005 * torch.randn(2000, 2, generator=torch.Generator().manual_seed(2))
    rg, rc = mode_report(good, m), mode_report(collapsed, m)
    assert rg["modes"] == 4 and rc["modes"] == 1 and rc["dominant"] == 2
    assert rc["kl"] > rg["kl"] + 1.0
    assert rg["high_quality"] > 0.95
    far = torch.full((100, 2), 5.0)
    assert mode_report(far, m)["modes"] == 0 and mode_report(far, m)["kl"] is None
    assert count_switches([1, 1, 2, 1]) == 2


def test_wasserstein1_against_every_permutation_and_the_point_mass_bar():
    import itertools

    import numpy as np

    from gametheory.neural.metrics import point_mass_w1, wasserstein1

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    brute = min(np.linalg.norm(a - b[list(p)], axis=1).mean() for p in itertools.permutations(range(5)))
    assert wasserstein1(a, b) == pytest.approx(brute, rel=1e-12)
    assert wasserstein1(a, a[::-1]) == 0.0 and wasserstein1([[np.nan, 0]], [[0, 0]]) == float("inf")
    with pytest.raises(ValueError):
        wasserstein1(a, b[:3])
    # no single point is closer to the data than its geometric median; every collapsed generator is at least as far
    bar = point_mass_w1(b)
    for p in rng.normal(size=(20, 2)):
        assert wasserstein1(np.repeat(p[None], 5, axis=0), b) >= bar - 1e-9
