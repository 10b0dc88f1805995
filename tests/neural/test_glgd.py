"""The generator-loss identity grad C(R) with a trained discriminator (slides "Computing the GAN Equilibrium")."""
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.glgd import glgd_identity  # noqa: E402


def test_glgd_identity_approaches_grad_C():
    r = glgd_identity(dims=(1,), steps=(0, 60, 400), seed=0, hidden=32, batch=512, quad_n=40)
    assert r["identity_with_bayes_discriminator"]["relative_error"] < 1e-6
    curve = r["curve"]
    assert curve[-1]["relative_error"] < 0.5 * curve[0]["relative_error"]
    assert curve[-1]["discriminator_error"] < curve[0]["discriminator_error"]
    assert r["cosine"] > 0.95 and r["relative_error"] == curve[-1]["relative_error"]
