"""The backends: the same rule sees a game through SymPy and NumPy alike."""
import numpy as np
import pytest
import sympy as sp

import gametheory as gt
from gametheory.backends import NumericField, NumPyOps, SymbolicField, SymPyOps, lambdify_matrix


@pytest.mark.parametrize("name", ["bilinear2", "quadratic_indefinite", "general_sum", "dirac_r1", "cos_sin"])
def test_numeric_field_equals_the_symbolic_field(name):
    g = gt.games.get(name)
    num, sym = NumericField(g), SymbolicField(g)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=len(g.x)) * 0.3, rng.normal(size=len(g.y)) * 0.3
    xs, ys = sp.Matrix([sp.Rational(v).limit_denominator(10**6) for v in x]), \
        sp.Matrix([sp.Rational(v).limit_denominator(10**6) for v in y])
    xf, yf = np.array([float(v) for v in xs]), np.array([float(v) for v in ys])
    np.testing.assert_allclose(num.v_x(xf, yf), [float(v) for v in sym.v_x(xs, ys)], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(num.v_y(xf, yf), [float(v) for v in sym.v_y(xs, ys)], rtol=1e-12, atol=1e-14)
    for a, b in zip(num.jac(xf, yf), sym.jac(xs, ys)):
        np.testing.assert_allclose(a, np.array(b.evalf(20).tolist(), dtype=float), rtol=1e-12, atol=1e-14)


def test_affine_fields_take_column_stacks():
    g = gt.games.bilinear([[1, 2], [0, 1]])
    f = NumericField(g)
    X, Y = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    vx = f.v_x(X, Y)
    for j in range(3):
        np.testing.assert_allclose(vx[:, j], f.v_x(X[:, j], Y[:, j]))


def test_ops_agree():
    M = [[2.0, 1.0], [1.0, 3.0]]
    b = [1.0, 2.0]
    np.testing.assert_allclose(NumPyOps.solve(np.array(M), np.array(b)),
                               [float(v) for v in SymPyOps.solve(sp.Matrix(M), sp.Matrix(b))])
    assert NumPyOps.eye(3).shape == (3, 3) and SymPyOps.zeros(2, 3).shape == (2, 3)


def test_lambdify_matrix_broadcasts():
    a = sp.Symbol("a")
    f = lambdify_matrix(sp.Matrix([[a, 1], [0, a**2]]), [a])
    out = f(np.array([1.0, 2.0, 3.0]))
    assert out.shape == (2, 2, 3)
    np.testing.assert_allclose(out[1, 1], [1, 4, 9]) and np.testing.assert_allclose(out[0, 1], 1)
