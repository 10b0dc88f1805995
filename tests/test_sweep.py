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


@pytest.mark.parametrize("degree, cplx", [(2, False), (3, False), (4, False), (1, True), (2, True)])
def test_compiled_formulas_are_the_numpy_formulas(degree, cplx):
    """The numba copies of the closed forms (same code objects, scalar primitives) against NumPy's evaluation."""
    pytest.importorskip("numba")
    import numba

    from gametheory.sweep import roots

    ns = roots.compiled_formulas()
    if ns is None:
        pytest.skip("numba disabled")
    rng = np.random.default_rng(degree)
    n = 4000
    c = [rng.normal(size=n) + (1j * rng.normal(size=n) if cplx else 0) for _ in range(degree + 1)]
    name = roots.top_formula(degree, cplx)
    a, fa = roots.max_root_modulus(c)
    fn = ns[name]

    args = ", ".join(f"C[{k}, i]" for k in range(degree + 1))
    src = f"def run(C, out, fl):\n    for i in range(out.size):\n        out[i], fl[i] = fn({args}, 1e-6)\n"
    glb = {"fn": fn}
    exec(src, glb)
    run = numba.njit(error_model="numpy")(glb["run"])

    b, fb = np.empty(n), np.empty(n, dtype=bool)
    run(np.array(c), b, fb)
    np.testing.assert_allclose(b, a, rtol=1e-12)
    assert (fa == fb).mean() > 0.999
    ref = np.array([np.abs(np.roots([ci[i] for ci in c])).max() for i in range(n)])
    np.testing.assert_allclose(a[~fa], ref[~fa], rtol=1e-9)


FUSED = [
    ("bilinear", lambda: gt.games.bilinear([[1, 2], [0, 3], [1, 1]]), gt.methods.get("momentum", order="alternating")),
    ("spectral", lambda: gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]]),
     gt.methods.get("momentum")),
    ("general", lambda: gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]]),
     gt.methods.get("momentum", order="alternating")),  # degree 8: Aberth
    ("general", lambda: gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]]),
     gt.methods.get("gd", order="alternating")),        # degree 4: Ferrari
]


@pytest.mark.parametrize("path, make, method", FUSED, ids=[f"{p}-{m!r}" for p, _, m in FUSED])
def test_fused_kernels_match_numpy_and_plain(path, make, method, monkeypatch):
    """The compiled kernels (forced on a small grid) against the NumPy path and the plain path."""
    pytest.importorskip("numba")
    from gametheory.sweep import engine, roots

    if roots.compiled_formulas() is None:
        pytest.skip("numba disabled")
    game = make()
    rng = np.random.default_rng(2)
    prm = random_params(method, rng, 400)
    assert choose_path(game, method, **prm) == path
    plain = plain_radius(game, method, **prm)
    numpy_path = sweep_radius(game, method, **prm)
    monkeypatch.setattr(engine, "KERNEL_MIN_POINTS", 0)
    fused = sweep_radius(game, method, **prm)
    np.testing.assert_allclose(numpy_path, plain, rtol=1e-9)
    np.testing.assert_allclose(fused, plain, rtol=1e-8)  # the characteristic polynomial's conditioning (flagged above)


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


@pytest.mark.parametrize("eta, want", [(1e110, 1e110), (1e200, 1e200), (1e-110, 1.0), (1e154, 1e154)])
def test_huge_and_tiny_step_sizes_keep_their_magnitude(eta, want):
    """gd on min max xy: the radius is sqrt(1 + eta^2), to full relative precision at any size."""
    g = gt.games.bilinear([[1]])
    gd = gt.methods.get("gd")
    assert abs(gt.spectral_radius(g, gd, eta=eta) - want) <= 1e-15 * want
    grid = gt.spectral_radius(g, gd, eta=np.array([eta, 0.5]))
    assert abs(grid[0] - want) <= 1e-15 * want and abs(grid[1] - np.sqrt(1.25)) < 1e-15
    if eta <= 1e150:  # alternating momentum: radius ~ eta^2 (a float up to eta ~ 1e154)
        alt = gt.methods.get("momentum", order="alternating")
        exact = float(gt.spectral_radius(g, alt, eta=sp.Rational(*float(eta).as_integer_ratio()), beta=sp.Rational(1, 2)))
        assert abs(gt.spectral_radius(g, alt, eta=np.array([eta]), beta=0.5)[0] - exact) <= 1e-14 * exact


def test_tiny_radii_keep_their_magnitude():
    """Heavy ball on J = I at eta = 1: mu^2 - beta mu + beta, radius ~ sqrt(beta), beta down to 1e-250."""
    game = gt.games.quadratic([[1]], [[0]], [[1]])
    mom = gt.methods.get("momentum")
    for beta in (1e-250, 1e-120):
        exact = float(gt.spectral_radius(game, mom, eta=1, beta=sp.Rational(*beta.as_integer_ratio())))
        got = sweep_radius(game, mom, eta=np.array([1.0]), beta=np.array([beta]))[0]
        assert abs(got - exact) <= 1e-14 * exact
