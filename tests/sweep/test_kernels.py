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
