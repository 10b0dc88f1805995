"""Fixed-batch GAN games: their losses are the training losses (gan_loss) on the same batch and noise."""
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.experiments import gan_loss  # noqa: E402
from gametheory.neural.fixed_batch import fixed_batch_gan  # noqa: E402


def test_fixed_batch_losses_are_gan_loss(ns_gan):
    xs = [p.detach() for p in ns_gan.gen.parameters()]
    ys = [p.detach() for p in ns_gan.disc.parameters()]
    for loss in ("ns", "minimax"):
        g = fixed_batch_gan("gaussians4", scale="tiny", seed=0, loss=loss)
        ref = gan_loss(g.gen, g.disc, g.real, g.noise, loss)(xs, ys)
        got = g.loss_fn(xs, ys)
        ref, got = (ref, got) if isinstance(ref, tuple) else ((ref,), (got,))
        for a, b in zip(ref, got):
            assert abs(float(a) - float(b)) < 1e-14
