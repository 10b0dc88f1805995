"""Exact rational linear algebra with FLINT: conversions, matrices, polynomials (floats at their binary value)."""
from fractions import Fraction

import numpy as np
import sympy as sp

from gametheory.rational import (RationalMatrix, RationalOps, fmpq_poly_of, fmpz_poly_of, rational_matrix, submatrix,
                                 to_float_array, to_fmpq, to_sympy_matrix, to_sympy_poly, vstack)


def test_rational_matrices():
    assert rational_matrix([[1, sp.sqrt(2)]]) is None and rational_matrix([[sp.Symbol("a")]]) is None
    assert rational_matrix([[True]]) is None and rational_matrix([1, 2]) is None
    M = rational_matrix(np.array([[0.1, 2]]))
    assert to_sympy_matrix(M)[0] == sp.Rational(*(0.1).as_integer_ratio())  # floats at their binary value
    assert to_float_array(M).tolist() == [[0.1, 2.0]]
    R = RationalMatrix(rational_matrix([[1, 2], [3, 4]]))
    assert (R @ R.T / 2 - 3 * R).tolist() == [[sp.Rational(-1, 2), sp.Rational(-1, 2)], [sp.Rational(-7, 2), sp.Rational(1, 2)]]
    assert to_fmpq("1/3") is None and to_fmpq(sp.Rational(1, 3)) == to_fmpq(sp.Rational(2, 6))


def test_every_kind_of_rational_number_is_read_exactly_and_nothing_else():
    for value, want in ((3, (3, 1)), (np.int64(-2), (-2, 1)), (Fraction(2, 6), (1, 3)), (0.5, (1, 2)),
                        (sp.Rational(-5, 7), (-5, 7)), (sp.Float(0.25), (1, 4))):
        q = to_fmpq(value)
        assert (int(q.p), int(q.q)) == want, value
    for value in (True, np.bool_(False), float("inf"), float("nan"), sp.pi, "1", None):
        assert to_fmpq(value) is None, value


def test_solve_stack_and_slice_are_exact():
    A = rational_matrix([[2, 1], [1, 3]])
    x = RationalOps.solve(RationalMatrix(A), RationalMatrix(rational_matrix([[1], [0]])))
    assert x.tolist() == [[sp.Rational(3, 5)], [sp.Rational(-1, 5)]]
    assert (RationalOps.eye(2) - RationalOps.zeros(2, 2)).tolist() == [[1, 0], [0, 1]]
    S = vstack([A, rational_matrix([[5, 6]])])
    assert to_sympy_matrix(S) == sp.Matrix([[2, 1], [1, 3], [5, 6]])
    assert to_sympy_matrix(submatrix(S, slice(1, 3), slice(0, 1))) == sp.Matrix([[1], [5]])


def test_polynomials_keep_their_roots_with_integer_coefficients():
    mu = sp.Symbol("mu")
    p = fmpq_poly_of(sp.Poly(sp.Rational(1, 2) * mu**2 - sp.Rational(1, 3), mu))
    z = fmpz_poly_of(p)  # primitive, positive leading coefficient: 3 mu^2 - 2
    assert [int(c) for c in z.coeffs()] == [-2, 0, 3]
    assert sp.Poly(to_sympy_poly(z, mu), mu).monic() == sp.Poly(mu**2 - sp.Rational(2, 3), mu)
    assert [int(c) for c in fmpz_poly_of(fmpq_poly_of([-4, 0, 2])).coeffs()] == [-1, 0, 2]  # -4 mu^2 + 2 -> 2 mu^2 - 1
    assert fmpq_poly_of([1, sp.sqrt(2)]) is None
