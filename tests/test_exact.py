"""Exact unit-circle decisions on matrices whose answer is known by hand."""
import pytest
import sympy as sp

from gametheory.exact import locate, radius_exact, radius_mp, schur_stable, charpoly, MU

c30, s30 = sp.sqrt(3) / 2, sp.Rational(1, 2)
ROT = sp.Matrix([[0, -1], [1, 0]])


@pytest.mark.parametrize("M, verdict, on_circle, defective", [
    (sp.Matrix([[c30, -s30], [s30, c30]]), "bounded", 2, False),      # rotation by 30 degrees (algebraic)
    (sp.Matrix([[1, 1], [0, 1]]), "diverges", 2, True),               # Jordan block at 1
    (sp.Matrix([[-1, 1], [0, -1]]), "diverges", 2, True),             # Jordan block at -1
    (sp.eye(3), "bounded", 3, False),                                  # repeated but semisimple
    (sp.diag(ROT, ROT), "bounded", 4, False),                          # repeated +-i, semisimple
    (sp.Matrix([[0, -1, 1, 0], [1, 0, 0, 1], [0, 0, 0, -1], [0, 0, 1, 0]]), "diverges", 4, True),  # Jordan at +-i
    (sp.diag(2, sp.Rational(1, 2)), "diverges", 0, False),             # reciprocal pair off the circle
    (ROT * sp.Rational(9, 10), "converges", 0, False),
    (sp.diag(ROT, sp.Rational(1, 2)), "bounded", 2, False),
    (sp.diag(ROT, sp.Rational(11, 10)), "diverges", 2, False),
    (sp.Matrix([[0]]), "converges", 0, False),
])
def test_locate(M, verdict, on_circle, defective):
    rep = locate(M)
    assert (rep.verdict, rep.on_circle, rep.defective) == (verdict, on_circle, defective)


def test_a_radius_within_rounding_of_one_is_not_rounded():
    eps = sp.Rational(1, 10**30)
    assert locate(ROT * (1 + eps)).verdict == "diverges"
    assert locate(ROT * (1 - eps)).verdict == "converges"
    assert locate(ROT).verdict == "bounded"


def test_schur_cohn_against_known_roots():
    assert schur_stable(sp.Poly((MU - sp.Rational(1, 2)) * (MU + sp.Rational(9, 10)), MU))
    assert not schur_stable(sp.Poly((MU - sp.Rational(1, 2)) * (MU + 1), MU))
    assert not schur_stable(sp.Poly((MU - 2) * (MU - sp.Rational(1, 10)), MU))


def test_radius_exact_and_high_precision_agree():
    M = sp.Matrix([[1, -sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])
    exact = radius_exact(charpoly(M))
    assert exact == sp.sqrt(5) / 2
    assert abs(float(radius_mp(charpoly(M))) - float(exact)) < 1e-15


def test_defective_double_root_keeps_full_precision():
    # (mu - 1/2)^2 with a Jordan block: float eigvals would be off by ~1e-8
    M = sp.Matrix([[sp.Rational(1, 2), 1], [0, sp.Rational(1, 2)]])
    assert abs(float(radius_mp(charpoly(M))) - 0.5) < 1e-15


# ------------------------------------------------------------- the rational route (FLINT / Arb)
import warnings

import mpmath
import numpy as np
from hypothesis import given, settings, strategies as st

from gametheory.exact import (EnclosureWarning, _locate, _validated_roots, certified_factors, locate_rational,
                              radius_with_exactness)
from gametheory.rational import fmpz_poly_of, rational_matrix

PYTH = sp.Matrix([[sp.Rational(3, 5), -sp.Rational(4, 5)], [sp.Rational(4, 5), sp.Rational(3, 5)]])  # |mu| = 1, no root of unity


def _special(kind, rng):
    """Matrices whose unit-circle structure is known: rotations, Jordan blocks, reciprocal pairs, scalings."""
    I2 = sp.eye(2)
    blocks = {
        "rotation": PYTH,
        "jordan_rotation": sp.Matrix(sp.BlockMatrix([[PYTH, I2], [sp.zeros(2), PYTH]])),
        "semisimple_repeat": sp.diag(PYTH, PYTH),
        "jordan_one": sp.Matrix([[1, 1], [0, 1]]),
        "minus_one": sp.diag(-1, -1, sp.Rational(1, 3)),
        "reciprocal": sp.diag(sp.Rational(5, 2), sp.Rational(2, 5)),
        "inside": PYTH * sp.Rational(99, 100),
        "outside": PYTH * sp.Rational(101, 100),
    }
    M = blocks[kind]
    n = M.shape[0]
    while True:  # hide the structure behind a random rational similarity
        S = sp.Matrix(n, n, lambda i, j: sp.Rational(int(rng.integers(-3, 4)), int(rng.integers(1, 3))))
        if S.det() != 0:
            return S * M * S.inv()


KINDS = ["rotation", "jordan_rotation", "semisimple_repeat", "jordan_one", "minus_one", "reciprocal", "inside", "outside"]


@pytest.mark.parametrize("kind", KINDS)
def test_flint_route_equals_sympy_route_on_known_structures(kind):
    M = _special(kind, np.random.default_rng(KINDS.index(kind)))
    a, b = _locate(M), _locate(M, engine="sympy")
    assert (a.verdict, a.on_circle, a.defective, a.outside) == (b.verdict, b.on_circle, b.defective, b.outside)
    assert sp.expand(a.charpoly.as_expr() - b.charpoly.as_expr()) == 0


def test_known_verdicts_on_hidden_structures():
    rng = np.random.default_rng(1)
    want = {"rotation": ("bounded", False), "jordan_rotation": ("diverges", True), "semisimple_repeat": ("bounded", False),
            "jordan_one": ("diverges", True), "minus_one": ("bounded", False), "reciprocal": ("diverges", False),
            "inside": ("converges", False), "outside": ("diverges", False)}
    for kind, (verdict, defective) in want.items():
        rep = locate_rational(_special(kind, rng))
        assert (rep.verdict, rep.defective) == (verdict, defective), kind


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 5), den=st.integers(1, 4))
def test_property_flint_and_sympy_routes_agree(seed, n, den):
    rng = np.random.default_rng(seed)
    M = sp.Matrix(n, n, lambda i, j: sp.Rational(int(rng.integers(-3, 4)), den))
    if seed % 3 == 0:
        M = sp.diag(M, PYTH)
    a, b = _locate(M), _locate(M, engine="sympy")
    assert (a.verdict, a.on_circle, a.defective, a.outside) == (b.verdict, b.on_circle, b.defective, b.outside)
    value, exact = radius_with_exactness(a.charpoly, a)
    with mpmath.workdps(40):
        coeffs = [mpmath.mpf(sp.Rational(c).p) / sp.Rational(c).q for c in b.charpoly.all_coeffs()]
        ref = max(abs(e) for e in mpmath.polyroots(coeffs, maxsteps=400, extraprec=400)) if n else 0
    assert exact and abs(sp.N(value, 30) - sp.Float(mpmath.nstr(ref, 30), 30)) < 1e-20


