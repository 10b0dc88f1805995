"""The compiled kernels are the NumPy formulas (one formula per closed form), fused kernels against the plain path."""
import numpy as np
import pytest

import gametheory as gt
from gametheory.sweep import choose_path, sweep_radius


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
def test_fused_kernels_match_numpy_and_plain(path, make, method, monkeypatch, plain_radius, random_params):
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


def test_generated_aberth_kernel_matches_numpy():
    """A degree-6 mode polynomial (no closed form): the generated Aberth kernel against the NumPy companion roots."""
    pytest.importorskip("numba")
    import sympy as sp

    from gametheory.derive import MU, PARAM_SYMBOLS, SIGMA
    from gametheory.sweep import roots
    from gametheory.sweep.engine import _Grid
    from gametheory.sweep.modes import modes_max
    from gametheory.sweep.polynomials import CompiledPolynomial

    if roots.compiled_formulas() is None:
        pytest.skip("numba disabled")
    eta = PARAM_SYMBOLS["eta"]
    comp = CompiledPolynomial(MU**6 - eta * SIGMA * MU**3 + sp.Rational(1, 3) * eta * MU - sp.Rational(1, 10),
                              [SIGMA, eta], ["sigma", "eta"], SIGMA, "sigma")
    modes = [(comp, {"sigma": s}) for s in (0.5, 1.0, 2.0)]
    grid = _Grid({"eta": np.linspace(0.01, 2.0, 3000)})
    fused = modes_max(modes, grid, 1 << 15, np.empty(grid.size), 1e-6, use_kernel=True)
    plain = modes_max(modes, grid, 1 << 15, np.empty(grid.size), 1e-6, use_kernel=False)
    np.testing.assert_allclose(fused, plain, rtol=1e-9)


def _dd_poly(roots):
    """Exact coefficients of prod (mu - r) (rational roots; complex ones as conjugate pairs (re, im)) split into
    double-double, and their exact values."""
    from fractions import Fraction

    from gametheory.sweep.doubledouble import split

    c = [Fraction(1)]
    for r in roots:
        if isinstance(r, tuple):  # mu^2 - 2 re mu + re^2 + im^2
            q = [Fraction(1), -2 * r[0], r[0] ** 2 + r[1] ** 2]
        else:
            q = [Fraction(1), -r]
        out = [Fraction(0)] * (len(c) + len(q) - 1)
        for i, a in enumerate(c):
            for j, b in enumerate(q):
                out[i + j] += a * b
        c = out
    hl = np.array([split(x) for x in c])
    return hl[:, 0].copy(), hl[:, 1].copy(), c


def _polish():
    from gametheory.sweep import kernels

    if kernels.rows_kernel() is None:
        pytest.skip("numba disabled")
    return kernels._aberth_top_jit, kernels._aberth_polish_jit


def test_polish_resolves_an_ill_conditioned_top_root():
    """Nine roots spaced 1e-2 down from 0.99 and a complex pair: the top root's condition number is ~1e15, so
    float64 coefficients (errors ~1e-16) may move it by ~0.1 and the flag says so; the double-double polish finds
    0.99 to 1e-14 and clears the flag."""
    from fractions import Fraction

    pytest.importorskip("numba")
    top_f, polish = _polish()
    roots = [Fraction(99 - j, 100) for j in range(9)] + [(Fraction(1, 2), Fraction(1, 3))]
    ch, cl, _ = _dd_poly(roots)
    d = ch.size - 1
    ce = 2.0**-106 * np.abs(ch)
    cf = 2.2e-16 * np.abs(ch)
    z, zb = np.empty(d, complex), np.empty(2 * d, complex)
    r_float, f_float = top_f(ch, cf, z, zb, False, 1e-6, 0.0)
    assert f_float  # float64 alone: flagged (ill-conditioned)
    r, flag, sens = polish(ch, cl, ce, cf, z, 1e-6)
    assert not flag and abs(r - 0.99) <= 1e-14
    assert sens > 1e-9  # float64 would not do at the next point either
    zs = sorted(z, key=lambda w: -abs(w))
    assert abs(zs[0] - 0.99) <= 1e-14 and abs(zs[1] - 0.98) <= 1e-14


