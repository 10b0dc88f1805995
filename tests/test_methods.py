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
    d = gt.derive(game, method)
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
            gt.derive(game, method)
        return
    p = params_for(method, eta=0.2)
    J = np.array(gt.augmented_jacobian(game, method, **p).evalf(30).tolist(), dtype=float)
    d = gt.derive(game, method)
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
    d = gt.derive(game, m, eta=sp.Rational(1, 5))
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
    p = m.params({"eta": 0.1}, mode="float")
    assert (p.beta_x, p.beta_y) == (-0.9, -0.9)
    p = m.params({"eta": 0.1, "beta": 0.3}, mode="float")
    assert (p.beta_x, p.beta_y) == (0.3, 0.3)


def test_two_timescale_step_sizes():
    m = gt.methods.get("gd")
    p = m.params({"eta_x": 0.1, "eta_y": 0.2}, mode="float")
    assert (p.eta_x, p.eta_y) == (0.1, 0.2)
    p = m.params({"eta": 0.1, "eta_y": 0.3}, mode="float")
    assert (p.eta_x, p.eta_y) == (0.1, 0.3)
    with pytest.raises(ParameterError, match="'eta'"):
        m.params({"eta_x": 0.1}, mode="float")


# ----------------------------------------------- the spec: one module defines a method
def test_every_spec_declares_its_parameters_blocks_and_orders():
    for name, spec in gt.methods.REGISTRY.items():
        assert spec.name == name and spec.parameters[0] is gt.methods.ETA
        assert spec.state_keys[:2] == ("x", "y") and {b.player for b in spec.state} <= {"x", "y"}
        assert spec.default_order in spec.orders
        for q in spec.params:
            assert q.kind in ("continuous", "integer") and q.doc


def test_downstream_modules_hold_no_per_method_special_cases():
    """derive, spectral, sweep, analyses and the Torch optimizers read the spec, never a method's name."""
    import re
    from pathlib import Path

    root = Path(gt.__file__).parent
    files = [root / "derive.py", root / "spectral.py", root / "simulate.py", root / "dynamics.py",
             *sorted((root / "sweep").glob("*.py")), root / "neural" / "optimizers.py"]
    import gametheory.analyses as analyses

    files += [Path(analyses.__path__[0]) / n for n in ("conditions.py", "optimal.py", "regions.py")]
    names = "|".join(gt.methods.names())
    pattern = re.compile(rf"""((method|\bm)\.name\s*(==|!=|in|not in)\s*)|(["'](?:{names})["']\s*:)""")
    hits = [f"{f.name}: {line.strip()}" for f in files for line in f.read_text().splitlines()
            if pattern.search(line) and "noqa" not in line and not line.strip().startswith(("#", ">>>"))]
    assert not hits, hits


# -------------- Zhang & Yu (ICLR 2020) variants: each added in methods.py alone, working in every path
R = sp.Rational
OGD = gt.methods.get("ogd")
OGD_ALT = gt.methods.get("ogd", order="alternating")
MOM = gt.methods.get("momentum")
MOM_ALT = gt.methods.get("momentum", order="alternating")


def test_ogd_free_coefficients_pen_and_paper():
    """f = x*y from (1, 1), alpha = 1, alpha_prev = 1/4. Step 1 (v_prev = v(z0) = (1, -1)):
    x1 = 1 - 1 + 1/4 = 1/4, y1 = 1 + 1 - 1/4 = 7/4; step 2 (v(z1) = (7/4, -1/4)):
    x2 = 1/4 - 7/4 + 1/4 = -5/4, y2 = 7/4 + 1/4 - 1/4 = 7/4."""
    r = gt.simulate(gt.games.bilinear([[1]]), OGD, [1, 1], 2, alpha=1.0, alpha_prev=0.25)
    np.testing.assert_allclose(r.trajectory[1:], [[0.25, 1.75], [-1.25, 1.75]], rtol=0, atol=1e-15)


def test_per_player_momentum_pen_and_paper():
    """f = x*y from (1, 1), eta = 1/2, beta_x = -1/2, beta_y = 1/4, alternating. Step 1 = alternating GD:
    (1/2, 5/4). Step 2: x2 = 1/2 - 1/2*5/4 - 1/2*(1/2 - 1) = 1/8; y2 = 5/4 + 1/2*1/8 + 1/4*(5/4 - 1) = 11/8."""
    r = gt.simulate(gt.games.bilinear([[1]]), MOM_ALT, [1, 1], 2, eta=0.5, beta_x=-0.5, beta_y=0.25)
    np.testing.assert_allclose(r.trajectory[1:], [[0.5, 1.25], [0.125, 1.375]], rtol=0, atol=1e-15)


GAMES = {"bilinear": gt.games.bilinear([[1, 0], [0, 2]]), "quadratic": gt.games.quadratic([[1]], [[2]], [[1]]),
         "dirac": gt.games.dirac_gan("gan", reg="r1", gamma=1)}


@pytest.mark.parametrize("game_name", list(GAMES))
@pytest.mark.parametrize("method", [OGD, OGD_ALT], ids=repr)
def test_eta_alone_means_alpha_2eta_and_alpha_prev_eta(game_name, method):
    g = GAMES[game_name]
    assert gt.spectral_radius(g, method, eta=R(1, 5)) == gt.spectral_radius(g, method, alpha=R(2, 5), alpha_prev=R(1, 5))
    grid = gt.spectral_radius(g, method, alpha=np.array([0.4, 0.3]), alpha_prev=np.array([0.2, 0.05]))
    assert grid[0] == pytest.approx(float(gt.spectral_radius(g, method, eta=0.2)), rel=1e-12)


