"""Spectral radius and stability: theorems as properties, exactness, accuracy and errors."""
import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, strategies as st

import gametheory as gt
from gametheory.validation import ParameterError

GD = gt.methods.get("gd")
ALT_GD = gt.methods.get("gd", order="alternating")
EG = gt.methods.get("eg")
MOM_ALT = gt.methods.get("momentum", order="alternating")

rationals = st.fractions(min_value=sp.Rational(1, 50), max_value=3, max_denominator=50).map(
    lambda f: sp.Rational(f.numerator, f.denominator))
small_ints = st.integers(min_value=-3, max_value=3)
matrices = st.lists(small_ints, min_size=4, max_size=4).map(lambda v: [[v[0], v[1]], [v[2], v[3]]])


def sigma_sq(A):
    """Exact squared singular values of A."""
    return list(sp.Matrix(A).T * sp.Matrix(A)).__class__ and sorted(
        (sp.Matrix(A).T * sp.Matrix(A)).eigenvals(multiple=True), key=float)


@given(A=matrices, eta=rationals)
def test_simultaneous_gda_diverges_on_every_bilinear_game(A, eta):
    if all(v == 0 for row in A for v in row):
        return  # f = 0 is not a game
    assert gt.stability(gt.games.bilinear(A), GD, eta=eta) == "diverges"


@given(A=matrices, eta=rationals)
def test_alternating_gda_is_bounded_not_convergent_below_two(A, eta):
    if sp.Matrix(A).det() == 0:
        return
    smax2 = sigma_sq(A)[-1]
    verdict = gt.stability(gt.games.bilinear(A), ALT_GD, eta=eta)
    below = sp.simplify(eta**2 * smax2 - 4)
    if below.is_negative:
        assert verdict == "bounded"
    else:
        assert verdict == "diverges"


@given(A=matrices, eta=rationals)
def test_extragradient_converges_iff_eta_sigma_below_one(A, eta):
    if sp.Matrix(A).det() == 0:
        return
    converges = all(sp.simplify(eta**2 * s2 - 1).is_negative for s2 in sigma_sq(A))
    verdict = gt.stability(gt.games.bilinear(A), EG, eta=eta)
    assert (verdict == "converges") == converges


def test_alternating_gda_at_eta_sigma_two_is_a_jordan_block():
    g = gt.games.bilinear([[1, 0], [0, 2]])
    rep = gt.stability_report(g, ALT_GD, eta=1)
    assert rep.radius == 1 and rep.defective and rep.verdict == "diverges"


def test_negative_momentum_table_of_the_slides():
    g = gt.games.bilinear([[1]])
    eta = sp.Rational(1, 2)
    assert gt.stability(g, MOM_ALT, eta=eta, beta=sp.Rational(-1, 5)) == "converges"
    assert gt.stability(g, MOM_ALT, eta=eta, beta=0) == "bounded"
    assert gt.stability(g, MOM_ALT, eta=eta, beta=sp.Rational(1, 5)) == "diverges"
    assert gt.stability(g, gt.methods.get("momentum"), eta=eta, beta=sp.Rational(-1, 5)) == "diverges"


def test_exact_inputs_give_exact_results():
    g = gt.games.bilinear([[1]])
    assert gt.spectral_radius(g, GD, eta=sp.Rational(1, 2)) == sp.sqrt(5) / 2
    assert gt.spectral_radius(g, EG, eta=1 / sp.sqrt(3)) == sp.sqrt(7) / 3
    assert gt.spectral_radius(g, ALT_GD, eta=1) == 1
    assert isinstance(gt.spectral_radius(g, GD, eta=0.5), float)


def test_float_inputs_are_read_exactly():
    # 0.5 is exactly 1/2; eta = 2.0 is exactly the Jordan point of alternating GD
    g = gt.games.bilinear([[1]])
    assert gt.stability(g, ALT_GD, eta=2.0) == "diverges"
    assert gt.stability(g, ALT_GD, eta=1.9999999999999998) == "bounded"