def test_shifted_variable_resolves_the_roots_crowding_near_one():
    """The same polynomial in ``w = mu - 1`` (``aberth_top(..., c=1)``): its small coefficients carry their own small
    errors, so float64 alone resolves the top root, ``|1 + w| = 0.99``, to 1e-14 without a flag; a point whose
    top root is far from 1 (the radius computed as ``|1 + w|`` as well) agrees with the unshifted variable."""
    from fractions import Fraction

    pytest.importorskip("numba")
    top_f, _ = _polish()
    roots = [Fraction(99 - j, 100) - 1 for j in range(9)] + [(Fraction(1, 2) - 1, Fraction(1, 3))]
    ch, _, _ = _dd_poly(roots)
    d = ch.size - 1
    z, zb = np.empty(d, complex), np.empty(2 * d, complex)
    r, flag = top_f(ch, 2.2e-16 * np.abs(ch), z, zb, False, 1e-6, 1.0)
    assert not flag and abs(r - 0.99) <= 1e-14
    assert abs(max(z, key=lambda w: abs(1 + w)) + 0.01) <= 1e-14
    far = [Fraction(-7, 5) - 1, (Fraction(1, 5) - 1, Fraction(6, 5)), Fraction(1, 4) - 1]
    ch, _, _ = _dd_poly(far)
    z, zb = np.empty(ch.size - 1, complex), np.empty(2 * (ch.size - 1), complex)
    r, flag = top_f(ch, 2.2e-16 * np.abs(ch), z, zb, False, 1e-6, 1.0)
    assert not flag and abs(r - 1.4) <= 1e-14


def test_polish_flags_a_double_top_root_and_keeps_well_conditioned_ones():
    """A double root on top is a cluster (flagged: decided exactly by the caller); a well-separated polynomial
    is polished to the float nearest its roots, unflagged."""
    from fractions import Fraction

    pytest.importorskip("numba")
    top_f, polish = _polish()
    for roots, flagged, rad in (([Fraction(9, 10), Fraction(9, 10), Fraction(1, 2), Fraction(-1, 3)], True, 0.9),
                                ([Fraction(-7, 5), (Fraction(1, 5), Fraction(6, 5)), Fraction(1, 4)], False, 1.4)):
        ch, cl, _ = _dd_poly(roots)
        d = ch.size - 1
        z, zb = np.empty(d, complex), np.empty(2 * d, complex)
        top_f(ch, 2.2e-16 * np.abs(ch), z, zb, False, 1e-6, 0.0)
        r, flag, _ = polish(ch, cl, 2.0**-106 * np.abs(ch), 2.2e-16 * np.abs(ch), z, 1e-6)
        assert flag == flagged
        assert abs(r - rad) <= (1e-7 if flagged else 1e-15) * rad


def test_dd_coefficients_are_the_exact_ones():
    """The characteristic polynomial's coefficients at binary grid values, in double-double, against FLINT's exact
    evaluation: within the returned bounds (and far below float64's error)."""
    pytest.importorskip("numba")
    import flint
    import sympy as sp
    from fractions import Fraction

    from gametheory.derive import PARAM_SYMBOLS
    from gametheory.sweep import kernels
    from gametheory.sweep.charpoly import parametric_charpoly

    _polish()
    eta, beta = PARAM_SYMBOLS["eta"], PARAM_SYMBOLS["beta"]
    J = sp.Matrix([[1 + beta - eta / 3, -beta, eta], [1, 0, 0], [-eta, sp.Rational(1, 7) * eta * beta, beta]])
    [cp] = parametric_charpoly(J, ["eta", "beta"])
    rng = np.random.default_rng(0)
    vals = {"eta": rng.uniform(0, 2, 50), "beta": rng.uniform(-1, 1, 50)}
    X = cp.points(vals, 50)
    d = cp.degree
    ch, cl, ce = np.empty(d + 1), np.empty(d + 1), np.empty(d + 1)
    G, xc = np.empty((3, cp.exponents[:, -1].max() + 1, d + 1)), np.full(2, np.nan)
    X[1::2, 0] = X[::2, 0]  # pairs of points on a line of fixed eta: the second reuses the partial sums
    for i in range(50):
        kernels._dd_coefficients_jit(X[i], cp.exponents, cp.table, cp.table_lo, ch, cl, ce, cp.total_degree, G, xc)
        assert xc[0] == X[i, 0]
        args = [flint.fmpq(*float(x).as_integer_ratio()) for x in X[i]]
        for k, c in enumerate(cp.coeffs):
            exact = Fraction(int(c(*args).p), int(c(*args).q))
            assert abs(Fraction(ch[k]) + Fraction(cl[k]) - exact) <= Fraction(ce[k])
            assert ce[k] <= 1e-12 * abs(cp.table[:, k]).sum() * 10


