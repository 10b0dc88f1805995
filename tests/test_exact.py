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
