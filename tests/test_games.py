"""Games: fields, equilibria, Nash / minimax tests and the catalogue."""
import sympy as sp
import pytest

import gametheory as gt
from gametheory.validation import ParameterError


def test_bilinear_field_follows_descent_convention():
    g = gt.games.bilinear([[1]])
    x, y = g.x[0], g.y[0]
    # min_x max_y xy: v = (grad_x f, -grad_y f) = (y, -x)
    assert list(g.v) == [y, -x]
    assert g.jacobian == sp.Matrix([[0, 1], [-1, 0]])


def test_bilinear_offsets_shift_the_equilibrium():
    g = gt.games.bilinear([[2]], b=[1], c=[-1])
    (eq,) = g.equilibria
    # grad_x = 2y + 1 = 0, grad_y = 2x - 1 = 0
    assert eq == (sp.Rational(1, 2), sp.Rational(-1, 2))
    assert all(e == 0 for e in g.v.xreplace(dict(zip(g.x + g.y, eq))))


def test_quadratic_requires_symmetric_blocks():
    with pytest.raises(ParameterError, match="'P'"):
        gt.games.quadratic([[1, 2], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]])


def test_local_nash_and_minimax_differ_on_indefinite_quadratic():
    # f = -x^2/2 + 2xy - y^2/2: x's own Hessian is negative (not Nash), but
    # the Schur complement -1 + 2 * 1^-1 * 2 = 3 > 0 makes it local minimax.
    g = gt.games.quadratic([[-1]], [[2]], [[1]])
    assert g.is_local_nash() is False
    assert g.is_local_minimax() is True
    good = gt.games.quadratic([[1]], [[1]], [[1]])
    assert good.is_local_nash() is True and good.is_local_minimax() is True
    assert gt.games.bilinear([[1]]).is_local_nash() is None  # semidefinite: undecided at 2nd order


def test_dirac_gan_jacobian_matches_mescheder_2018():
    # J of the descent field at the origin: [[0, f'(0)], [-f'(0), 0]], f'(0) = 1/2 for the GAN loss
    g = gt.games.dirac_gan("gan")
    assert g.jacobian_at() == sp.Matrix([[0, sp.Rational(1, 2)], [-sp.Rational(1, 2), 0]])
    assert gt.games.dirac_gan("wgan").jacobian_at() == sp.Matrix([[0, 1], [-1, 0]])
    # R1 adds gamma to the discriminator's own curvature
    r1 = gt.games.dirac_gan("gan", reg="r1", gamma=3).jacobian_at()
    assert r1[1, 1] == 3
    # instance noise: -d^2 L / dpsi^2 = -2 f''(0) sigma^2 = sigma^2 / 2
    noise = gt.games.dirac_gan("gan", reg="instance_noise", sigma=sp.Rational(7, 10)).jacobian_at()
    assert noise[1, 1] == sp.Rational(49, 200)


def test_dirac_gan_rejects_inconsistent_regulariser_parameters():
    with pytest.raises(ParameterError, match="'gamma'"):
        gt.games.dirac_gan("gan", gamma=1)
    with pytest.raises(ParameterError, match="'sigma'"):
        gt.games.dirac_gan("gan", reg="instance_noise")
    with pytest.raises(ParameterError, match="'loss'"):
        gt.games.dirac_gan("lsgan")


def test_curl_field_is_minus_the_motion_of_the_post():
    g = gt.games.curl_field()
    theta, phi = g.x[0], g.y[0]
    motion = -g.v
    assert list(motion) == [-phi, theta]
    assert g.classify() == "center"


def test_cos_sin_field_classifies_centers_and_saddles():
    g = gt.games.cos_sin_field()
    kinds = {eq: g.classify(eq) for eq in g.equilibria}
    assert kinds[(0, sp.pi / 2)] == "center"
    assert kinds[(sp.pi, sp.pi / 2)] == "saddle"
    assert set(kinds.values()) == {"center", "saddle"}


def test_from_expression_solves_equilibria_and_general_sum():
    g = gt.games.from_expression("x*y + x**2/2")
    assert g.equilibria == [(0, 0)]
    h = gt.games.from_expression(L_x="x**2/2 + 2*x*y", L_y="y**2/2 - x*y")
    assert not h.zero_sum
    assert h.jacobian == sp.Matrix([[1, 2], [-1, 1]])


def test_equilibrium_at_must_be_an_equilibrium():
    g = gt.games.bilinear([[1]])
    with pytest.raises(ParameterError, match="'at'"):
        g.equilibrium(at=(1, 0))


def test_non_polynomial_fields_need_given_equilibria():
    theta, phi = sp.symbols("theta phi", real=True)
    g = gt.games.Game([theta], [phi], field=[sp.sin(phi), -sp.sin(theta)])
    with pytest.raises(ParameterError, match="equilibria"):
        g.equilibria


@pytest.mark.parametrize("name", sorted(gt.games.catalogue()))
def test_catalogue_games_have_a_checked_equilibrium(name):
    g = gt.games.get(name)
    eq = g.equilibrium()
    residual = g.v.xreplace(dict(zip(g.x + g.y, eq)))
    assert all(sp.simplify(r) == 0 for r in residual)


def test_unknown_catalogue_game_lists_names():
    with pytest.raises(ParameterError, match="bilinear"):
        gt.games.get("nope")


@pytest.mark.parametrize("make", [
    lambda: gt.games.bilinear([[1, 2, 0], [sp.Rational(1, 3), -1, 4]], b=[1, -2], c=[0, 3, sp.Symbol("a")]),
    lambda: gt.games.quadratic([[2, 1], [1, -1]], [[1, 0, 2], [0, -3, 1]], [[1, 0, 0], [0, 0, 2], [0, 2, -5]]),
])
def test_closed_form_derivatives_of_matrix_games_equal_differentiation(make):
    g = make()
    z = g.x + g.y
    v = sp.Matrix([sp.diff(g.L_x, s) for s in g.x] + [sp.diff(g.L_y, s) for s in g.y])
    assert sp.expand(g.v - v) == sp.zeros(len(z), 1)
    assert g.jacobian == v.jacobian(sp.Matrix(z))
    assert sp.expand(g.grad_y_Lx - sp.Matrix([sp.diff(g.L_x, s) for s in g.y])) == sp.zeros(len(g.y), 1)


def test_from_expression_accepts_sympy_expressions_as_well_as_text():
    x, y = sp.symbols("x y")  # not real=True: matched to the game's variables by name
    g = gt.games.from_expression(x**2 * y - y**2)
    h = gt.games.from_expression("x**2*y - y**2")
    assert g.v == h.v and g.equilibria == h.equilibria == [(0, 0)]
    gs = gt.games.from_expression(L_x=x**2 / 2 + 2 * x * y, L_y="y**2/2 - x*y")
    assert not gs.zero_sum and gs.jacobian_at() == sp.Matrix([[1, 2], [-1, 1]])
    with pytest.raises(ParameterError, match="'f'"):
        gt.games.from_expression(sp.Matrix([x, y]))
    with pytest.raises(ParameterError, match="unknown symbols"):
        gt.games.from_expression(x * sp.Symbol("z"))
