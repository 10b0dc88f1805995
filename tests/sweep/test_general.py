"""The general path (batched characteristic polynomials or eigvals) against the plain path; clusters refined exactly."""
import numpy as np
import pytest

import gametheory as gt
from gametheory.sweep import choose_path, sweep_radius


def test_general_path_matches_plain(plain_radius, random_params):
    game = gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]])
    m = gt.methods.get("momentum", order="alternating")
    assert choose_path(game, m, eta=0.1, beta=0.1) == "general"
    rng = np.random.default_rng(11)
    prm = random_params(m, rng, 20)
    np.testing.assert_allclose(sweep_radius(game, m, **prm), plain_radius(game, m, **prm), rtol=1e-9)


def test_cluster_points_are_refined_exactly():
    """At a double root float roots lose half the digits; the engine recomputes those exactly.

    Alternating GD on ``min max xy`` at ``s = 2``: ``mu^2 + (s^2 - 2) mu + 1 = (mu + 1)^2``.
    """
    game = gt.games.bilinear([[1]])
    alt = gt.methods.get("gd", order="alternating")
    etas = [2.0, 2.0 + 2.0**-40, 2.0 + 1e-9]
    r = sweep_radius(game, alt, eta=np.array(etas))
    assert r[0] == 1.0
    for got, eta in zip(r, etas):
        exact = gt.spectral_radius(game, alt, eta=eta)  # float scalar: exact polynomial, 50 digits
        assert abs(got - exact) <= 1e-12 * exact


def test_general_path_without_symbols_for_large_states():
    """States above EXACT_FLOAT_MAX_DIM: the augmented Jacobian built numerically per point from the rule."""
    from gametheory.sweep import general

    rng = np.random.default_rng(4)
    P = np.diag(rng.integers(1, 3, 11)).tolist()
    game = gt.games.quadratic(P, rng.integers(-2, 3, (11, 11)).tolist(), P)
    m = gt.methods.get("momentum", order="alternating")
    assert sum(m.block_sizes(11, 11)) > general.EXACT_FLOAT_MAX_DIM
    prm = {"eta": rng.uniform(0.01, 0.3, 4), "beta": rng.uniform(-0.5, 0.5, 4)}
    fast = sweep_radius(game, m, **prm)
    from gametheory.linearize import augmented_matrix
    ref = [np.abs(np.linalg.eigvals(augmented_matrix(game, m, {"eta": e, "beta": b}, exact=False))).max()
           for e, b in zip(prm["eta"], prm["beta"])]
    np.testing.assert_allclose(fast, ref, rtol=1e-12)
    assert not any(k[0] == "derivation" for k in game._cache if isinstance(k, tuple))  # nothing symbolic


def test_interpolated_route_matches_plain(monkeypatch, plain_radius, random_params):
    """The interpolated characteristic polynomial (factored: a decoupled game has two factors) against the plain path."""
    pytest.importorskip("numba")
    from gametheory.sweep import engine, general, kernels

    if kernels.rows_kernel() is None:
        pytest.skip("numba disabled")
    game = gt.games.quadratic([[1, 0], [0, 2]], [[1, 0], [0, 3]], [[2, 0], [0, 1]])
    m = gt.methods.get("momentum", order="alternating")
    prm = random_params(m, np.random.default_rng(5), 300)
    from gametheory.sweep.engine import _Grid

    cps, _ = general._parametric_charpoly(game, m, prm, None, _Grid(m.continuous_values(prm, mode="float")))
    assert len(cps) == 2  # one factor per decoupled coordinate pair
    monkeypatch.setattr(engine, "KERNEL_MIN_POINTS", 0)
    np.testing.assert_allclose(sweep_radius(game, m, **prm), plain_radius(game, m, **prm), rtol=1e-9)


def test_ill_conditioned_polynomial_is_polished_not_recomputed(monkeypatch, plain_radius):
    """State 12 at small step sizes: the characteristic polynomial's top root is ill-conditioned in float64
    (condition numbers to 1e12); the double-double polish gets the radius to 1e-9 of eigvals at every point and
    leaves no point to the ``eigvals`` fallback."""
    pytest.importorskip("numba")
    from gametheory.sweep import engine, general, kernels

    if kernels.rows_kernel() is None:
        pytest.skip("numba disabled")
    game = gt.games.quadratic([[1, 0, 0], [0, 2, 0], [0, 0, 2]], [[2, 1, 1], [0, 0, 2], [-1, 2, 1]],
                              [[2, 0, 0], [0, 2, 0], [0, 0, 2]])
    m = gt.methods.get("momentum", order="alternating")
    eta, beta = np.linspace(0.004, 0.05, 12), np.linspace(-0.9, 0.9, 10)
    recomputed = []
    real = general._recompute
    monkeypatch.setattr(general, "_recompute", lambda f, d, flat, syms: recomputed.append(flat[0].size)
                        or real(f, d, flat, syms))
    monkeypatch.setattr(engine, "KERNEL_MIN_POINTS", 0)
    fast = sweep_radius(game, m, eta=eta[:, None], beta=beta[None, :])
    np.testing.assert_allclose(fast, plain_radius(game, m, eta=eta[:, None], beta=beta[None, :]), rtol=1e-9)
    assert sum(recomputed) == 0