@pytest.mark.parametrize("game_name", list(GAMES))
@pytest.mark.parametrize("method, params", [
    (OGD, {"alpha": R(1, 2), "alpha_prev": R(1, 8)}), (OGD_ALT, {"alpha": R(3, 10), "alpha_prev": R(1, 5)}),
    (OGD, {"eta": R(1, 4), "alpha_prev": R(1, 20)}),
    (MOM, {"eta": R(1, 4), "beta_x": R(-1, 2), "beta_y": R(1, 5)}),
    (MOM_ALT, {"eta_x": R(1, 3), "eta_y": R(1, 5), "beta_x": R(-1, 2), "beta_y": R(-1, 10)}),
], ids=lambda v: repr(v) if isinstance(v, gt.methods.Method) else None)
def test_variants_agree_on_every_path(game_name, method, params):
    """Exact radius (exact linear algebra) = float scalar path = grid path = the plain matrix's eigvals."""
    g = GAMES[game_name]
    import mpmath

    exact = float(gt.spectral_radius(g, method, **params))
    with mpmath.workdps(60):  # an independent reference: the matrix's eigenvalues at 60 digits
        J = mpmath.matrix(gt.augmented_jacobian(g, method, **params).evalf(70).tolist())
        reference = float(max(abs(e) for e in mpmath.eig(J, left=False, right=False)))
    assert exact == pytest.approx(reference, rel=1e-12)
    floats = {k: float(v) for k, v in params.items()}
    assert gt.spectral_radius(g, method, **floats) == pytest.approx(exact, rel=1e-12)
    grid = gt.spectral_radius(g, method, **{k: np.array([v, v]) for k, v in floats.items()})
    np.testing.assert_allclose(grid, exact, rtol=1e-9)
    verdict = gt.stability(g, method, **params)
    assert verdict == ("converges" if exact < 1 else "diverges" if exact > 1 + 1e-12 else verdict)


def test_the_contract_names():
    g = GAMES["bilinear"]
    assert gt.spectral_radius(g, OGD, alpha=R(1, 2), alpha_prev=R(1, 4)) == gt.spectral_radius(g, OGD, eta=R(1, 4))
    assert gt.stability(g, MOM_ALT, eta_x=R(1, 2), eta_y=R(1, 3), beta_x=R(-1, 2), beta_y=R(-1, 4)) == "converges"
    with pytest.raises(ParameterError, match="'eta'"):
        gt.spectral_radius(g, OGD, alpha=R(1, 2))         # alpha_prev defaults to eta: eta is needed
    with pytest.raises(ParameterError, match="'alpha'"):
        gt.spectral_radius(g, OGD, eta=R(1, 2), alpha=-1)
    with pytest.raises(ParameterError, match="'beta_x'"):
        gt.spectral_radius(g, gt.methods.get("gd"), eta=R(1, 2), beta_x=R(1, 2))


def test_per_player_momenta_equal_give_the_shared_momentum():
    g = GAMES["quadratic"]
    for m in (MOM, MOM_ALT):
        assert gt.spectral_radius(g, m, eta=R(1, 4), beta=R(-1, 3)) == \
            gt.spectral_radius(g, m, eta=R(1, 4), beta_x=R(-1, 3), beta_y=R(-1, 3))


def test_variants_in_the_exact_conditions():
    """Schur-Cohn conditions in the free coefficients, against numeric roots (Zhang & Yu's OGD, per-player momentum)."""
    from gametheory.analyses.conditions import bilinear_region
    from gametheory.derive import PARAM_SYMBOLS as P

    rng = np.random.default_rng(3)
    for m, names in ((gt.methods.get("ogd", alpha=P["alpha"], alpha_prev=P["alpha_prev"]), ("alpha", "alpha_prev")),
                     (gt.methods.get("momentum", order="alternating", beta_x=P["beta_x"], beta_y=P["beta_y"]),
                      ("beta_x", "beta_y"))):
        reg = bilinear_region(m)
        assert [str(v) for v in reg.variables][-2:] == list(names)
        f = sp.lambdify(reg.variables, sp.Poly(reg.polynomial, sp.Symbol("mu")).all_coeffs())
        checked = 0
        for _ in range(40):
            point = {str(v): rng.uniform(0.05, 1.5) if str(v) in ("s", "alpha", "alpha_prev") else rng.uniform(-1, 1)
                     for v in reg.variables}
            rad = np.abs(np.roots(np.array(f(*point.values()), dtype=float))).max()
            if abs(rad - 1) < 1e-6:
                continue
            checked += 1
            assert reg.converges_at(**{k: sp.Rational(v) for k, v in point.items()}) == (rad < 1)
        assert checked > 20


def test_variants_in_the_optimiser():
    """Free coefficients contain the eta-parametrisation, so their optimum is at least as good."""
    from gametheory.analyses.optimal import optimal_parameters

    one = optimal_parameters(OGD, params=("eta",), grid=24, maxiter=200)
    free = optimal_parameters(OGD, params=("alpha", "alpha_prev"), grid=24, maxiter=300)
    assert free["radius_check"] <= one["radius_check"] + 1e-9
    assert float(gt.spectral_radius(gt.games.bilinear([[1]]), OGD, **free["params"])) == \
        pytest.approx(free["radius"], rel=1e-9)
    shared = optimal_parameters(MOM_ALT, params=("eta", "beta"), grid=16, maxiter=200)
    split = optimal_parameters(MOM_ALT, params=("eta", "beta_x", "beta_y"), grid=10, maxiter=400)
    # the shared optimum is a triple root (non-smooth): Nelder-Mead in 3-D gets within a few 1e-3 of it
    assert split["radius_check"] < 1 and split["radius_check"] <= shared["radius_check"] + 5e-3
    assert split["params"]["beta_x"] < 0 and split["params"]["beta_y"] < 0
