"""The fast sweep engine against the plain path (explicit augmented matrix + numpy eigvals)."""
import zlib

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import gametheory as gt
from gametheory.backends import lambdify_matrix
from gametheory.derive import PARAM_SYMBOLS
from gametheory.derive import symbolic_derivation
from gametheory.sweep import (choose_path, max_root_modulus, poly_roots, scalar_polynomial, sweep_radius)
from gametheory.validation import ParameterError


def plain_radius(game, method, **params):
    """Reference: the augmented Jacobian compiled, then numpy.linalg.eigvals point by point."""
    d = symbolic_derivation(game, method, params, None)
    values = method.continuous_values(params, mode="float")
    names = list(values)
    arrays = np.broadcast_arrays(*[np.asarray(values[n], dtype=float) for n in names])
    f = lambdify_matrix(d.jacobian, [PARAM_SYMBOLS[n] for n in names])
    out = np.empty(arrays[0].shape)
    for idx in np.ndindex(out.shape):
        M = f(*[a[idx] for a in arrays])
        out[idx] = np.abs(np.linalg.eigvals(M)).max()
    return out


def random_params(method, rng, n):
    prm = {"eta": rng.uniform(0.01, 1.5, n)}
    if "beta" in method.param_names:
        prm["beta"] = rng.uniform(-1, 1, n)
    if "gamma" in method.param_names:
        prm["gamma"] = rng.uniform(0, 1, n)
    if "lam" in method.param_names:
        prm["lam"] = rng.uniform(-1, 1, n)
    return prm


def random_matrix(rng, rows, cols, rank=None):
    A = rng.integers(-3, 4, size=(rows, cols))
    if rank is not None:
        A = rng.integers(-2, 3, size=(rows, rank)) @ rng.integers(-2, 3, size=(rank, cols))
    return A.tolist()


METHODS = gt.methods.registry()


@pytest.mark.parametrize("method", METHODS, ids=repr)
def test_bilinear_path_matches_plain(method):
    rng = np.random.default_rng(zlib.crc32(repr(method.key).encode()))  # hash() is salted per process
    game = gt.games.bilinear(random_matrix(rng, 3, 2))
    prm = random_params(method, rng, 12)
    fast = sweep_radius(game, method, path="bilinear", **prm)
    np.testing.assert_allclose(fast, plain_radius(game, method, **prm), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", METHODS, ids=repr)
def test_rank_deficient_bilinear_extra_modes(method):
    """Zero singular values and a non-square A leave uncoupled coordinates (v == 0)."""
    game = gt.games.bilinear([[1, 2, 0], [2, 4, 0]])  # rank 1, 2x3
    rng = np.random.default_rng(7)
    prm = random_params(method, rng, 6)
    fast = sweep_radius(game, method, path="bilinear", **prm)
    # eigenvalue 1 is repeated here: float eigvals keep only about half the digits
    np.testing.assert_allclose(fast, plain_radius(game, method, **prm), rtol=1e-7)
    assert np.all(fast >= 1 - 1e-12)  # a continuum of equilibria never attracts


SPECTRAL = [m for m in METHODS if scalar_polynomial(m) is not None]


def test_spectral_methods_are_the_J_functions():
    names = {(m.name, m.order) for m in SPECTRAL}
    assert {("gd", "simultaneous"), ("momentum", "simultaneous"), ("eg", "simultaneous"),
            ("ogd", "simultaneous"), ("past_eg", "simultaneous")} <= names
    assert not any(m.order == "alternating" for m in SPECTRAL)
    assert ("consensus", "simultaneous") not in names and ("sga", "simultaneous") not in names


def test_heavy_ball_scalar_polynomial_is_the_slides_one():
    lam, mu = sp.Symbol("lambda"), sp.Symbol("mu")
    eta, beta = PARAM_SYMBOLS["eta"], PARAM_SYMBOLS["beta"]
    q = scalar_polynomial(gt.methods.get("momentum"))
    assert sp.expand(q - (mu**2 - (1 + beta - eta * lam) * mu + beta)) == 0


@pytest.mark.parametrize("method", SPECTRAL, ids=repr)
@pytest.mark.parametrize("game", [
    gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]]),
    gt.games.get("dirac_gan"), gt.games.get("general_sum")], ids=lambda g: g.name)
def test_spectral_path_matches_plain(method, game):
    rng = np.random.default_rng(3)
    prm = random_params(method, rng, 10)
    fast = sweep_radius(game, method, path="spectral", **prm)
    np.testing.assert_allclose(fast, plain_radius(game, method, **prm), rtol=1e-8)


