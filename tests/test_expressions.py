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


import time  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402


# ---- a grammar of valid games: each draw is (text, the SymPy expression it denotes, built independently) ----
def _number():
    ints = st.integers(-9, 9).map(lambda k: (str(k) if k >= 0 else f"({k})", sp.Integer(k)))
    fracs = st.tuples(st.integers(-9, 9), st.integers(1, 9)).map(
        lambda t: (f"({t[0]}/{t[1]})", sp.Rational(t[0], t[1])))
    decimals = st.tuples(st.integers(0, 999), st.integers(-3, 3)).map(
        lambda t: (f"{t[0]}e{t[1]}", sp.Integer(t[0]) * sp.Integer(10) ** t[1]))
    points = st.integers(0, 99).map(lambda k: (f"{k // 10}.{k % 10}", sp.Rational(k, 10)))
    return st.one_of(ints, fracs, decimals, points)


_ATOMS = st.one_of(_number(), st.sampled_from([("x", X), ("y", Y), ("pi", sp.pi)]))
_UNARY = [("sin", sp.sin), ("cos", sp.cos), ("exp", sp.exp), ("tanh", sp.tanh), ("atan", sp.atan),
          ("sigmoid", lambda t: 1 / (1 + sp.exp(-t))), ("softplus", lambda t: sp.log(1 + sp.exp(t)))]


def _extend(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})",
                   {"+": t[0][1] + t[2][1], "-": t[0][1] - t[2][1], "*": t[0][1] * t[2][1]}[t[1]]))
    powers = st.tuples(children, st.integers(0, 3)).map(lambda t: (f"({t[0][0]})**{t[1]}", t[0][1] ** t[1]))
    calls = st.tuples(st.sampled_from(_UNARY), children).map(lambda t: (f"{t[0][0]}({t[1][0]})", t[0][1](t[1][1])))
    negs = children.map(lambda c: (f"-{c[0]}", -c[1]))
    return st.one_of(binary, powers, calls, negs)


GAMES = st.recursive(_ATOMS, _extend, max_leaves=12)


@settings(max_examples=60)
@given(drawn=GAMES)
def test_grammar_of_valid_expressions_parses_to_the_expression_it_denotes(drawn):
    text, expected = drawn
    parsed = parse_expression(text, SYMS)
    assert parsed == expected or sp.simplify(parsed - expected) == 0, (text, parsed, expected)
    g = from_expression(f"x*y + {text}", x="x", y="y", equilibria=[(0, 0)])
    assert g.v.shape == (2, 1) and sp.simplify(g.f - (X * Y + expected)) == 0


@given(text=st.text(alphabet="xy0123456789+-*/().^ _,'abcdefghijklmnopqrstuvwzeE", max_size=40))
def test_fuzz_from_expression_gives_a_game_or_a_clear_error(text):
    t0 = time.perf_counter()
    try:
        g = from_expression(text, x="x", y="y", equilibria=[(0, 0)])
    except ParameterError:
        return
    finally:
        assert time.perf_counter() - t0 < 2.0, text
    assert g.v.shape == (2, 1)


HOSTILE = [
    ("x*y*1e400", None),                       # overflows a float: read exactly from its text
    ("x*y*(2**999)**999", "bits"),             # nested powers of numbers
    ("x*y*((9**999)**999)**999", "bits"),
    ("x*y*" + "9" * 5000, "valid"),            # a constant past Python's 4300-digit limit
    ("x*y*" + "9" * 1500, "bits"),             # a constant past the toolkit's own limit
    ("(x**50)**50*y", "degree"),               # nested powers of the symbols
    ("+".join(["x*y"] * 2400), None),          # a long sum: read without recursion
    ("*".join(["x"] * 90) + "*y", None),       # a long product
    ("-" * 5000 + "x*y", "deep"),              # a run of signs past the parser's nesting
    ("-" * 500 + "x*y", None),                 # ... and one within it
    ("(" * 150 + "x*y" + ")" * 150, None),     # parentheses alone nest nothing
    ("sin(" * 150 + "x*y" + ")" * 150, "deep"),
    ("sin(" * 300 + "x*y" + ")" * 300, "nested"),  # past Python's own parser limit
    ("sqrt(-1)*x*y", "not real"),              # complex coefficients
    ("log(-2)*x*y", "not real"),
    ("(-8)**(1/3)*x*y", "not real"),
    ("1j*x*y", "1j"),
    ("x*y/0", "division by zero"),
    ("x*y**(1/0)", "division by zero"),
]


@pytest.mark.parametrize("text, match", HOSTILE, ids=[h[0][:30] for h in HOSTILE])
def test_hostile_expressions_get_a_clear_answer_within_a_second(text, match):
    t0 = time.perf_counter()
    if match is None:
        g = from_expression(text, x="x", y="y", equilibria=[(0, 0)])
        assert g.f.free_symbols <= {X, Y}
    else:
        with pytest.raises(ParameterError, match=match):
            from_expression(text, x="x", y="y", equilibria=[(0, 0)])
    assert time.perf_counter() - t0 < 1.0


def test_decimal_literals_are_read_exactly_from_their_text():
    assert parse_expression("1e400*x", SYMS) == sp.Integer(10) ** 400 * X
    assert parse_expression("0.1*x", SYMS) == X / 10
    assert parse_expression("2.5e-3*x", SYMS) == sp.Rational(1, 400) * X


def test_equilibria_of_high_degree_fields_are_not_solved_forever():
    g = from_expression("x**99*y + y**97 + x*y**50", x="x", y="y")
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="equilibria="):
        g.equilibria
    assert time.perf_counter() - t0 < 1.0
    g = from_expression("x**99*y + y**97 + x*y**50", x="x", y="y", equilibria=[(0, 0)])
    assert g.equilibria == [(0, 0)]




@given(A=st.one_of(st.lists(st.lists(st.one_of(st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=2)),
                                    max_size=3), max_size=3), st.integers(), st.none()))
def test_fuzz_bilinear_gives_a_game_or_a_clear_error(A):
    from gametheory.games import bilinear

    try:
        g = bilinear(A)
    except ParameterError:
        return
    assert g.kind == "bilinear"
