"""Equilibria of fixed-batch neural GANs: found to tolerance, the kernel named, classified."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.equilibrium import classify, find_equilibrium, kernel_threshold, refine  # noqa: E402
from gametheory.neural.experiments import gan_loss  # noqa: E402
from gametheory.neural.fixed_batch import fixed_batch_gan  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402


@pytest.fixture(scope="module")
def gan():
    return fixed_batch_gan("gaussians4", scale="tiny", seed=0, loss="ns")


@pytest.fixture(scope="module")
def eq(gan):
    return find_equilibrium(gan)


def test_fixed_batch_losses_are_gan_loss(gan):
    xs = [p.detach() for p in gan.gen.parameters()]
    ys = [p.detach() for p in gan.disc.parameters()]
    for loss in ("ns", "minimax"):
        g = fixed_batch_gan("gaussians4", scale="tiny", seed=0, loss=loss)
        ref = gan_loss(g.gen, g.disc, g.real, g.noise, loss)(xs, ys)
        got = g.loss_fn(xs, ys)
        ref, got = (ref, got) if isinstance(ref, tuple) else ((ref,), (got,))
        for a, b in zip(ref, got):
            assert abs(float(a) - float(b)) < 1e-14


def test_realizable_equilibrium(eq, gan):
    s = eq.summary()
    assert eq.converged and s["relative_grad_norm"] <= 1e-6 and s["grad_norm"] < 1e-12
    assert s["n_params"] == gan.n == eq.nx + eq.ny
    assert eq.settings["fit_residual"] < 1e-12                  # G reproduces the batch
    # the kernel: the discriminator's hidden layer (its output weights are 0) at least, and a clear gap
    assert eq.kernel.dim >= 2 * 8 + 8 and eq.kernel.gap > 1e6 and not eq.kernel.defective
    assert s["kind"] == "local Nash" and eq.nash
    off = eq.off_kernel()
    assert len(off) + eq.kernel_dim == eq.n and off.real.min() > 0
    # at a constant discriminator the generator's own Hessian vanishes: J_xx = 0
    assert abs(eq.hessian_min["x"]) < 1e-12


def test_refinement_converges_back(eq):
    """From z* + 1e-3 noise Levenberg-Marquardt returns to an equilibrium (|v| <= 1e-8 |v(z0)|, the noise's |v| is
    about 1e-3 |v(z0)|); it may land elsewhere on the equilibrium set (the kernel)."""
    g = torch.Generator().manual_seed(4)
    x = eq.x + 1e-3 * torch.randn(eq.nx, generator=g, dtype=torch.float64)
    y = eq.y + 1e-3 * torch.randn(eq.ny, generator=g, dtype=torch.float64)
    start = float(torch.cat(eq.field.v(x, y)).norm())
    e2 = find_equilibrium(eq.field, start="given", x=x, y=y, tol=1e-8)
    assert e2.converged and e2.grad_norm < 1e-5 * start
    xs, ys, info = refine(eq.field, x, y, target=1e-13)
    assert info["refine_nfev"] > 0


def test_r1_moves_eigenvalues_off_the_imaginary_axis():
    base = find_equilibrium(fixed_batch_gan("gaussians4", scale="tiny", seed=0, loss="ns"))
    reg = find_equilibrium(fixed_batch_gan("gaussians4", scale="tiny", seed=0, loss="ns", r1=1.0))
    # the same equilibrium (R1 vanishes where D is constant) ...
    assert torch.allclose(base.x, reg.x) and torch.allclose(base.y, reg.y)
    # ... whose slowest rotation gets a larger real part
    ob, orr = base.off_kernel(), reg.off_kernel()
    assert orr.real.min() > 5 * ob.real.min()


def test_classify_pen_and_paper():
    # J = diag(-1, 1): the min player sits at a maximum of its loss, GDA is unstable
    assert classify(np.diag([-1.0, 1.0]), 1, np.array([-1.0, 1.0]))["kind"] == "saddle"
    # J_xx = -0.1 < 0 (not Nash) but trace 0.4 > 0 and det 0.95 > 0: Re lambda > 0, a non-Nash attractor
    J = np.array([[-0.1, 1.0], [-1.0, 0.5]])
    out = classify(J, 1, np.linalg.eigvals(J))
    assert out["kind"] == "stable for simultaneous GDA only" and not out["nash"] and out["gda_stable"]
    assert classify(np.array([[0.0, 1.0], [-1.0, 0.2]]), 1, np.linalg.eigvals([[0.0, 1.0], [-1.0, 0.2]]))["kind"] \
        == "local Nash"


def test_kernel_threshold_options():
    lam = np.array([0, 0, 1e-6, 2e-6, 1e-2j, -1e-2j, 1.0])
    assert kernel_threshold(lam, 2, "exact")[1] == 0
    thr, slow, _ = kernel_threshold(lam, 2, 0.05)
    assert slow == 4 and thr >= 0.05
    with pytest.raises(ParameterError, match="kernel"):
        kernel_threshold(lam, 2, "bogus")


def test_start_checks():
    g = fixed_batch_gan("gaussians4", scale="tiny", seed=0)
    with pytest.raises(ParameterError, match="start"):
        find_equilibrium(g, start="magic")
    with pytest.raises(ParameterError, match="start"):
        find_equilibrium(g.field)
    with pytest.raises(ParameterError, match="loss"):
        fixed_batch_gan("gaussians4", loss="hinge")


def test_trained_start_reports_honestly():
    e = find_equilibrium(fixed_batch_gan("gaussians4", scale="tiny", seed=1), start="trained", train_steps=20,
                         max_nfev=5)
    s = e.summary()
    assert s["start"] == "trained" and s["converged"] == (s["relative_grad_norm"] <= 1e-6)
