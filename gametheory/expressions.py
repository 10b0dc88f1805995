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
from fractions import Fraction

import sympy as sp

from .validation import ParameterError

FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "exp": sp.exp, "log": sp.log,
    "sqrt": sp.sqrt, "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh,
    "atan": sp.atan, "Abs": sp.Abs, "abs": sp.Abs,
    "sigmoid": lambda t: 1 / (1 + sp.exp(-t)),
    "softplus": lambda t: sp.log(1 + sp.exp(t)),
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}
_BINARY = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


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
    """
    if not isinstance(text, str):
        raise ParameterError(f"parameter {name!r}: expected a string, got {type(text).__name__}")
    if len(text) > 10_000:
        raise ParameterError(f"parameter {name!r}: expression longer than 10000 characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ParameterError(f"parameter {name!r}: not a valid expression ({exc.msg}): {text!r}") from None

    def refuse(node, why):
        raise ParameterError(
            f"parameter {name!r}: {why} is not allowed in an expression "
            f"(allowed: numbers, + - * / **, the symbols {sorted(symbols)}, "
            f"the constants {sorted(CONSTANTS)} and the functions {sorted(FUNCTIONS)})"
        )

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                refuse(node, f"the constant {node.value!r}")
            if isinstance(node.value, float):
                return sp.Rational(Fraction(repr(node.value)))
            return sp.Integer(node.value)
        if isinstance(node, ast.Name):
            if node.id in symbols:
                return symbols[node.id]
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            refuse(node, f"the unknown name {node.id!r}")
        if isinstance(node, ast.BinOp):
            op = _BINARY.get(type(node.op))
            if op is None:
                hint = " (use ** for powers)" if isinstance(node.op, ast.BitXor) else ""
                refuse(node, f"the operator {type(node.op).__name__}{hint}")
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow) and right.is_number and abs(right) > 1000:
                refuse(node, f"an exponent as large as {right}")
            return op(left, right)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -walk(node.operand)
            if isinstance(node.op, ast.UAdd):
                return walk(node.operand)
            refuse(node, f"the operator {type(node.op).__name__}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                what = node.func.id if isinstance(node.func, ast.Name) else ast.dump(node.func)[:40]
                refuse(node, f"a call to {what!r}")
            if node.keywords or len(node.args) != 1:
                refuse(node, f"calling {node.func.id} with other than one positional argument")
            return FUNCTIONS[node.func.id](walk(node.args[0]))
        refuse(node, f"the syntax {type(node).__name__}")

    return sp.sympify(walk(tree))