@pytest.mark.parametrize("path", ["float", "array"])
def test_defective_points_are_accurate_to_1e_12(path):
    """Alternating GD at eta*sigma = 2 (double eigenvalue -1) and heavy ball at a double root."""
    g = gt.games.bilinear([[1]])
    q = gt.games.quadratic([[1]], [[0]], [[1]])  # J = I: heavy ball has mu^2 - (1 + beta - eta) mu + beta
    mom = gt.methods.get("momentum")
    cases = [(g, ALT_GD, {"eta": 2.0}, 1.0), (q, mom, {"eta": 0.25, "beta": 0.25}, 0.5)]
    for game, m, params, want in cases:
        if path == "array":
            params = {k: np.array([v, v]) for k, v in params.items()}
        got = np.asarray(gt.spectral_radius(game, m, **params), dtype=float)
        assert np.all(np.abs(got - want) <= 1e-12 * want)


METHOD_PARAMS = [
    (gt.methods.get("gd"), {}), (gt.methods.get("gd", order="alternating"), {}),
    (gt.methods.get("momentum"), {"beta": -0.3}), (MOM_ALT, {"beta": -0.3}),
    (EG, {}), (gt.methods.get("eg", order="alternating"), {}), (gt.methods.get("ogd"), {}),
    (gt.methods.get("past_eg"), {}), (gt.methods.get("consensus"), {"gamma": 0.5}),
    (gt.methods.get("sga"), {"lam": 0.5}), (gt.methods.get("cgd"), {}), (gt.methods.get("lcgd"), {}),
    (gt.methods.get("unrolled", k=2), {}), (gt.methods.get("n_inner", n=3), {}),
]


@pytest.mark.parametrize("method, extra", METHOD_PARAMS, ids=lambda v: repr(v) if not isinstance(v, dict) else "")
@given(eta=st.floats(min_value=0.01, max_value=1.5))
def test_float_and_grid_radius_equal_the_exact_radius(method, extra, eta):
    """Float and grid paths against the exact polynomial rooted at 50 digits."""
    from gametheory.exact import charpoly, radius_mp

    game = gt.games.quadratic([[1, 0], [0, -1]], [[2, 1], [0, 1]], [[1, 0], [0, 2]])
    J = gt.augmented_jacobian(game, method, eta=eta, **extra)  # floats read exactly
    exact = float(radius_mp(charpoly(J)))
    f = gt.spectral_radius(game, method, eta=eta, **extra)
    grid = gt.spectral_radius(game, method, eta=np.array([eta, eta]), **extra)
    assert abs(f - exact) <= 1e-12 * max(1, exact)
    assert np.all(np.abs(grid - exact) <= 1e-10 * max(1, exact))


@pytest.mark.parametrize("method, extra", METHOD_PARAMS[:6], ids=lambda v: repr(v) if not isinstance(v, dict) else "")
def test_exact_radius_is_the_true_radius(method, extra):
    from gametheory.exact import charpoly, radius_mp

    game = gt.games.bilinear([[1, 1], [0, 2]])
    params = {"eta": sp.Rational(1, 3), **{k: sp.Rational(v).limit_denominator(10) for k, v in extra.items()}}
    r = gt.spectral_radius(game, method, **params)
    assert not isinstance(r, float)
    reference = radius_mp(charpoly(gt.augmented_jacobian(game, method, **params)))
    assert abs(sp.N(r, 45) - sp.Float(mpmath.nstr(reference, 45), 45)) < sp.Float("1e-30")


def test_arrays_broadcast_like_numpy():
    g = gt.games.bilinear([[1]])
    eta = np.linspace(0.1, 1.0, 4)[:, None]
    beta = np.array([-0.5, 0.0, 0.5])[None, :]
    r = gt.spectral_radius(g, MOM_ALT, eta=eta, beta=beta)
    assert r.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            assert abs(r[i, j] - gt.spectral_radius(g, MOM_ALT, eta=float(eta[i, 0]), beta=float(beta[0, j]))) < 1e-10


def test_stability_over_an_array_gives_verdicts():
    v = gt.stability(gt.games.bilinear([[1]]), ALT_GD, eta=np.array([0.5, 2.0, 3.0]))
    assert list(v) == ["bounded", "diverges", "diverges"]


