"""Exact convergence regions: the interval engine, Schur-Cohn conditions, boundaries, existence decisions."""
import numpy as np
import pytest
import sympy as sp

import gametheory as gt
import gametheory.analyses.conditions as conditions
from gametheory.analyses.conditions import (S, bilinear_region, bilinear_verdict, boundary_polynomial,
                                            crossing_values, decide_existence, polynomial_intervals,
                                            polynomial_verdict, schur_cohn_conditions, sign_intervals,
                                            stability_intervals)
from gametheory.derive import MU
from gametheory.validation import ParameterError

M = gt.methods.get


@pytest.mark.parametrize("method", [M("gd", order="alternating"), M("eg"), M("ogd"), M("ogd", order="alternating"),
                                    M("momentum", order="alternating"), M("momentum"), M("unrolled"),
                                    M("consensus"), M("cgd")], ids=repr)
def test_schur_cohn_conditions_match_numeric_roots(method):
    """At random points away from the boundary, 'all D_k > 0' <=> numeric max |root| < 1."""
    reg = bilinear_region(method)
    rng = np.random.default_rng(1)
    f = sp.lambdify(reg.variables, sp.Poly(reg.polynomial, MU).all_coeffs())
    checked = 0
    for _ in range(60):
        point = {"s": rng.uniform(0.01, 2.5)}
        if len(reg.variables) > 1:
            point[str(reg.variables[1])] = rng.uniform(-1.2, 1.2)
        rad = np.abs(np.roots(np.array(f(*point.values()), dtype=float))).max()
        if abs(rad - 1) < 1e-6:
            continue
        checked += 1
        exact = {k: sp.Rational(v) for k, v in point.items()}
        assert reg.converges_at(**exact) == (rad < 1), (point, rad)
    assert checked > 10


def test_schur_cohn_on_known_polynomials():
    assert schur_cohn_conditions(MU**2 - sp.Rational(1, 4)) == [sp.Rational(15, 16), sp.Rational(225, 256)]
    conds = schur_cohn_conditions(MU - 2)
    assert conds == [-3]


def test_boundary_vanishes_where_roots_meet_the_circle():
    # simultaneous EG: |mu|^2 = 1 - s^2 + s^4 = 1 exactly at s = 1
    b = boundary_polynomial(bilinear_region(M("eg")).polynomial)
    assert b.xreplace({S: 1}) == 0 and b.xreplace({S: sp.Rational(1, 2)}) != 0
    # self-reciprocal case (alternating GD): roots collide at -1 when s = 2
    b = boundary_polynomial(bilinear_region(M("gd", order="alternating")).polynomial)
    assert b.xreplace({S: 2}) == 0


def test_exact_intervals():
    iv = stability_intervals(M("gd", order="alternating"))
    assert iv["converges"] == [] and iv["bounded"] == [(0, 2)]
    assert stability_intervals(M("eg"))["converges"] == [(0, 1)]
    assert stability_intervals(M("ogd"))["converges"] == [(0, 1 / sp.sqrt(3))]
    assert stability_intervals(M("gd"))["bounded"] == []


def test_negative_momentum_table_of_the_slides_is_derived():
    """The slides' table (Lacoste-Julien, DALI 2019): alternating beta<0 converges, =0 bounded only, >0 neither;
    simultaneous never converges."""
    alt, sim = M("momentum", order="alternating"), M("momentum")
    assert (decide_existence(alt, "<0")["bounded"], decide_existence(alt, "<0")["converges"]) == (True, True)
    assert (decide_existence(alt, "=0")["bounded"], decide_existence(alt, "=0")["converges"]) == (True, False)
    assert (decide_existence(alt, ">0")["bounded"], decide_existence(alt, ">0")["converges"]) == (False, False)
    for sign in ("<0", "=0", ">0"):
        assert not decide_existence(sim, sign)["converges"]
    assert all(decide_existence(alt, s)["complete"] for s in ("<0", "=0", ">0"))


