"""Exact convergence regions: Schur-Cohn conditions, boundaries, existence decisions."""
import numpy as np
import pytest
import sympy as sp

import gametheory as gt
from gametheory.analyses.conditions import (S, bilinear_region, boundary_polynomial, decide_existence,
                                 schur_cohn_conditions, stability_intervals, verdict_at)
from gametheory.derive import MU

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
    assert verdict_at(alt, w["s"], w["beta"]) == "converges"
