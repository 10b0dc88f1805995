"""Double-double arithmetic: the error-free transformations by hand, Dot2 and compensated Horner against exact
rationals, the compiled functions against the Python ones (same source)."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.sweep import doubledouble as dd

floats = st.floats(-1e100, 1e100, allow_nan=False, allow_infinity=False)


def _namespaces():
    out = [("python", vars(dd))]
    ns = dd.compiled()
    if ns:
        out.append(("numba", ns))
    return out


NAMESPACES = _namespaces()


def test_two_prod_and_two_sum_by_hand():
    """(1 + 2^-30)^2 = 1 + 2^-29 + 2^-60: the product's rounding error is 2^-60 exactly; 1 + 2^-60 loses 2^-60."""
    for _, ns in NAMESPACES:
        assert ns["two_prod"](1.0 + 2.0**-30, 1.0 + 2.0**-30) == (1.0 + 2.0**-29, 2.0**-60)
        assert ns["two_sum"](1.0, 2.0**-60) == (1.0, 2.0**-60)
        assert ns["two_sum"](2.0**-60, 1.0) == (1.0, 2.0**-60)
    assert dd.fma(0.1, 10.0, -1.0) == float(Fraction(0.1) * 10 - 1)  # 2^-54 > 0: the rounding of 0.1 shows


@settings(max_examples=200, deadline=None)
@given(floats, floats)
def test_error_free_transformations_are_exact(a, b):
    for _, ns in NAMESPACES:
        s, e = ns["two_sum"](a, b)
        assert Fraction(s) + Fraction(e) == Fraction(a) + Fraction(b)
        if a == 0 or b == 0 or 1e-290 < abs(Fraction(a) * Fraction(b)) < 1e300:
            p, f = ns["two_prod"](a, b)
            assert Fraction(p) + Fraction(f) == Fraction(a) * Fraction(b)


def test_split_is_the_nearest_double_double():
    hi, lo = dd.split(Fraction(1, 3))
    assert hi == 1 / 3 and abs(Fraction(hi) + Fraction(lo) - Fraction(1, 3)) <= Fraction(1, 3) * Fraction(2) ** -105


@pytest.mark.parametrize("name, ns", NAMESPACES, ids=[n for n, _ in NAMESPACES])
def test_dot2_is_accurate_where_float_cancels(name, ns):
    """Ill-conditioned dot products (condition ~1e20): Dot2 within its bound of the exact value, float64 is not."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = rng.normal(size=30) * 10.0 ** rng.integers(-10, 10, 30)
        y = rng.normal(size=30)
        y[-1] = -float(sum(Fraction(a) * Fraction(b) for a, b in zip(x[:-1], y[:-1])) / Fraction(x[-1]))
        xl = np.array([float(Fraction(v) * Fraction(2) ** -60) for v in x])  # low parts, exactly known
        exact = sum((Fraction(a) + Fraction(al)) * Fraction(b) for a, al, b in zip(x, xl, y))
        hi, lo, a = ns["dot2"](x, xl, y, np.zeros(30))
        err = abs(Fraction(hi) + Fraction(lo) - exact)
        assert err <= (dd.gamma(60) ** 2 + 4 * dd.U**2) * a + dd.U**2 * abs(exact)
        assert abs(Fraction(float(np.dot(x, y))) - exact) > 1e6 * err  # float64 lost the digits Dot2 keeps


@pytest.mark.parametrize("name, ns", NAMESPACES, ids=[n for n, _ in NAMESPACES])
def test_compensated_horner_near_a_multiple_root(name, ns):
    """(mu - 0.75)^7 (mu^2 + 1) expanded: near 0.75 plain Horner is pure rounding noise; compensated Horner stays
    within its bound of the exact rational value, at real and complex points."""
    coeffs = [Fraction(1)]
    for r in [Fraction(3, 4)] * 7:
        coeffs = [a - r * b for a, b in zip(coeffs + [0], [0] + coeffs)]
    coeffs = [a + b for a, b in zip(coeffs + [0, 0], [0, 0] + coeffs)]  # times (mu^2 + 1)
    ch = np.array([float(c) for c in coeffs])
    cl = np.array([float(c - Fraction(float(c))) for c in coeffs])
    for z in (0.75 + 1e-3, 0.75 - 2e-3, complex(0.75, 1e-3), complex(0.751, -5e-4)):
        zr, zi = Fraction(complex(z).real), Fraction(complex(z).imag)
        pr_ex, pi_ex, dr_ex, di_ex = Fraction(0), Fraction(0), Fraction(0), Fraction(0)
        for c in coeffs:  # exact complex Horner for p and p'
            dr_ex, di_ex = dr_ex * zr - di_ex * zi + pr_ex, dr_ex * zi + di_ex * zr + pi_ex
            pr_ex, pi_ex = pr_ex * zr - pi_ex * zi + c, pr_ex * zi + pi_ex * zr
        pr, pi, dr, di, bound = ns["comp_horner"](ch, cl, complex(z).real, complex(z).imag)
        err = abs(complex(float(Fraction(pr) - pr_ex), float(Fraction(pi) - pi_ex)))
        assert err <= bound
        assert abs(complex(pr, pi)) > 10 * bound  # the value itself is resolved
        plain = np.polyval(ch, z)
        assert abs(plain - complex(float(pr_ex), float(pi_ex))) > 1e3 * err
        assert abs(complex(dr, di) - complex(float(dr_ex), float(di_ex))) <= 1e-12 * abs(complex(float(dr_ex), float(di_ex)))


def test_compiled_is_the_same_source():
    """The compiled namespace re-binds the very code objects of this module."""
    ns = dd.compiled()
    if not ns:
        pytest.skip("numba disabled")
    for name in ("two_sum", "two_prod", "dot2", "comp_horner"):
        assert ns[name].py_func.__code__ is getattr(dd, name).__code__
