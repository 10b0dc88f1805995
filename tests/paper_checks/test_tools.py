"""Exact interval analysis of characteristic polynomials (paper_checks._tools)."""
import sympy as sp

from gametheory.derive import MU, S
from gametheory.paper_checks._tools import crossing_values, sign_on_positive, stability_intervals, verdict_of_poly


def _open(iv):
    return [(i["lo"], i["hi"], i["verdict"]) for i in iv if "lo" in i]


def test_gda_diverges_everywhere():
    assert _open(stability_intervals(MU**2 - 2 * MU + S**2 + 1, S)) == [(0, sp.oo, "diverges")]


def test_extragradient_boundary_is_exactly_one():
    p = MU**2 + 2 * MU * S**2 - 2 * MU + S**4 - S**2 + 1
    iv = stability_intervals(p, S)
    assert _open(iv) == [(0, 1, "converges"), (1, sp.oo, "diverges")]
    assert {"at": 1, "verdict": "bounded"} in iv


def test_self_reciprocal_polynomial_uses_collisions():
    # alternating GDA: mu^2 - (2 - s^2) mu + 1 is self-reciprocal for every s; roots collide at s = 2
    p = MU**2 + MU * S**2 - 2 * MU + 1
    assert crossing_values(p, S) == [2]
    assert _open(stability_intervals(p, S)) == [(0, 2, "bounded"), (2, sp.oo, "diverges")]


def test_rational_coefficients_and_verdicts():
    # CGD: ((1 + s^2) mu^2 - 2 mu + 1) / (1 + s^2): converges for every s
    p = (MU**2 * S**2 + MU**2 - 2 * MU + 1) / (S**2 + 1)
    assert _open(stability_intervals(p, S)) == [(0, sp.oo, "converges")]
    assert verdict_of_poly((MU - 1) ** 2) == "diverges"       # defective on the circle
    assert verdict_of_poly(MU * (MU - sp.Rational(1, 2))) == "converges"


def test_sign_on_positive():
    out = sign_on_positive(S**4 - S**2, S)
    assert [(a, b, s) for a, b, s in out] == [(0, 1, -1), (1, sp.oo, 1)]


def test_docstring_examples():
    import doctest

    import gametheory.paper_checks._tools as tools

    assert doctest.testmod(tools, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE).failed == 0


def test_stability_intervals_on_the_matrix_follow_its_jordan_structure():
    """(1 - s) I has the double root mu = 1 - s: at s = 2 it is -I, semisimple on the circle ("bounded");
    the companion matrix of (mu - 1 + s)^2 is a Jordan block there ("diverges")."""
    p = sp.expand((MU - 1 + S) ** 2)
    M = (1 - S) * sp.eye(2)
    by_poly = {str(i["at"]): i["verdict"] for i in stability_intervals(p, S) if "at" in i}
    by_matrix = stability_intervals(p, S, matrix=M)
    assert by_poly["2"] == "diverges"
    assert {str(i["at"]): i["verdict"] for i in by_matrix if "at" in i}["2"] == "bounded"
    assert [i["verdict"] for i in by_matrix if "lo" in i] == ["converges", "diverges"]
