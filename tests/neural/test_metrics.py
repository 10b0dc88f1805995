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
