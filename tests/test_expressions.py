"""from_expression must never evaluate arbitrary Python."""
import pytest
import sympy as sp

from gametheory.expressions import parse_expression
from gametheory.games import from_expression
from gametheory.validation import ParameterError

X, Y = sp.symbols("x y", real=True)
SYMS = {"x": X, "y": Y}


@pytest.mark.parametrize("text, expected", [
    ("x*y + x**2/2", X * Y + X**2 / 2),
    ("sin(x) * exp(-y)", sp.sin(X) * sp.exp(-Y)),
    ("0.5*x", X / 2),
    ("-x + +y", -X + Y),
    ("pi*x", sp.pi * X),
    ("log(sigmoid(x*y))", sp.log(1 / (1 + sp.exp(-X * Y)))),
])
def test_allowed_expressions(text, expected):
    assert sp.simplify(parse_expression(text, SYMS) - expected) == 0


@pytest.mark.parametrize("text", [
    "__import__('os').system('echo hacked')",
    "x.__class__",
    "().__class__.__bases__[0]",
    "eval('1')",
    "exec('x=1')",
    "open('/etc/passwd')",
    "lambda: 1",
    "[x for x in ()]",
    "x if y else 1",
    "z * x",
    "x^2",
    "'text'",
    "sin(x, y)",
    "sin(x=1)",
    "x < y",
])
def test_refused_expressions(text):
    with pytest.raises(ParameterError):
        parse_expression(text, SYMS)


def test_xor_gets_a_hint():
    with pytest.raises(ParameterError, match=r"\*\*"):
        parse_expression("x^2", SYMS)


def test_from_expression_refuses_code():
    with pytest.raises(ParameterError, match="'f'"):
        from_expression("__import__('os')", x="x", y="y")


def test_division_by_zero_is_refused():
    with pytest.raises(ParameterError, match="division by zero"):
        from_expression("x*y/0", x="x", y="y")


def test_huge_powers_are_refused_rather_than_computed():
    with pytest.raises(ParameterError, match="exponent"):
        parse_expression("10**10**10", SYMS)


from hypothesis import given, strategies as st  # noqa: E402


@given(text=st.text(alphabet="xy0123456789+-*/().^ _,'abcdefghijklmnopqrstuvwz", max_size=25))
def test_fuzz_from_expression_gives_a_game_or_a_clear_error(text):
    try:
        g = from_expression(text, x="x", y="y")
    except ParameterError:
        return
    assert g.v.shape == (2, 1)


@given(A=st.one_of(st.lists(st.lists(st.one_of(st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=2)),
                                    max_size=3), max_size=3), st.integers(), st.none()))
def test_fuzz_bilinear_gives_a_game_or_a_clear_error(A):
    from gametheory.games import bilinear

    try:
        g = bilinear(A)
    except ParameterError:
        return
    assert g.kind == "bilinear"
