"""Dynamics: registry rules reused, averaging, stochastic fields, projections, divergence."""
import numpy as np
import pytest

import gametheory as gt
from gametheory.dynamics import (NoisyField, StochasticBilinearField, box_projection, exponential_average, iterate,
                                 random_stochastic_bilinear, run, uniform_average)
from gametheory.validation import ParameterError

PARAMS = {"consensus": {"gamma": 0.5}, "sga": {"lam": 0.5}, "momentum": {"beta": -0.2}, "unrolled": {"k": 2},
          "n_inner": {"n": 2}}


def _quadratic():
    return gt.games.quadratic([[1, 0], [0, 2]], [[1, 2], [0, 1]], [[1, 0], [0, 1]])


@pytest.mark.parametrize("method", gt.methods.registry(), ids=lambda m: f"{m.name}-{m.order}")
def test_every_registry_method_matches_simulate(method):
    """run() iterates the registry's own rule: identical to gt.simulate for every method and order."""
    g = _quadratic()
    p = {"eta": 0.05, **PARAMS.get(method.name, {})}
    z0 = [1.0, -0.5, 0.3, 0.7]
    a = run(g, method, z0, 40, **p)
    b = gt.simulate(g, method, z0, 40, **p)
    assert not a.diverged
    np.testing.assert_array_equal(a.trajectory, b.trajectory)


@pytest.mark.parametrize("method", gt.methods.registry(), ids=lambda m: f"{m.name}-{m.order}")
def test_projection_keeps_every_method_in_the_box(method):
    g = gt.games.bilinear([[1, 0], [0, 2]], b=[3, -3])
    p = {"eta": 0.4, **PARAMS.get(method.name, {})}
    r = run(g, method, [2.0, -2.0, 1.5, 0.5], 60, box=(-1, 1), **p)
    assert np.all(np.abs(r.trajectory) <= 1.0)
    assert np.any(np.isclose(np.abs(r.trajectory[1:]), 1.0))  # the constraint is active somewhere


def test_projected_extragradient_projects_the_extrapolation_point():
    """Pen and paper, f = x y on [-1, 1]^2, eta = 1/2, from (1, 1): v = (y, -x) = (1, -1);
    z_half = P(1 - 1/2, 1 + 1/2) = (1/2, 1); v(z_half) = (1, -1/2); z+ = P(1 - 1/2, 1 + 1/4) = (1/2, 1).
    (Without projecting z_half: v(1/2, 3/2) = (3/2, -1/2) and z+ = (1/4, 1).)"""
    g = gt.games.bilinear([[1]])
    r = run(g, gt.methods.get("eg"), [1.0, 1.0], 1, eta=0.5, box=(-1, 1))
    np.testing.assert_allclose(r.trajectory[1], [0.5, 1.0])
    # alternating GDA from (2, -1), projected to (1, -1): x+ = P(1 + 1/2) = 1 is handed to y:
    # y+ = -1 + x+ / 2 = -1/2 (with the unprojected x+ = 3/2 it would be -1/4)
    r = run(g, gt.methods.get("gd", order="alternating"), [2.0, -1.0], 1, eta=0.5, box=(-1, 1))
    np.testing.assert_allclose(r.trajectory, [[1.0, -1.0], [1.0, -0.5]])


def test_uniform_averaging_converges_on_bilinear_gda_while_iterates_cycle():
    """Gidel et al. (ICLR 2019), Fig. 1: projected simultaneous GDA on xy cycles; its average converges."""
    g = gt.games.bilinear([[1]])
    r = run(g, gt.methods.get("gd"), [1.0, 1.0], 4000, eta=0.1, box=(-2, 2), averaging="uniform")
    last = np.linalg.norm(r.trajectory[-500:], axis=1)
    assert last.min() > 1.0                        # the iterates stay on the boundary cycle
    d = r.distance([0, 0], averaged=True)
    assert d[-1] < 0.05 and d[-1] < d[400] / 3     # the average approaches the equilibrium, and keeps doing so


