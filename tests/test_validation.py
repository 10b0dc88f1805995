"""Reading user input (gametheory.validation): exact numbers, floats, integers; bounded before they are built."""
import time

import numpy as np
import pytest
import sympy as sp

import gametheory as gt
from gametheory.validation import ParameterError, exact_number, float_array, integer


@pytest.mark.parametrize("text, value", [
    ("1/10", sp.Rational(1, 10)), (" 0.25 ", sp.Rational(1, 4)), ("-.5", sp.Rational(-1, 2)),
    ("2.5e-3", sp.Rational(1, 400)), ("1e3", sp.Integer(1000)), ("3", sp.Integer(3)), ("-4/6", sp.Rational(-2, 3)),
    ("1e1000", sp.Integer(10) ** 1000),
])
def test_number_strings_are_exact(text, value):
    assert exact_number("eta", text) == value


@pytest.mark.parametrize("text", ["1e999999999", "1e-99999999", "9" * 5000, "1" + "0" * 1500, "1/0", "nan", "inf",
                                  "0x10", "1/3/4", "", "1e", "e5"])
def test_hostile_number_strings_are_refused_within_a_second(text):
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="'eta'"):
        exact_number("eta", text)
    assert time.perf_counter() - t0 < 1.0


def test_matrix_entries_and_sympy_floats_are_bounded_too():
    with pytest.raises(ParameterError, match=r"A\[0\]\[1\]"):
        gt.games.bilinear([[1, "1e999999999"]])
    with pytest.raises(ParameterError, match="float range"):
        exact_number("eta", sp.Float("1e999999"))


def test_float_array_reads_every_kind_of_number_once():
    np.testing.assert_array_equal(float_array("z0", ["1/4", 0.5, 2, sp.Rational(3, 4), np.float32(1.5)]),
                                  [0.25, 0.5, 2.0, 0.75, 1.5])
    for bad in (b"0.1", [b"1"], True, [True, 1], "1e400", [[1], [1, 2]], float("nan"), "x"):
        with pytest.raises(ParameterError):
            float_array("z0", bad)


def test_integers_from_text_and_their_limits():
    assert integer("n", "12", minimum=1) == 12 and integer("n", 3.0) == 3
    for bad in ("1/2", "2.5", 2.5, "two", True, float("inf"), 0, 101):
        with pytest.raises(ParameterError, match="'n'"):
            integer("n", bad, minimum=1, maximum=100)


def test_structural_integers_have_documented_limits():
    from gametheory.methods import INTEGER_LIMITS

    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match=f"<= {INTEGER_LIMITS['n']}"):
        gt.methods.get("n_inner", n=10**6)
    with pytest.raises(ParameterError, match="'n'"):
        gt.spectral_radius(gt.games.bilinear([[1]]), gt.methods.get("n_inner"), n=10**6, eta=0.1)
    with pytest.raises(ParameterError, match="'k'"):
        gt.methods.get("unrolled", k=10**4)
    assert time.perf_counter() - t0 < 1.0
