"""Safe parsing of loss expressions typed as text.

SymPy's own string parser calls :func:`eval`, so a string such as
``"__import__('os').system('...')"`` would run. :func:`parse_expression`
instead walks Python's syntax tree and accepts only arithmetic, numbers, the
declared symbols, a few named constants and the usual elementary functions.
Anything else (attribute access, subscripts, dunder names, unknown calls,
keyword arguments, comprehensions, ...) is refused with a clear error.

Examples
--------
>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> parse_expression("x*y + x**2/2", {"x": x, "y": y})
x**2/2 + x*y
"""
from __future__ import annotations

import ast

import sympy as sp

from .validation import ParameterError, exact_number

FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "exp": sp.exp, "log": sp.log,
    "sqrt": sp.sqrt, "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh,
    "atan": sp.atan, "Abs": sp.Abs, "abs": sp.Abs,
    "sigmoid": lambda t: 1 / (1 + sp.exp(-t)),
    "softplus": lambda t: sp.log(1 + sp.exp(t)),
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}
_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


MAX_LENGTH = 10_000          # characters of an expression
MAX_DEPTH = 100              # nesting of parentheses, calls and powers
MAX_CONSTANT_BITS = 4096     # size of every exact number an expression builds (about 1233 digits)
MAX_EXPONENT = 1000          # |exponent| of a power of a number
MAX_DEGREE = 100             # |exponent| of a power of an expression in the symbols (nested powers multiply)


def _bits(value) -> int:
    """Bits of an exact number's numerator and denominator (0 for other expressions)."""
    if isinstance(value, sp.Rational):
        return max(abs(int(value.p)).bit_length(), int(value.q).bit_length())
    return 0