def test_exact_radius_of_a_3x3_integer_game_is_algebraic():
    """Exact inputs give exact results: gd on a 3x3 integer bilinear game at eta = 1/10 (factors of degree 6,
    complex top root)."""
    import gametheory as gt

    g = gt.games.bilinear([[1, 2, 0], [0, 1, 3], [2, 0, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", EnclosureWarning)
        r = gt.spectral_radius(g, gt.methods.get("gd"), eta="1/10")
    assert r.has(sp.CRootOf) and not r.has(sp.Float)
    # |mu|^2 = 1 + eta^2 sigma^2 with sigma^2 the largest eigenvalue of A'A: a root of a cubic
    A = sp.Matrix([[1, 2, 0], [0, 1, 3], [2, 0, 1]])
    smax2 = max((A.T * A).eigenvals(multiple=True), key=lambda e: sp.re(sp.N(e)))
    assert abs(sp.N(r - sp.sqrt(1 + smax2 / 100), 40)) < 1e-35


def test_large_complex_top_root_gives_a_flagged_certified_enclosure():
    rng = np.random.default_rng(3)
    while True:
        M = sp.Matrix(30, 30, lambda i, j: int(rng.integers(-2, 3)))
        ev = np.linalg.eigvals(np.array(M.tolist(), dtype=float))
        if abs(ev[np.argmax(abs(ev))].imag) > 1e-3:
            break
    rep = locate_rational(M)
    with pytest.warns(EnclosureWarning, match="certified"):
        value, exact = radius_with_exactness(rep.charpoly, rep)
    assert not exact and isinstance(value, sp.Float)
    p = fmpz_poly_of(rational_matrix(M).charpoly())
    import flint
    with flint.ctx.workprec(400):  # an independent certified route: Arb on the whole polynomial
        top = max(abs(r) for r, _ in p.complex_roots())
        assert abs(top - flint.arb(str(value))) < flint.arb("1e-45")


def test_validated_roots_agree_with_arb():
    rng = np.random.default_rng(7)
    M = rational_matrix(sp.Matrix(12, 12, lambda i, j: sp.Rational(int(rng.integers(-5, 6)), 3)))
    p = fmpz_poly_of(M.charpoly())
    (f, _), = p.factor()[1]
    from gametheory.rational import to_float_array
    balls = _validated_roots(f, np.linalg.eigvals(to_float_array(M)), 128)
    assert balls is not None
    ref = [r for r, _ in f.complex_roots()]
    for b in balls:
        assert sum(1 for r in ref if r.overlaps(b)) == 1
    assert _validated_roots(f, np.zeros(12), 128) is None  # bad seeds: rejected, not trusted
    assert certified_factors(M.charpoly(), seeds=np.zeros(12))[0].degree == 12  # ... and the fallback works


def test_radius_of_huge_and_tiny_roots_keeps_relative_precision():
    mu = MU
    for scale in (sp.Integer(10) ** 200, sp.Rational(1, 10**200)):
        p = sp.Poly((mu - 3 * scale) * (mu ** 2 + scale ** 2), mu)
        assert abs(radius_mp(p) / mpmath.mpf(str(sp.N(3 * scale, 60))) - 1) < mpmath.mpf(10) ** -45