def test_witnesses_are_confirmed_by_simulation():
    alt = M("momentum", order="alternating")
    w = decide_existence(alt, "<0")["witness_converges"]
    g = gt.games.bilinear([[1]])
    r = gt.simulate(g, alt, [1.0, 1.0], 400, eta=float(w["s"]), beta=float(w["beta"]))
    assert r.distance((0, 0))[-1] < 1e-6 * r.distance((0, 0))[0]
    assert bilinear_verdict(alt, w["s"], w["beta"]) == "converges"


# ------------------------------------------------------------ the polynomial engine
def _open(iv):
    return [(i["lo"], i["hi"], i["verdict"]) for i in iv if "lo" in i]


def test_gda_diverges_everywhere():
    assert _open(polynomial_intervals(MU**2 - 2 * MU + S**2 + 1, S)) == [(0, sp.oo, "diverges")]


def test_extragradient_boundary_is_exactly_one():
    p = MU**2 + 2 * MU * S**2 - 2 * MU + S**4 - S**2 + 1
    iv = polynomial_intervals(p, S)
    assert _open(iv) == [(0, 1, "converges"), (1, sp.oo, "diverges")]
    assert {"at": 1, "verdict": "bounded"} in iv


def test_self_reciprocal_polynomial_uses_collisions():
    # alternating GDA: mu^2 - (2 - s^2) mu + 1 is self-reciprocal for every s; roots collide at s = 2
    p = MU**2 + MU * S**2 - 2 * MU + 1
    assert crossing_values(p, S) == [2]
    assert _open(polynomial_intervals(p, S)) == [(0, 2, "bounded"), (2, sp.oo, "diverges")]


def test_rational_coefficients_and_verdicts():
    # CGD: ((1 + s^2) mu^2 - 2 mu + 1) / (1 + s^2): converges for every s
    p = (MU**2 * S**2 + MU**2 - 2 * MU + 1) / (S**2 + 1)
    assert _open(polynomial_intervals(p, S)) == [(0, sp.oo, "converges")]
    assert polynomial_verdict((MU - 1) ** 2) == "diverges"       # defective on the circle
    assert polynomial_verdict(MU * (MU - sp.Rational(1, 2))) == "converges"


def test_sign_intervals():
    assert sign_intervals(S**4 - S**2, S) == [(0, 1, -1), (1, sp.oo, 1)]


def test_polynomial_intervals_on_the_matrix_follow_its_jordan_structure():
    """(1 - s) I has the double root mu = 1 - s: at s = 2 it is -I, semisimple on the circle ("bounded");
    the companion matrix of (mu - 1 + s)^2 is a Jordan block there ("diverges")."""
    p = sp.expand((MU - 1 + S) ** 2)
    M = (1 - S) * sp.eye(2)
    by_poly = {str(i["at"]): i["verdict"] for i in polynomial_intervals(p, S) if "at" in i}
    by_matrix = polynomial_intervals(p, S, matrix=M)
    assert by_poly["2"] == "diverges"
    assert {str(i["at"]): i["verdict"] for i in by_matrix if "at" in i}["2"] == "bounded"
    assert [i["verdict"] for i in by_matrix if "lo" in i] == ["converges", "diverges"]


# ------------------------------------------------- parameters where factors degenerate
def _exact_reference(method, extra, s):
    return gt.stability(gt.games.bilinear([[1]]), method, eta=s,
                        **({conditions.region_parameter(method)[0].name: extra} if extra is not None else {}))


def _samples(iv):
    """Points inside every interval and at every crossing value, with the engine's verdict there."""
    out = []
    for piece in iv["pieces"]:
        if "at" in piece and piece["verdict"] is not None:
            out.append((piece["at"], piece["verdict"]))
        elif "lo" in piece:
            hi = piece["lo"] + 4 if piece["hi"] is sp.oo else piece["hi"]
            for t in (sp.Rational(1, 7), sp.Rational(1, 2), sp.Rational(6, 7)):
                out.append((piece["lo"] + t * (hi - piece["lo"]), piece["verdict"]))
    return out