def parse_expression(text: str, symbols: dict, name: str = "expression") -> sp.Expr:
    """Parse ``text`` into a SymPy expression over the given ``symbols`` only.

    Parameters
    ----------
    text : str
        Arithmetic in Python syntax (``**`` for powers).
    symbols : dict
        Allowed names mapped to SymPy symbols.
    name : str
        The parameter name used in error messages.

    Limits (each refused with a :class:`~gametheory.validation.ParameterError`
    before any large work is done): :data:`MAX_LENGTH` characters;
    :data:`MAX_DEPTH` levels of nesting; every exact number built (literals
    and their sums, products and powers) within :data:`MAX_CONSTANT_BITS`
    bits; powers of numbers with ``|exponent| <= MAX_EXPONENT``; powers of
    expressions in the symbols up to degree :data:`MAX_DEGREE` (nested
    powers multiply: ``(x**20)**20`` is degree 400). Long sums, products and
    runs of signs are read without recursion. Decimal literals are read
    exactly from their text (``0.1`` is 1/10, ``1e400`` is 10**400).
    Coefficients must be real: ``sqrt(-1)``, ``log(-2)`` and the like are
    refused (games here are real).
    """
    if not isinstance(text, str):
        raise ParameterError(f"parameter {name!r}: expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParameterError(f"parameter {name!r}: expression longer than {MAX_LENGTH} characters")
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ParameterError(f"parameter {name!r}: not a valid expression ({exc.msg}): {_short(text)}") from None
    except (RecursionError, MemoryError, ValueError) as exc:  # parser limits (nesting, 4300-digit literals)
        why = "nested too deeply" if isinstance(exc, (RecursionError, MemoryError)) else str(exc)
        raise ParameterError(f"parameter {name!r}: not a valid expression ({why}): {_short(text)}") from None

    def refuse(node, why):
        raise ParameterError(
            f"parameter {name!r}: {why} is not allowed in an expression "
            f"(allowed: numbers, + - * / **, the symbols {sorted(symbols)}, "
            f"the constants {sorted(CONSTANTS)} and the functions {sorted(FUNCTIONS)})"
        )

    def too_big(why):
        raise ParameterError(f"parameter {name!r}: {why}; the limits are {MAX_CONSTANT_BITS}-bit numbers, "
                             f"exponents up to {MAX_EXPONENT} on numbers and degree {MAX_DEGREE} in the symbols")

    def checked(value):
        if _bits(value) > MAX_CONSTANT_BITS:
            too_big(f"a number of {_bits(value)} bits")
        return value

    def power(node, base, exp):
        if not exp.is_number:
            return base ** exp
        if exp.is_real is False:
            refuse(node, "a complex exponent")
        if abs(exp) > MAX_EXPONENT:
            refuse(node, f"an exponent as large as {exp}")
        if base.is_Rational:
            if exp.is_Rational and _bits(base) * abs(int(exp.p)) > MAX_CONSTANT_BITS * max(int(exp.q), 1):
                too_big(f"the power {_short(ast.unparse(node))} (about {_bits(base) * abs(int(exp.p))} bits)")
            return checked(base ** exp)
        if base.free_symbols:
            degree = abs(exp) * max([abs(e) for e in _exponents(base)] + [1])
            if degree > MAX_DEGREE:
                too_big(f"a power of degree {degree} in the symbols ({_short(ast.unparse(node))})")
        return base ** exp

    def chain(node, ops):
        """The operands of a left-leaning chain ``a op b op c ...`` (no recursion on its length)."""
        items = []
        while isinstance(node, ast.BinOp) and type(node.op) in ops:
            items.append(node)
            node = node.left
        return node, items[::-1]

    def walk(node, depth=0):
        if depth > MAX_DEPTH:
            raise ParameterError(f"parameter {name!r}: expression nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ast.Expression):
            return walk(node.body, depth)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                refuse(node, f"the constant {node.value!r}")
            if isinstance(node.value, float):  # read the literal's own text, exactly
                literal = ast.get_source_segment(source, node) or repr(node.value)
                return checked(exact_number(name, literal))
            return checked(sp.Integer(node.value))
        if isinstance(node, ast.Name):
            if node.id in symbols:
                return symbols[node.id]
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            refuse(node, f"the unknown name {node.id!r}")
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _BINARY):
                hint = " (use ** for powers)" if isinstance(node.op, ast.BitXor) else ""
                refuse(node, f"the operator {type(node.op).__name__}{hint}")
            if type(node.op) is ast.Pow:
                return power(node, walk(node.left, depth + 1), walk(node.right, depth + 1))
            additive = type(node.op) in (ast.Add, ast.Sub)
            first, links = chain(node, (ast.Add, ast.Sub) if additive else (ast.Mult, ast.Div))
            operands = [walk(first, depth + 1)]
            for link in links:  # combined once at the end (a running sum would cost O(n^2))
                right = walk(link.right, depth + 1)
                if isinstance(link.op, ast.Sub):
                    right = -right
                elif isinstance(link.op, ast.Div):
                    if right == 0:
                        raise ParameterError(f"parameter {name!r}: division by zero in {_short(ast.unparse(link))}")
                    right = 1 / right
                operands.append(checked(right))
            return checked(sp.Add(*operands) if additive else sp.Mul(*operands))
        if isinstance(node, ast.UnaryOp):
            sign = 1
            while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
                sign = -sign if isinstance(node.op, ast.USub) else sign
                node = node.operand
            if isinstance(node, ast.UnaryOp):
                refuse(node, f"the operator {type(node.op).__name__}")
            return sign * walk(node, depth + 1)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = node.func.id if isinstance(node.func, ast.Name) else ast.dump(node.func)[:40]
                refuse(node, f"a call to {what!r}")
            if node.keywords or len(node.args) != 1:
                refuse(node, f"calling {node.func.id} with other than one positional argument")
            return FUNCTIONS[node.func.id](walk(node.args[0], depth + 1))
        refuse(node, f"the syntax {type(node).__name__}")

    expr = sp.sympify(walk(tree))
    for sub in sp.preorder_traversal(expr):
        if not sub.free_symbols and sub.is_real is False:
            raise ParameterError(f"parameter {name!r}: the coefficient {_short(str(sub))} is not real "
                                 "(games here are real-valued; complex coefficients are not allowed)")
    return expr


def _exponents(expr):
    """Exponents of the powers in ``expr`` that involve its symbols (for the degree limit)."""
    return [p.exp for p in expr.atoms(sp.Pow) if p.base.free_symbols and p.exp.is_number and p.exp.is_real]


def _short(text, n=60):
    text = str(text)
    return repr(text) if len(text) <= n else repr(text[: n - 3] + "...")
