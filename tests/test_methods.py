"""Contract tests over the method registry x a game registry, and pen-and-paper first steps."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import gametheory as gt
from gametheory.backends import NumPyOps
from gametheory.validation import ParameterError

PARAMS = {"beta": -0.5, "gamma": 1.0, "lam": 1.0}


def params_for(method, eta=0.5):
    p = {"eta": eta}
    p.update({k: v for k, v in PARAMS.items() if k in method.param_names})
    return p


# affine games (the contract: numeric iteration == the symbolic Jacobian) and nonlinear ones (derivation)
AFFINE = ["bilinear", "bilinear2", "bilinear_offset", "quadratic", "quadratic_indefinite", "icr", "general_sum"]
NONLINEAR = ["dirac_gan", "dirac_ns", "dirac_r1", "dirac_noise", "cos_sin"]
METHODS = gt.methods.registry()


@pytest.mark.parametrize("method", METHODS, ids=repr)
@pytest.mark.parametrize("game_name", AFFINE)
def test_numeric_step_matches_symbolic_jacobian(method, game_name):
    """On an affine game F(s) = s* + J (s - s*): one NumPy step from a random state agrees."""
    game = gt.games.get(game_name)
    p = params_for(method)
    d = gt.derive(method, game)
    J = np.array(gt.augmented_jacobian(game, method, **p).evalf(30).tolist(), dtype=float)
    fixed = np.array([float(v) for v in d.fixed_point])
    rng = np.random.default_rng(0)
    s = fixed + rng.normal(size=fixed.size)
    sizes = [len(game.x) if gt.methods.BLOCK_PLAYER[k] == "x" else len(game.y) for k in method.state_keys]
    blocks = dict(zip(method.state_keys, np.split(s, np.cumsum(sizes)[:-1])))
    new = method.step(blocks, game.field_function(), method.params(p, mode="float"), NumPyOps)
    got = np.concatenate([new[k] for k in method.state_keys])
    np.testing.assert_allclose(got, fixed + J @ (s - fixed), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", METHODS, ids=repr)
@pytest.mark.parametrize("game_name", NONLINEAR)
def test_derivation_on_nonlinear_games_matches_finite_differences(method, game_name):
    game = gt.games.get(game_name)
    if method.name == "unrolled" and game.L_x is None:
        with pytest.raises(ParameterError, match="losses"):
            gt.derive(method, game)
        return
    p = params_for(method, eta=0.2)
    J = np.array(gt.augmented_jacobian(game, method, **p).evalf(30).tolist(), dtype=float)
    d = gt.derive(method, game)
    fixed = np.array([float(v) for v in d.fixed_point])
    field, q = game.field_function(), method.params(p, mode="float")
    sizes = [len(game.x) if gt.methods.BLOCK_PLAYER[k] == "x" else len(game.y) for k in method.state_keys]

    def F(s):
        blocks = dict(zip(method.state_keys, np.split(s, np.cumsum(sizes)[:-1])))
        new = method.step(blocks, field, q, NumPyOps)
        return np.concatenate([new[k] for k in method.state_keys])

    h = 1e-6
    fd = np.column_stack([(F(fixed + h * e) - F(fixed - h * e)) / (2 * h) for e in np.eye(fixed.size)])
    np.testing.assert_allclose(fd, J, atol=1e-6)


def F_(text):
    return float(Fraction(text))


# Pen and paper on f = x*y from (x, y) = (1, 1), eta = 1/2: v = (y, -x), J = [[0, 1], [-1, 0]].
PEN_AND_PAPER = [
    # gd: x1 = 1 - 1/2*1 = 1/2; y1 = 1 - 1/2*(-1) = 3/2
    (("gd", "simultaneous", {}), [["1/2", "3/2"]]),
    # alternating: y sees x1 = 1/2: y1 = 1 + 1/2*1/2 = 5/4
    (("gd", "alternating", {}), [["1/2", "5/4"]]),
    # momentum beta = -1/2: step 1 = gd; step 2: x2 = 1/2 - 1/2*3/2 - 1/2*(1/2 - 1) = 0,
    # y2 = 3/2 + 1/2*1/2 - 1/2*(3/2 - 1) = 3/2
    (("momentum", "simultaneous", {"beta": -0.5}), [["1/2", "3/2"], ["0", "3/2"]]),
    # alternating: x2 = 1/2 - 1/2*5/4 + 1/4 = 1/8; y2 = 5/4 + 1/2*1/8 - 1/2*1/4 = 19/16
    (("momentum", "alternating", {"beta": -0.5}), [["1/2", "5/4"], ["1/8", "19/16"]]),
    # eg: half step (1/2, 3/2), v there (3/2, -1/2): x1 = 1 - 3/4 = 1/4; y1 = 1 + 1/4 = 5/4
    (("eg", "simultaneous", {}), [["1/4", "5/4"]]),
    # alternating eg: xh = 1/2, yh = 1 + 1/4 = 5/4; x1 = 1 - 5/8 = 3/8; y1 = 1 + 1/2*3/8 = 19/16
    (("eg", "alternating", {}), [["3/8", "19/16"]]),
    # ogd: first previous gradient = v(z0), so step 1 = gd; step 2: x2 = 1/2 - 3/2 + 1/2 = -1/2,
    # y2 = 3/2 + 1/2 - 1/2 = 3/2
    (("ogd", "simultaneous", {}), [["1/2", "3/2"], ["-1/2", "3/2"]]),
    # alternating ogd: x1 = 1 - 1 + 1/2 = 1/2; y sees x1: gy = -1/2, y1 = 1 + 1/2 - 1/2 = 1;
    # step 2: x2 = 1/2 - 1 + 1/2 = 0; gy = -x2 = 0, y2 = 1 - 0 + 1/2 * (-1/2) = 3/4
    (("ogd", "alternating", {}), [["1/2", "1"], ["0", "3/4"]]),
    # past_eg: first extrapolation uses v(z0) -> same as eg on step 1
    (("past_eg", "simultaneous", {}), [["1/4", "5/4"]]),
    # consensus gamma = 1: J^T v = (1, 1); v + J^T v = (2, 0): x1 = 0, y1 = 1
    (("consensus", "simultaneous", {"gamma": 1.0}), [["0", "1"]]),
    # sga lam = 1: A = J here, A^T v = (1, 1): same as consensus on this game
    (("sga", "simultaneous", {"lam": 1.0}), [["0", "1"]]),
    # cgd, B = 1: dx = -1/2 / (1 + 1/4) * (1 + 1/2) = -3/5; dy = 2/5 * (1 - 1/2) = 1/5
    (("cgd", "simultaneous", {}), [["2/5", "6/5"]]),
    # lcgd: dx = -1/2 * 3/2 = -3/4; dy = 1/2 * 1/2 = 1/4
    (("lcgd", "simultaneous", {}), [["1/4", "5/4"]]),
    # unrolled k = 1: y_1 = 3/2, D_1 = -1/2 * (-1) = 1/2; g_x = v_x(1, 3/2) + D_1 * x = 3/2 + 1/2 = 2;
    # x1 = 1 - 1 = 0; y takes its own step: 3/2
    (("unrolled", "simultaneous", {"k": 1}), [["0", "3/2"]]),
    # n_inner n = 2 (y first): y -> 3/2 -> 2; x1 = 1 - 1/2 * 2 = 0
    (("n_inner", "alternating", {"n": 2}), [["0", "2"]]),
    (("n_inner", "simultaneous", {"n": 2}), [["1/2", "2"]]),
]


@pytest.mark.parametrize("spec, expected", PEN_AND_PAPER, ids=lambda v: "-".join(map(str, v[:2])) if isinstance(v, tuple) else None)
def test_first_steps_equal_pen_and_paper(spec, expected):
    name, order, extra = spec
    m = gt.methods.get(name, order=order)
    r = gt.simulate(gt.games.bilinear([[1]]), m, [1, 1], steps=len(expected), eta=0.5, **extra)
    want = np.array([[F_(v) for v in row] for row in expected])
    np.testing.assert_allclose(r.trajectory[1:], want, rtol=0, atol=1e-15)


def test_every_registered_method_has_a_pen_and_paper_check():
    covered = {(s[0], s[1]) for s, _ in PEN_AND_PAPER}
    assert covered == {(m.name, m.order) for m in METHODS}


@pytest.mark.parametrize("method", METHODS, ids=repr)
def test_every_rule_documents_its_formula_and_reference(method):
    doc = method.doc
    assert "+" in doc or "=" in doc, "formula missing"
    assert any(ch.isdigit() for ch in doc), "reference (author, year) missing"


def test_symbolic_step_equals_numeric_step_on_a_nonlinear_game():
    """One rule, two backends: SymPy and NumPy give the same next state."""
    game = gt.games.dirac_gan("ns")
    m = gt.methods.get("eg")
    d = gt.derive(m, game, eta=sp.Rational(1, 5))
    point = {game.x[0]: sp.Rational(3, 10), game.y[0]: sp.Rational(-1, 2)}
    sym = [float(e.xreplace(point)) for e in d.update]
    num = gt.simulate(game, m, [0.3, -0.5], steps=1, eta=0.2).final
    np.testing.assert_allclose(num, sym, rtol=1e-13)


def test_get_lists_known_names_and_orders():
    with pytest.raises(ParameterError, match="momentum"):
        gt.methods.get("heavyball")
    with pytest.raises(ParameterError, match="'order'.*simultaneous"):
        gt.methods.get("consensus", order="alternating")
    with pytest.raises(ParameterError, match="'order'"):
        gt.methods.get("gd", order="sideways")
    with pytest.raises(ParameterError, match="'k'"):
        gt.methods.get("unrolled", k=0)
    with pytest.raises(ParameterError, match="'beta'"):
        gt.methods.get("gd", beta=0.5)


def test_negative_momentum_is_accepted_and_bound_parameters_apply():
    m = gt.methods.get("momentum", beta=-0.9)
    assert m.params({"eta": 0.1}, mode="float").beta == -0.9
    assert m.params({"eta": 0.1, "beta": 0.3}, mode="float").beta == 0.3


def test_two_timescale_step_sizes():
    m = gt.methods.get("gd")
    p = m.params({"eta_x": 0.1, "eta_y": 0.2}, mode="float")
    assert (p.eta_x, p.eta_y) == (0.1, 0.2)
    p = m.params({"eta": 0.1, "eta_y": 0.3}, mode="float")
    assert (p.eta_x, p.eta_y) == (0.1, 0.3)
    with pytest.raises(ParameterError, match="'eta'"):
        m.params({"eta_x": 0.1}, mode="float")
