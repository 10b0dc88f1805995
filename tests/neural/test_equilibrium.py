"""Equilibria of fixed-batch neural GANs: found to tolerance, the kernel named, classified."""
import numpy as np
import pytest
torch = pytest.importorskip("torch")
from gametheory.neural.equilibrium import classify, find_equilibrium, kernel_threshold, refine  # noqa: E402
from gametheory.neural.fixed_batch import fixed_batch_gan  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402


def test_realizable_equilibrium(ns_equilibrium, ns_gan):
    s = ns_equilibrium.summary()
    assert ns_equilibrium.converged and s["relative_grad_norm"] <= 1e-6 and s["grad_norm"] < 1e-12
    assert s["n_params"] == ns_gan.n == ns_equilibrium.nx + ns_equilibrium.ny
    assert ns_equilibrium.settings["fit_residual"] < 1e-12                  # G reproduces the batch
    # the kernel: the discriminator's hidden layer (its output weights are 0) at least, and a clear gap
    assert ns_equilibrium.kernel.dim >= 2 * 8 + 8 and ns_equilibrium.kernel.gap > 1e6 and not ns_equilibrium.kernel.defective
    assert s["kind"] == "local Nash" and ns_equilibrium.nash
    off = ns_equilibrium.off_kernel()
    assert len(off) + ns_equilibrium.kernel_dim == ns_equilibrium.n and off.real.min() > 0
    # at a constant discriminator the generator's own Hessian vanishes: J_xx = 0
    assert abs(ns_equilibrium.hessian_min["x"]) < 1e-12


def test_refinement_converges_back(ns_equilibrium):
    """From z* + 1e-3 noise Levenberg-Marquardt returns to an equilibrium (|v| <= 1e-8 |v(z0)|, the noise's |v| is
    about 1e-3 |v(z0)|); it may land elsewhere on the equilibrium set (the kernel)."""
    g = torch.Generator().manual_seed(4)
    x = ns_equilibrium.x + 1e-3 * torch.randn(ns_equilibrium.nx, generator=g, dtype=torch.float64)
    y = ns_equilibrium.y + 1e-3 * torch.randn(ns_equilibrium.ny, generator=g, dtype=torch.float64)
    start = float(torch.cat(ns_equilibrium.field.v(x, y)).norm())
    e2 = find_equilibrium(ns_equilibrium.field, start="given", x=x, y=y, tol=1e-8)
    assert e2.converged and e2.grad_norm < 1e-5 * start
    xs, ys, info = refine(ns_equilibrium.field, x, y, target=1e-13)
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


def test_kernel_accounting_is_one_consistent_count(minimax_equilibrium):
    """geometric <= algebraic; slow modes are counted above the algebraic kernel; the eigenvalues below the threshold
    are exactly algebraic + slow (the report once read "algebraic 69 > geometric 61" beside 9 slow modes: the algebraic
    count took 8 of the slow modes as well)."""
    eq = minimax_equilibrium
    k = eq.summary()["kernel"]
    ex = k["exact"]
    assert ex["geometric_multiplicity"] == ex["dim"] <= ex["algebraic_multiplicity"]
    assert not ex["defective"] and ex["algebraic_multiplicity"] == ex["dim"] and ex["jordan_blocks"] == {"1": ex["dim"]}
    assert k["treated_as_kernel"] == ex["algebraic_multiplicity"] + k["slow_modes"] == eq.kernel_dim
    assert int(np.sum(np.abs(eq.eigenvalues) <= k["threshold"])) == k["treated_as_kernel"]
    assert k["slow_modes"] > 0


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
