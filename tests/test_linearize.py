"""The augmented Jacobian from the rule on the game's linear part, against the symbolic derivation."""
import numpy as np
import pytest
import sympy as sp

import gametheory as gt
from gametheory.linearize import NotLinearizable, NotRational, augmented_matrix, linear_part
from gametheory.rational import to_sympy_matrix
from gametheory.spectral import _symbolic_jacobian

GAMES = {
    "bilinear": lambda: gt.games.bilinear([[1, 2], [0, 3]], b=[1, 0], c=[0, -1]),
    "rank-deficient": lambda: gt.games.bilinear([[1, 2, 0], [2, 4, 0]]),
    "quadratic": lambda: gt.games.quadratic([[1, 0], [0, -1]], [[2, 1], [0, 1]], [[1, 0], [0, 2]]),
    "dirac_gan": lambda: gt.games.get("dirac_gan"),
    "dirac_r1": lambda: gt.games.get("dirac_r1"),
    "general_sum": lambda: gt.games.get("general_sum"),
    "curl_field": lambda: gt.games.get("curl"),
}


def _params(method):
    prm = {"eta": sp.Rational(1, 3)}
    for name, val in (("beta", sp.Rational(-1, 4)), ("gamma", sp.Rational(1, 2)), ("lam", sp.Rational(1, 2))):
        if name in method.param_names:
            prm[name] = val
    return prm


@pytest.mark.parametrize("name", sorted(GAMES))
@pytest.mark.parametrize("method", gt.methods.registry(), ids=repr)
def test_rule_on_the_linear_part_equals_the_symbolic_jacobian(name, method):
    game = GAMES[name]()
    if method.name == "unrolled" and game.L_x is None:
        pytest.skip("unrolled needs losses")
    prm = _params(method)
    if method.name == "unrolled" and not game.zero_sum and not game.is_affine:
        with pytest.raises(NotLinearizable):  # third derivatives of L_x enter: the callers derive symbolically
            augmented_matrix(game, method, prm)
        return
    ref = _symbolic_jacobian(game, method, prm, None)
    assert to_sympy_matrix(augmented_matrix(game, method, prm)) == ref
    np.testing.assert_allclose(augmented_matrix(game, method, {k: float(v) for k, v in prm.items()}, exact=False),
                               np.array(ref, dtype=float), rtol=1e-14, atol=1e-15)


def test_per_player_and_optional_parameters():
    game = GAMES["quadratic"]()
    for method, prm in ((gt.methods.get("momentum", order="alternating"), {"eta_x": "1/3", "eta_y": "1/5", "beta_y": "1/2"}),
                        (gt.methods.get("eg"), {"eta": "1/3", "eta_extrap": "1/7"}),
                        (gt.methods.get("ogd"), {"alpha": "1/2", "alpha_prev": "1/5"})):
        assert to_sympy_matrix(augmented_matrix(game, method, prm)) == _symbolic_jacobian(game, method, prm, None)


def test_what_the_linear_part_cannot_do():
    nonaffine = gt.games.from_expression(L_x="x**2*y + x**2/2", L_y="y**2/2 - x*y", name="cubic general-sum")
    with pytest.raises(NotLinearizable):
        augmented_matrix(nonaffine, gt.methods.get("unrolled"), {"eta": "1/3"})
    with pytest.raises(NotRational):
        augmented_matrix(gt.games.bilinear([[1]]), gt.methods.get("gd"), {"eta": 1 / sp.sqrt(2)})
    with pytest.raises(NotRational):
        augmented_matrix(gt.games.bilinear([[sp.sqrt(2)]]), gt.methods.get("gd"), {"eta": 1})
    # ... and the public API answers those exactly through the symbolic derivation
    assert gt.spectral_radius(gt.games.bilinear([[sp.sqrt(2)]]), gt.methods.get("gd"), eta=1) == sp.sqrt(3)


def test_matrix_games_read_their_blocks_without_symbolic_work():
    game = gt.games.bilinear(np.arange(1, 10).reshape(3, 3))
    lp = linear_part(game)
    assert isinstance(game.__dict__["_jacobian"], gt.games._Thunk)  # J was never built in SymPy
    np.testing.assert_array_equal(lp.numeric()[0], [[0, 0, 0, 1, 2, 3], [0, 0, 0, 4, 5, 6], [0, 0, 0, 7, 8, 9],
                                                    [-1, -4, -7, 0, 0, 0], [-2, -5, -8, 0, 0, 0], [-3, -6, -9, 0, 0, 0]])
    assert lp.J == game.jacobian
