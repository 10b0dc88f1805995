"""Symbolic derivation: the update map, the augmented Jacobian and its polynomial, from the one rule."""
import numpy as np
import pytest
import sympy as sp

import gametheory as gt
from gametheory.derive import MU, PARAM_SYMBOLS, S, SIGMA, derive, singular_values, symbolic_derivation
from gametheory.validation import ParameterError

ETA, BETA = PARAM_SYMBOLS["eta"], PARAM_SYMBOLS["beta"]


def test_gd_on_xy_pen_and_paper():
    """z+ = z - eta v, v = (y, -x): J_F = [[1, -eta], [eta, 1]], det(mu I - J_F) = (mu - 1)^2 + eta^2."""
    d = derive(gt.games.bilinear([[1]]), gt.methods.get("gd"))
    assert d.jacobian == sp.Matrix([[1, -ETA], [ETA, 1]])
    assert sp.expand(d.charpoly - ((MU - 1) ** 2 + ETA**2)) == 0
    assert sp.expand(d.reduced_charpoly - ((MU - 1) ** 2 + S**2)) == 0
    assert d.fixed_point == (0, 0) and d.state_names == ("x1", "y1")


def test_momentum_state_is_augmented_and_its_block_is_per_singular_value():
    d = derive(gt.games.bilinear([[1, 0], [0, 2]]), gt.methods.get("momentum", order="alternating"))
    assert d.state_names == ("x1", "x2", "y1", "y2", "x1_prev", "x2_prev", "y1_prev", "y2_prev")
    assert d.jacobian.shape == (8, 8)
    block = d.singular_value_charpoly
    # the full polynomial is the product of the blocks at sigma = 1 and sigma = 2
    prod = sp.expand(block.xreplace({SIGMA: 1}) * block.xreplace({SIGMA: 2}))
    assert sp.expand(d.charpoly - prod) == 0
    assert BETA in d.reduced_charpoly.free_symbols and ETA not in d.reduced_charpoly.free_symbols


def test_numbers_given_are_substituted_and_the_rest_stays_symbolic():
    d = derive(gt.games.bilinear([[1]]), gt.methods.get("momentum"), eta=sp.Rational(1, 2))
    assert d.free_params == [BETA]
    d2 = derive(gt.games.bilinear([[1]]), gt.methods.get("gd"), two_timescale=True)
    assert {str(s) for s in d2.free_params} == {"eta_x", "eta_y"}
    d3 = derive(gt.games.bilinear([[1]]), gt.methods.get("momentum"), per_player=True)
    assert {str(s) for s in d3.free_params} == {"eta_x", "eta_y", "beta_x", "beta_y"}


def test_the_jacobian_of_a_nonlinear_game_is_that_of_its_quadratic_model():
    g = gt.games.dirac_gan("gan", reg="r1", gamma=1)
    m = gt.methods.get("eg")
    a = derive(g, m, eta=sp.Rational(1, 5)).jacobian
    b = derive(g.quadratic_model(), m, eta=sp.Rational(1, 5)).jacobian
    assert sp.simplify(a - b) == sp.zeros(2, 2)


def test_the_old_argument_order_still_works_with_a_warning():
    g, m = gt.games.bilinear([[1]]), gt.methods.get("gd")
    with pytest.warns(DeprecationWarning, match="derive\\(game, method\\)"):
        d = derive(m, g)
    assert d.jacobian == derive(g, m).jacobian


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ParameterError, match="'method'"):
        derive(gt.games.bilinear([[1]]), "gd")
    with pytest.raises(ParameterError, match="'game'"):
        derive("bilinear", gt.methods.get("gd"))
    with pytest.raises(ParameterError, match="losses"):
        derive(gt.games.curl_field(), gt.methods.get("unrolled"))


def test_symbolic_derivation_is_cached_per_structure_not_per_value():
    g, m = gt.games.bilinear([[1]]), gt.methods.get("eg")
    a = symbolic_derivation(g, m, {"eta": 0.1})
    assert symbolic_derivation(g, m, {"eta": 0.7}) is a
    b = symbolic_derivation(g, m, {"eta": 0.1, "eta_extrap": 0.2})
    assert b is not a and PARAM_SYMBOLS["eta_extrap"] in b.jacobian.free_symbols


def test_singular_values_are_exact():
    assert singular_values([[3, 0], [0, 4]]) == [3, 4]
    sv = singular_values([[1, 1], [0, 1]])
    np.testing.assert_allclose([float(v) for v in sv], np.linalg.svd([[1, 1], [0, 1]], compute_uv=False)[::-1])


def test_latex_summary_mentions_every_part():
    tex = derive(gt.games.bilinear([[1]]), gt.methods.get("gd")).latex()
    assert r"\mapsto" in tex and r"\det(\mu I - J_F)" in tex and "singular value" in tex