def test_ema_and_uniform_average_formulas():
    z = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    np.testing.assert_allclose(uniform_average(z), [[0, 1], [1, 2], [2, 3]])
    e = exponential_average(z, rho=0.5)
    np.testing.assert_allclose(e[2], 0.5 * (0.5 * z[0] + 0.5 * z[1]) + 0.5 * z[2])
    g = gt.games.bilinear([[1]])
    r = run(g, gt.methods.get("eg"), [1.0, 1.0], 50, eta=0.3, averaging="ema", rho=0.9)
    np.testing.assert_allclose(r.average, exponential_average(r.trajectory, 0.9))
    with pytest.raises(ParameterError, match="rho"):
        exponential_average(z, rho=1.0)


def test_divergence_is_flagged_at_the_right_step_and_never_nan():
    """Simultaneous GDA on xy: |z_t| = |z_0| (1 + eta^2)^(t/2) exactly, so the blow-up step is known."""
    g, eta, blowup = gt.games.bilinear([[1]]), 1.0, 1e3
    r = run(g, gt.methods.get("gd"), [1.0, 0.0], 100, eta=eta, blowup=blowup)
    t_star = next(t for t in range(200) if (1 + eta**2) ** (t / 2) > blowup)
    assert r.diverged and r.diverged_at == t_star
    assert r.steps_run == t_star - 1 and len(r.trajectory) == t_star
    assert np.all(np.isfinite(r.trajectory))
    # overflow to inf/NaN is also reported as divergence
    r = run(g, gt.methods.get("gd"), [1.0, 0.0], 5000, eta=3.0, blowup=np.inf)
    assert r.diverged and np.all(np.isfinite(r.trajectory))


def test_noisy_runs_are_reproducible_and_seed_dependent():
    g, m = gt.games.bilinear([[1]]), gt.methods.get("eg")
    a = run(g, m, [1, 1], 200, eta=0.2, noise=0.3, batch=4, seed=7)
    b = run(g, m, [1, 1], 200, eta=0.2, noise=0.3, batch=4, seed=7)
    c = run(g, m, [1, 1], 200, eta=0.2, noise=0.3, batch=4, seed=8)
    det = run(g, m, [1, 1], 200, eta=0.2)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    assert np.abs(a.trajectory - c.trajectory).max() > 1e-3
    assert np.abs(a.trajectory - det.trajectory).max() > 1e-3
    np.testing.assert_array_equal(run(g, m, [1, 1], 50, eta=0.2, noise=0.0).trajectory, det.trajectory[:51])


def test_noisy_field_is_unbiased_with_variance_sigma2_over_batch():
    base = gt.games.bilinear([[1]]).field_function()
    f = NoisyField(base, 2.0, batch=16, rng=0)
    x, y = np.array([0.5]), np.array([-1.0])
    samples = np.array([f.v_x(x, y)[0] for _ in range(20000)])
    assert abs(samples.mean() - base.v_x(x, y)[0]) < 0.02        # standard error 0.5/sqrt(20000) = 0.0035
    assert abs(samples.std() - 2.0 / 4) < 0.02


