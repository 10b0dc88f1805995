"""Reading and checking user input: one place for the clear errors.

Every public function of the toolkit routes its parameters through here, so a
bad value always produces a :class:`ParameterError` naming the parameter and
what was expected, never a bare NumPy or SymPy traceback.

How numbers are read
--------------------
* Python ``int`` and SymPy numbers (``Rational``, ``sqrt(3)/3``, ...) are exact.
* Python ``float`` values are read as the exact binary number they store:
  ``0.5`` is exactly ``1/2``, while ``0.1`` is
  ``3602879701896397/36028797018963968``. Verdicts on the unit circle are then
  exact for that number. Pass ``sympy.Rational(1, 10)`` (or the string
  ``"1/10"``) for the decimal one tenth.
* Strings are parsed as exact rationals (``"1/10"``, ``"0.1"`` -> 1/10).
* NumPy arrays are numeric grids; results are then float arrays.
"""
from __future__ import annotations

import math
from fractions import Fraction
from numbers import Integral, Real

import numpy as np
import sympy as sp


class ParameterError(ValueError):
    """A parameter is missing, of the wrong kind, non-finite or out of range."""


def fail(name: str, expected: str, got=None) -> "None":
    """Raise a :class:`ParameterError` naming ``name`` and what was expected."""
    shown = "" if got is None else f", got {got!r}"
    raise ParameterError(f"parameter {name!r}: expected {expected}{shown}")


def exact_number(name: str, value):
    """Return ``value`` as an exact, finite, real SymPy number.

    Raises :class:`ParameterError` for non-numbers, NaN, infinities and
    complex values.
    """
    if isinstance(value, bool):
        fail(name, "a real number", value)
    if isinstance(value, sp.Basic):
        if value.free_symbols:
            return value  # symbolic parameters are allowed in derivations
        if value.is_real is False or value.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            fail(name, "a finite real number", value)
        if isinstance(value, sp.Float):
            return sp.Rational(*Fraction(float(value)).as_integer_ratio())
        return value
    if isinstance(value, Integral):
        return sp.Integer(int(value))
    if isinstance(value, str):
        try:
            return sp.Rational(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            fail(name, "a number such as '1/10' or '0.25'", value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, Real):
        x = float(value)
        if not math.isfinite(x):
            fail(name, "a finite real number", value)
        return sp.Rational(*x.as_integer_ratio())
    fail(name, "a real number (int, float, SymPy number or NumPy array)", value)


def is_array(value) -> bool:
    return isinstance(value, np.ndarray) and value.ndim > 0 or isinstance(value, (list, tuple))


def float_array(name: str, value) -> np.ndarray:
    """Return ``value`` as a finite float array (for grids)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(name, "an array of real numbers", type(value).__name__)
    if not np.all(np.isfinite(arr)):
        fail(name, "finite values (found NaN or infinity)")
    return arr


def integer(name: str, value, minimum: int = 0) -> int:
    """Return ``value`` as a Python int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (Integral, sp.Integer)) and not (
        isinstance(value, (float, sp.Rational)) and float(value).is_integer()
    ):
        fail(name, f"an integer >= {minimum}", value)
    out = int(value)
    if out < minimum:
        fail(name, f"an integer >= {minimum}", value)
    return out


def matrix(name: str, value, shape=None) -> sp.Matrix:
    """Return ``value`` as an exact SymPy matrix (floats read exactly)."""
    if isinstance(value, sp.MatrixBase):
        rows = value.tolist()
    elif isinstance(value, (list, tuple)) and value and all(isinstance(r, (list, tuple)) for r in value) \
            and len({len(r) for r in value}) > 1:
        fail(name, "a rectangular matrix (rows of equal length)", [len(r) for r in value])
    else:
        try:
            arr = np.asarray(value, dtype=object)
        except Exception:  # pragma: no cover - numpy accepts nearly anything
            fail(name, "a matrix (nested lists or a 2-D array)", value)
        if arr.ndim == 1:
            arr = arr.reshape(1, -1) if shape is None or shape[0] == 1 else arr.reshape(-1, 1)
        if arr.ndim != 2 or 0 in arr.shape:
            fail(name, "a non-empty 2-D matrix", getattr(arr, "shape", value))
        rows = arr.tolist()
    out = sp.Matrix([[exact_number(f"{name}[{i}][{j}]", v) for j, v in enumerate(r)] for i, r in enumerate(rows)])
    if shape is not None:
        for want, got, what in zip(shape, out.shape, ("rows", "columns")):
            if want is not None and want != got:
                fail(name, f"{want} {what} (shape {shape})", f"shape {out.shape}")
    return out


def vector(name: str, value, length: int | None = None) -> sp.Matrix:
    """Return ``value`` as an exact SymPy column vector."""
    if value is None:
        fail(name, "a vector")
    if isinstance(value, (int, float, sp.Basic)) and not isinstance(value, sp.MatrixBase):
        value = [value]
    arr = np.asarray(value, dtype=object).reshape(-1)
    out = sp.Matrix([exact_number(f"{name}[{i}]", v) for i, v in enumerate(arr)])
    if length is not None and out.shape[0] != length:
        fail(name, f"a vector of length {length}", f"length {out.shape[0]}")
    return out


def choice(name: str, value, options) -> str:
    if value not in options:
        fail(name, "one of " + ", ".join(repr(o) for o in options), value)
    return value