@settings(max_examples=15)
@given(seed=st.integers(0, 10**6), rows=st.integers(1, 3), cols=st.integers(1, 3),
       which=st.sampled_from(["momentum", "ogd", "eg", "gd"]), order=st.sampled_from(["simultaneous", "alternating"]))
def test_property_bilinear_random_games(seed, rows, cols, which, order):
    rng = np.random.default_rng(seed)
    game = gt.games.bilinear(random_matrix(rng, rows, cols))
    m = gt.methods.get(which, order=order)
    prm = random_params(m, rng, 5)
    fast = sweep_radius(game, m, **prm)
    np.testing.assert_allclose(fast, plain_radius(game, m, **prm), rtol=1e-7)


def test_grid_broadcast_and_routing_through_spectral_radius():
    game = gt.games.bilinear([[1, 0], [0, 2]])
    m = gt.methods.get("momentum", order="alternating")
    eta = np.linspace(0.05, 1.0, 7)[:, None]
    beta = np.linspace(-0.9, 0.6, 5)[None, :]
    r = gt.spectral_radius(game, m, eta=eta, beta=beta)
    assert r.shape == (7, 5)
    np.testing.assert_allclose(r, plain_radius(game, m, eta=eta, beta=beta), rtol=1e-9)
    # small chunks give the same answer (bounded memory)
    np.testing.assert_array_equal(sweep_radius(game, m, eta=eta, beta=beta, chunk_points=3), r)


def test_general_path_matches_plain():
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


def test_roots_closed_forms_against_numpy():
    rng = np.random.default_rng(5)
    for d in (1, 2, 3, 4, 5):
        c = rng.normal(size=(d + 1, 200))
        ours = np.sort_complex(poly_roots(list(c)))
        ref = np.sort_complex(np.array([np.roots(c[:, i]) for i in range(200)]))
        np.testing.assert_allclose(np.abs(ours).max(axis=1), np.abs(ref).max(axis=1), rtol=1e-9)
    rad, clustered = max_root_modulus([np.array([1.0]), np.array([-2.0]), np.array([1.0])])
    assert clustered[0] and abs(rad[0] - 1) < 1e-7


def test_bad_input_names_the_parameter():
    game = gt.games.bilinear([[1]])
    with pytest.raises(ParameterError, match="path"):
        sweep_radius(game, gt.methods.get("gd"), eta=np.ones(2), path="fast")
    with pytest.raises(ParameterError, match="path"):
        sweep_radius(gt.games.get("quadratic"), gt.methods.get("gd", order="alternating"),
                     eta=np.ones(2), path="bilinear")
    with pytest.raises(ParameterError, match="chunk_points"):
        sweep_radius(game, gt.methods.get("gd"), eta=np.ones(2), chunk_points=0)
    with pytest.raises(ParameterError, match="eta"):
        sweep_radius(game, gt.methods.get("gd"), eta=np.array([np.nan]))


def test_numba_kernel_matches_numpy_closed_forms():
    pytest.importorskip("numba")
    from gametheory.sweep import roots as sweep

    if sweep._numba_quartic_kernel() is None:
        pytest.skip("numba kernel disabled")
    rng = np.random.default_rng(9)
    c = [np.ones(5000)] + [rng.normal(size=5000) for _ in range(4)]
    a, fa = max_root_modulus(c, use_kernel=True)
    b, fb = max_root_modulus(c, use_kernel=False)
    np.testing.assert_allclose(a, b, rtol=1e-12)
    assert (fa == fb).mean() > 0.999


QUAD = gt.games.quadratic([[1, 0], [0, 2]], [[1, 2], [0, 1]], [[1, 0], [0, 3]])


@pytest.mark.parametrize("name, structural, games", [
    ("unrolled", {"k": 3}, (QUAD, gt.games.bilinear([[1, 0], [0, 2]]))),
    ("n_inner", {"n": 3}, (QUAD,)),          # on bilinear games n_inner's radius is 1 for every n
])
def test_structural_parameters_given_at_the_call_shape_the_grid(name, structural, games):
    """k / n passed to the call (not bound with methods.get) are used by every path (they used to be ignored)."""
    for game in games:
        eta = np.array([0.1, 0.3])
        given = gt.spectral_radius(game, gt.methods.get(name), eta=eta, **structural)
        bound = gt.spectral_radius(game, gt.methods.get(name, **structural), eta=eta)
        default = gt.spectral_radius(game, gt.methods.get(name), eta=eta)
        np.testing.assert_allclose(given, bound, rtol=1e-12)
        assert not np.allclose(given, default)
        assert given[1] == pytest.approx(gt.spectral_radius(game, gt.methods.get(name), eta=0.3, **structural), rel=1e-9)