def test_stochastic_bilinear_field_exact_mean_and_shared_samples():
    F = random_stochastic_bilinear(n=30, dx=2, dy=3, seed=1, batch=None)
    exact = F.game().field_function()
    x, y = np.array([0.3, -1.2]), np.array([0.5, 2.0, -0.7])
    np.testing.assert_allclose(F.v_x(x, y), exact.v_x(x, y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(F.v_y(x, y), exact.v_y(x, y), rtol=1e-12, atol=1e-12)
    # the equilibrium solves the mean game (square case: a unique equilibrium)
    F = random_stochastic_bilinear(n=30, dx=3, dy=3, seed=1, batch=None)
    exact = F.game().field_function()
    z = F.equilibrium()
    vx, vy = exact.v(z[:3], z[3:])
    assert np.abs(np.concatenate([vx, vy])).max() < 1e-10
    # one sample per evaluation point: v_x and v_y at the same point see the same term i
    M = np.array([[[1.0]], [[-3.0]]])
    G = StochasticBilinearField(M, [[0.0], [5.0]], [[0.0], [7.0]], batch=1, rng=0)
    for _ in range(20):
        x, y = np.random.default_rng(_).normal(size=(2, 1))
        gx, gy = G.v_x(x, y), G.v_y(x, y)
        i = 0 if np.isclose(gx, M[0] @ y)[0] else 1
        np.testing.assert_allclose(gx, M[i] @ y + [0.0, 5.0][i])
        np.testing.assert_allclose(gy, -(M[i].T @ x + [0.0, 7.0][i]))


def test_stochastic_runs_reproducible_and_extragradient_average_beats_sgd():
    """The slides' bilinear stochastic experiment: SEM with averaging ends far closer than SGD."""
    kw = dict(n=100, dx=2, dy=2, seed=0, batch=1, scale=0.5)
    zs = random_stochastic_bilinear(**kw).equilibrium()
    runs = {}
    for name in ("gd", "eg"):
        runs[name] = run(None, gt.methods.get(name), np.zeros(4), 1500, eta=0.1,
                         field=random_stochastic_bilinear(**kw), averaging="uniform", blowup=1e6)
    again = run(None, gt.methods.get("eg"), np.zeros(4), 1500, eta=0.1, field=random_stochastic_bilinear(**kw),
                averaging="uniform", blowup=1e6)
    np.testing.assert_array_equal(runs["eg"].trajectory, again.trajectory)
    other = run(None, gt.methods.get("eg"), np.zeros(4), 1500, eta=0.1,
                field=random_stochastic_bilinear(**{**kw, "seed": 5}), blowup=1e6)
    assert not np.allclose(other.trajectory[-1], again.trajectory[-1])
    eg_avg = runs["eg"].distance(zs, averaged=True)[-1]
    gd_end = runs["gd"].distance(zs, averaged=True)[-1]
    assert not runs["eg"].diverged
    assert eg_avg < 0.2 and gd_end > 5 * eg_avg


def test_box_projection_and_errors():
    P = box_projection([-1, -np.inf], [1, 0.5], nx=1)
    x, y = P(np.array([3.0]), np.array([2.0]))
    assert x.tolist() == [1.0] and y.tolist() == [0.5]
    with pytest.raises(ParameterError, match="box"):
        box_projection(1, -1, nx=1)
    g = gt.games.bilinear([[1]])
    with pytest.raises(ParameterError, match="averaging"):
        run(g, gt.methods.get("gd"), [1, 1], 5, eta=0.1, averaging="median")
    with pytest.raises(ParameterError, match="z0"):
        run(g, gt.methods.get("gd"), [1, 1, 1], 5, eta=0.1)
    with pytest.raises(ParameterError, match="eta"):
        run(g, gt.methods.get("gd"), [1, 1], 5)
    with pytest.raises(ParameterError, match="eta"):
        run(g, gt.methods.get("gd"), [1, 1], 5, eta=np.array([0.1, 0.2]))
    with pytest.raises(ParameterError, match="M"):
        StochasticBilinearField(np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)))


def test_iterate_resumes_from_state():
    g = gt.games.bilinear([[1]])
    m = gt.methods.get("momentum", order="alternating")
    F = g.field_function()
    full = iterate(F, m, [1.0], [1.0], 60, params={"eta": 0.5, "beta": -0.3})
    half = iterate(F, m, [1.0], [1.0], 30, params={"eta": 0.5, "beta": -0.3})
    rest = iterate(F, m, [0.0], [0.0], 30, params={"eta": 0.5, "beta": -0.3}, state=half.state)
    np.testing.assert_allclose(rest.trajectory, full.trajectory[30:])


@pytest.mark.parametrize("method", gt.methods.registry(), ids=lambda m: f"{m.name}-{m.order}")
def test_every_method_runs_stochastically_and_reproducibly(method):
    g = _quadratic()
    p = {"eta": 0.05, **PARAMS.get(method.name, {})}
    z0 = [1.0, -0.5, 0.3, 0.7]
    a = run(g, method, z0, 30, noise=0.2, seed=11, **p)
    b = run(g, method, z0, 30, noise=0.2, seed=11, **p)
    det = run(g, method, z0, 30, **p)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    assert np.abs(a.trajectory - det.trajectory).max() > 1e-4
    F = random_stochastic_bilinear(n=20, dx=2, dy=2, seed=2, batch=3)
    s = run(None, method, z0, 30, field=F, **p)
    assert not s.diverged and np.all(np.isfinite(s.trajectory))
