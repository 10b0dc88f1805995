"""The interpolated characteristic polynomial equals SymPy's exact one (plain determinant) at rational points."""
import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.derive import MU, PARAM_SYMBOLS as S, symbolic_derivation
from gametheory.sweep.charpoly import parametric_charpoly


def test_interpolated_charpoly_is_the_exact_one():
    game = gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]])
    m = gt.methods.get("momentum", order="alternating")
    d = symbolic_derivation(game, m, {"eta": 0.1, "beta": 0.1}, None)
    J = d.jacobian.xreplace({S["eta_y"]: S["eta_x"], S["beta_y"]: S["beta_x"]})
    cps = parametric_charpoly(J, ["eta_x", "beta_x"])
    for eta, beta in ((sp.Rational(1, 7), sp.Rational(-2, 5)), (sp.Rational(3, 2), sp.Rational(9, 11))):
        vals = {"eta_x": eta, "beta_x": beta}
        ref = J.xreplace({S["eta_x"]: eta, S["beta_x"]: beta}).charpoly(MU).as_expr()
        prod = sp.Integer(1)
        for cp in cps:
            prod *= cp.exact_at(vals).as_expr()
        ratio = sp.cancel(ref / prod)  # equal up to roots at 0 and a constant
        assert sp.Poly(ratio, MU).is_monomial
        C, E = cps[0].evaluate({"eta_x": np.array([float(eta)]), "beta_x": np.array([float(beta)])}, 1)
        exact = [float(c) for c in cps[0].exact_at(vals).all_coeffs()]
        assert np.all(np.abs(C[0] - exact) <= E[0] + 1e-300)


def test_shifted_table_is_the_exact_taylor_shift():
    """``shifted_table`` holds ``p(1 + w)``'s coefficients in ``w``: at rational points, the table's monomials
    evaluated give SymPy's exact shifted polynomial to float rounding."""
    game = gt.games.quadratic([[1, 0], [0, 2]], [[1, -2], [0, 1]], [[2, 0], [0, 1]])
    m = gt.methods.get("momentum", order="alternating")
    d = symbolic_derivation(game, m, {"eta": 0.1, "beta": 0.1}, None)
    J = d.jacobian.xreplace({S["eta_y"]: S["eta_x"], S["beta_y"]: S["beta_x"]})
    w = sp.Symbol("w")
    for cp in parametric_charpoly(J, ["eta_x", "beta_x"]):
        T = cp.shifted_table()
        assert T.shape == cp.table.shape
        for eta, beta in ((sp.Rational(1, 64), sp.Rational(-7, 8)), (sp.Rational(3, 8), sp.Rational(1, 2))):
            exact = sp.Poly(cp.exact_at({"eta_x": eta, "beta_x": beta}).as_expr().subs(MU, 1 + w), w).all_coeffs()
            V = np.array([float(eta) ** int(a) * float(beta) ** int(b) for a, b in cp.exponents])
            got = V @ T
            scale = np.abs(V) @ np.abs(T)
            assert len(exact) == len(got)
            assert np.all(np.abs(got - np.array([float(c) for c in exact])) <= 1e-14 * scale + 1e-300)