def test_f64_coefficients_match_the_numpy_evaluation():
    """The kernel's float64 coefficients (partial sums per grid line, Horner in the last parameter) against the
    NumPy twin ``ParametricCharpoly.evaluate`` and the exact values: both within their error estimates, which agree
    to a small factor; a point off the cached line recomputes the partial sums."""
    pytest.importorskip("numba")
    import flint
    import sympy as sp
    from fractions import Fraction

    from gametheory.derive import PARAM_SYMBOLS
    from gametheory.sweep import kernels
    from gametheory.sweep.charpoly import parametric_charpoly

    _polish()
    eta, beta = PARAM_SYMBOLS["eta"], PARAM_SYMBOLS["beta"]
    J = sp.Matrix([[1 + beta - eta / 3, -beta, eta], [1, 0, 0], [-eta, sp.Rational(1, 7) * eta * beta, beta ** 2]])
    [cp] = parametric_charpoly(J, ["eta", "beta"])
    rng = np.random.default_rng(1)
    vals = {"eta": np.repeat(rng.uniform(0, 2, 10), 4), "beta": rng.uniform(-1, 1, 40)}
    X = cp.points(vals, 40)
    C, E = cp.evaluate(vals, 40)
    d = cp.degree
    c, ce = np.empty(d + 1), np.empty(d + 1)
    G, xc = np.empty((2, cp.exponents[:, -1].max() + 1, d + 1)), np.full(2, np.nan)
    for i in range(40):
        kernels._f64_coefficients_jit(X[i], cp.exponents, cp.table, cp.total_degree, c, ce, G, xc)
        assert xc[0] == X[i, 0]
        args = [flint.fmpq(*float(x).as_integer_ratio()) for x in X[i]]
        for k, q in enumerate(cp.coeffs):
            exact = Fraction(int(q(*args).p), int(q(*args).q))
            assert abs(Fraction(c[k]) - exact) <= Fraction(ce[k])
            assert abs(c[k] - C[i, k]) <= ce[k] + E[i, k]
            assert E[i, k] <= ce[k] <= 4 * E[i, k] + 1e-300


def test_rows_follow_real_roots_into_a_complex_pair():
    """Heavy ball's ``mu^2 - (1 + beta - 2 eta) mu + beta`` on an (eta, beta) grid: along each line of beta its roots
    are real, collide and leave the real axis as a pair. Warm starts from exactly real roots must still find the
    pair (Aberth from real starts stays real: without the nudge off the axis 801 of these 8000 points were
    flagged), so few points are flagged and every other radius is the companion matrix's."""
    pytest.importorskip("numba")
    import sympy as sp

    from gametheory.derive import PARAM_SYMBOLS
    from gametheory.sweep import kernels
    from gametheory.sweep.charpoly import parametric_charpoly

    _polish()
    eta, beta = PARAM_SYMBOLS["eta"], PARAM_SYMBOLS["beta"]
    [cp] = parametric_charpoly(sp.Matrix([[1 + beta - 2 * eta, -beta], [1, 0]]), ["eta", "beta"])
    E, B = np.meshgrid(np.linspace(1e-3, 0.05, 40), np.linspace(-0.9, 0.9, 200), indexing="ij")
    X = cp.points({"eta": E.ravel(), "beta": B.ravel()}, E.size)
    n = X.shape[0]
    rad, flag = np.empty(n), np.empty(n, dtype=bool)
    ref = np.array([np.abs(np.roots([1.0, -(1 + b - 2 * e), b])).max() for e, b in X])
    empty = np.zeros((0, cp.degree + 1))
    for tl, sh in ((empty, empty), (cp.table_lo, cp.shifted_table())):
        kernels.rows_kernel()(X, cp.exponents, cp.table, tl, sh, cp.total_degree, 1e-6, rad, flag)
        assert flag.sum() <= 0.01 * n  # the collisions' neighbourhoods only
        assert np.all(np.abs(rad - ref)[~flag] <= 1e-12 * ref[~flag])