@pytest.mark.parametrize("name, order, extra", [
    ("momentum", "simultaneous", -1), ("momentum", "simultaneous", 0), ("momentum", "simultaneous", 1),
    ("momentum", "alternating", -1), ("momentum", "alternating", 0), ("momentum", "alternating", 1),
    ("consensus", "simultaneous", 0), ("sga", "simultaneous", 0), ("gd", "alternating", None),
])
def test_stability_intervals_at_degenerate_parameters_agree_with_the_exact_verdict(name, order, extra):
    """Specialise first, then factor: every sample (inside pieces and at crossings) matches gt.stability."""
    m = gt.methods.get(name, order=order)
    iv = stability_intervals(m, extra)
    pts = _samples(iv)
    assert len(pts) >= 3
    for s, v in pts:
        assert _exact_reference(m, extra, s) == v, (s, v)


def test_leapfrog_is_bounded_only_below_two():
    """Simultaneous momentum with beta = -1 (leapfrog): bounded for 0 < s < 2, diverges for s >= 2."""
    m = gt.methods.get("momentum")
    iv = stability_intervals(m, -1)
    assert iv["bounded"] == [(0, 2)] and iv["converges"] == []
    assert gt.stability(gt.games.bilinear([[1]]), m, eta=3, beta=-1) == "diverges"
    assert gt.stability(gt.games.bilinear([[1]]), m, eta=2, beta=-1) == "diverges"


def test_existence_at_a_degenerate_section_recomputes_the_boundary():
    """beta = -1 is a critical value of the cylindrical decomposition: its section is bounded (0 < s < 2)."""
    d = decide_existence(gt.methods.get("momentum"), "<0")
    assert d["bounded"] and not d["converges"] and d["complete"]
    w = d["witness_bounded"]
    assert gt.stability(gt.games.bilinear([[1]]), gt.methods.get("momentum"), eta=w["s"], beta=w["beta"]) == "bounded"


def test_equal_step_sizes_give_the_one_step_intervals():
    """Two timescales at eta_x = eta_y: the same verdicts as one step size."""
    g, m = gt.games.bilinear([[1]]), gt.methods.get("gd", order="alternating")
    for s in (sp.Rational(1, 2), 2, sp.Rational(5, 2)):
        assert gt.stability(g, m, eta_x=s, eta_y=s) == gt.stability(g, m, eta=s)


def test_decide_existence_reports_undecided_cells_and_lets_bugs_through(monkeypatch):
    m = gt.methods.get("gd", order="alternating")
    real = conditions.bilinear_verdict

    def flaky(method, s, extra=None):
        if s > 1:
            raise ParameterError("exact analysis needs algebraic numbers (test)")
        return real(method, s, extra)

    decide_existence.cache_clear()
    monkeypatch.setattr(conditions, "bilinear_verdict", flaky)
    d = decide_existence(m)
    assert not d["complete"] and d["undecided"] and "test" in d["undecided"][0]["reason"]
    decide_existence.cache_clear()

    def broken(method, s, extra=None):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(conditions, "bilinear_verdict", broken)
    with pytest.raises(ZeroDivisionError):
        decide_existence(m)
    decide_existence.cache_clear()


def test_the_table_says_undecided_instead_of_never(monkeypatch):
    from gametheory.analyses import tables

    m = gt.methods.get("gd", order="alternating")

    def never_decided(method, s, extra=None):
        raise ParameterError("not decided (test)")

    decide_existence.cache_clear()
    monkeypatch.setattr(conditions, "bilinear_verdict", never_decided)
    row = tables.bilinear_table([m])[0]
    decide_existence.cache_clear()
    assert row["bounded"] is None and row["converges"] is None and row["complete"] is False
    assert tables.to_markdown([row]).count("undecided") == 2   # both marks


def test_deprecated_names_still_work():
    with pytest.warns(DeprecationWarning):
        assert conditions.verdict_of_poly(MU - sp.Rational(1, 2)) == "converges"
    with pytest.warns(DeprecationWarning):
        assert conditions.verdict_at(gt.methods.get("eg"), sp.Rational(1, 2)) == "converges"