@pytest.mark.parametrize("kwargs, name", [
    ({}, "eta"),
    ({"eta": float("nan")}, "eta"),
    ({"eta": float("inf")}, "eta"),
    ({"eta": "fast"}, "eta"),
    ({"eta": 0.1, "bogus": 1}, "bogus"),
    ({"eta": np.array([0.1, np.nan])}, "eta"),
    ({"eta": True}, "eta"),
    ({"eta": -0.1}, "eta"),
    ({"eta_x": 0.1, "eta_y": np.array([0.1, -0.2])}, "eta_y"),
])
def test_bad_parameters_name_the_parameter(kwargs, name):
    with pytest.raises(ParameterError, match=f"'{name}'"):
        gt.spectral_radius(gt.games.bilinear([[1]]), GD, **kwargs)


def test_missing_required_parameter():
    with pytest.raises(ParameterError, match="'gamma'"):
        gt.stability(gt.games.bilinear([[1]]), gt.methods.get("consensus"), eta=0.1)


def test_wrong_argument_types():
    with pytest.raises(ParameterError, match="'game'"):
        gt.spectral_radius("bilinear", GD, eta=0.1)
    with pytest.raises(ParameterError, match="'method'"):
        gt.stability(gt.games.bilinear([[1]]), "gd", eta=0.1)
    with pytest.raises(ParameterError, match="'A'.*rectangular"):
        gt.games.bilinear([[1, 2], [3]])
    with pytest.raises(ParameterError, match="'b'"):
        gt.games.bilinear([[1, 2]], b=[1, 2])


@given(value=st.one_of(st.none(), st.booleans(), st.text(max_size=5), st.floats(-1e6, 1e6),
                       st.sampled_from([float("nan"), float("inf"), -float("inf"), np.nan, "1/0", "0x1"]),
                       st.integers(-5, 5), st.lists(st.floats(-2, 2), max_size=3)))
def test_fuzz_parameters_give_a_result_or_a_clear_error(value):
    g = gt.games.bilinear([[1]])
    try:
        out = gt.spectral_radius(g, MOM_ALT, eta=value, beta=-0.1)
    except ParameterError as exc:
        assert "parameter" in str(exc)
    else:
        assert np.all(np.isfinite(np.asarray(out, dtype=float)))


def test_non_hyperbolic_equilibrium_of_a_nonlinear_game_is_undecided():
    """x^2 y - y^2 with GD at eta = 1/10: J* = diag(0, 2), so mu = 1 exactly; the linear map is bounded,
    but the nonlinear map's stability is decided by the higher-order terms, not by the linearisation."""
    g = gt.games.from_expression("x**2*y - y**2")
    mu = sp.Symbol("mu")
    rep = gt.stability_report(g, GD, eta="1/10")
    assert sp.expand(rep.charpoly - (mu**2 - sp.Rational(9, 5) * mu + sp.Rational(4, 5))) == 0
    assert rep.radius == 1 and rep.on_circle == 1 and rep.linear_verdict == "bounded"
    assert rep.verdict == gt.stability(g, GD, eta="1/10") == "undecided"
    assert rep.decided is False and "non-hyperbolic" in rep.note
    # hyperbolic cases stay decided on the same nonlinear game: radius < 1 converges, > 1 diverges
    assert gt.stability(gt.games.from_expression("x**2*y - y**2 + x**2"), GD, eta="1/10") == "converges"
    assert gt.stability(g, GD, eta=2) == "diverges"


def test_affine_games_keep_bounded():
    """Affine games: the linearisation is the map, so 'bounded' is the decided answer."""
    rep = gt.stability_report(gt.games.bilinear([[1]]), ALT_GD, eta=1)
    assert (rep.verdict, rep.linear_verdict, rep.decided, rep.note) == ("bounded", "bounded", True, "")
    quad = gt.games.from_expression("x*y")  # written as an expression: still affine
    assert quad.is_affine and gt.stability(quad, ALT_GD, eta=1) == "bounded"
