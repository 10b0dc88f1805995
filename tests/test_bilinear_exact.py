"""The exact singular-value reduction of bilinear games against the full augmented Jacobian."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import gametheory as gt
from gametheory.bilinear_exact import _class_matrix, _in_t, _resultant_in_t, bilinear_report
from gametheory.exact import _poly_at_fmpq_mat, certified_factors, locate_rational, radius_exact
from gametheory.linearize import augmented_matrix
from gametheory.rational import fmpz_poly_of

METHODS = gt.methods.registry()


def _params(method, rng):
    prm = {"eta": sp.Rational(int(rng.integers(1, 9)), int(rng.integers(1, 5)))}
    for name, lo, hi in (("beta", -4, 5), ("gamma", 0, 5), ("lam", -4, 5)):
        if name in method.param_names:
            prm[name] = sp.Rational(int(rng.integers(lo, hi)), 4)
    return prm


def _same(a, b):
    assert (a.verdict, a.on_circle, a.defective, a.outside) == (b.verdict, b.on_circle, b.defective, b.outside)
    assert sp.expand(a.charpoly.as_expr() - b.charpoly.as_expr()) == 0
    assert abs(sp.N(radius_exact(a.charpoly, a) - radius_exact(b.charpoly, b), 30)) < 1e-25


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 10**6), rows=st.integers(1, 3), cols=st.integers(1, 3), k=st.integers(0, len(METHODS) - 1),
       rank=st.sampled_from([None, 1]))
def test_property_reduction_equals_full_matrix(seed, rows, cols, k, rank):
    rng = np.random.default_rng(seed)
    A = rng.integers(-2, 3, size=(rows, cols))
    if rank == 1:
        A = np.outer(rng.integers(-2, 3, rows), rng.integers(-2, 3, cols))
    g = gt.games.bilinear(A.tolist())
    m = METHODS[k]
    prm = _params(m, rng)
    _same(bilinear_report(g, m, prm), locate_rational(augmented_matrix(g, m, prm)))


ALT_GD = gt.methods.get("gd", order="alternating")


@pytest.mark.parametrize("A, eta, verdict, defective", [
    ([[1, 0], [0, 1]], 1, "bounded", False),   # a repeated singular value: two equal blocks, semisimple
    ([[1, 0], [0, 1]], 2, "diverges", True),   # eta sigma = 2: (mu + 1)^2 is a Jordan block in each block
    ([[1, 0], [0, 2]], 1, "diverges", True),   # only the sigma = 2 block is defective
    ([[2, 0], [0, 2], [0, 0]], 1, "diverges", True),
    ([[1, 1], [1, 1]], 1, "diverges", True),   # sigma = 2 and sigma = 0 (an uncoupled pair)
    ([[3, 0], [0, 3]], sp.Rational(1, 2), "bounded", False),
])
def test_jordan_structure_of_alternating_gd(A, eta, verdict, defective):
    g = gt.games.bilinear(A)
    rep = bilinear_report(g, ALT_GD, {"eta": eta})
    assert (rep.verdict, rep.defective) == (verdict, defective)
    _same(rep, locate_rational(augmented_matrix(g, ALT_GD, {"eta": eta})))


def test_uncoupled_coordinates_with_unit_momentum_are_a_jordan_block():
    """beta = 1 makes the uncoupled x block [[2, -1], [1, 0]] defective at 1 (zero singular value)."""
    g = gt.games.bilinear([[1, 2, 0], [2, 4, 0]])
    m = gt.methods.get("momentum", order="alternating")
    for beta, defective in ((1, True), (sp.Rational(1, 2), False)):
        rep = bilinear_report(g, m, {"eta": sp.Rational(1, 10), "beta": beta})
        _same(rep, locate_rational(augmented_matrix(g, m, {"eta": sp.Rational(1, 10), "beta": beta})))
        assert rep.defective is defective or rep.outside


def test_class_matrix_is_similar_to_the_blocks_of_its_conjugate_singular_values():
    """A'A of [[1, 1], [0, 1]] has the irreducible eigenvalues (3 +- sqrt 5)/2: one class of degree 2."""
    g = gt.games.bilinear([[1, 1], [0, 1]])
    m = gt.methods.get("momentum", order="alternating")
    prm = {"eta": sp.Rational(1, 3), "beta": sp.Rational(-1, 4)}
    from gametheory.bilinear_exact import _bound, _values
    from gametheory.sweep.polynomials import bilinear_polynomials

    mb = _bound(m, prm)
    vals = _values(mb, prm)
    A = g.matrices["A"]
    c = fmpz_poly_of((A.transpose() * A).charpoly())
    (cj, _), = c.factor()[1]
    assert cj.degree() == 2
    Bj = _class_matrix(mb, (), vals, cj)
    M = augmented_matrix(g, m, prm)
    num, _ = sp.fraction(sp.together(sp.expand(bilinear_polynomials(mb).block).xreplace(vals)))
    Rj = _resultant_in_t(cj, _in_t(sp.expand(num)))
    assert Bj.charpoly() == M.charpoly() == Rj
    # same Jordan structure: equal nullities of f(B) for every factor f, and of its square
    for f in certified_factors(M.charpoly()):
        for power in (1, 2):
            q = f.poly ** power
            assert _poly_at_fmpq_mat(q, Bj).rank() == _poly_at_fmpq_mat(q, M).rank()


def test_irrational_parameters_fall_back():
    from gametheory.linearize import NotRational

    with pytest.raises(NotRational):
        bilinear_report(gt.games.bilinear([[1]]), ALT_GD, {"eta": 1 / sp.sqrt(3)})
    # the public API still answers exactly (SymPy's algebraic fields)
    assert gt.stability(gt.games.bilinear([[1]]), ALT_GD, eta=1 / sp.sqrt(3)) == "bounded"


@pytest.mark.slow
def test_20x20_alternating_momentum_reduction_and_full_route_agree():
    rng = np.random.default_rng(0)
    g = gt.games.bilinear(rng.integers(-3, 4, size=(20, 20)).tolist())
    m = gt.methods.get("momentum", order="alternating")
    for prm in ({"eta": sp.Rational(1, 10), "beta": sp.Rational(-1, 5)}, {"eta": sp.Rational(1, 100), "beta": sp.Rational(-1, 5)}):
        _same(bilinear_report(g, m, prm), locate_rational(augmented_matrix(g, m, prm)))
