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
* Strings are parsed as exact rationals (``"1/10"``, ``"0.1"`` -> 1/10,
  ``"2.5e-3"``), with at most :data:`MAX_NUMBER_DIGITS` digits and a decimal
  exponent of at most :data:`MAX_NUMBER_EXPONENT` in size (checked before the
  number is built: ``"1e999999999"`` would otherwise build a billion-digit
  integer). Bytes are not numbers.
* NumPy arrays are numeric grids; results are then float arrays. Where a
  float is needed (grids, :func:`gametheory.simulate`), every kind of number
  above is accepted and rounded once (:func:`float_array`).
"""
from __future__ import annotations

import math
import re
from fractions import Fraction
from numbers import Integral, Real

import numpy as np
import sympy as sp


MAX_NUMBER_DIGITS = 1000      # digits of a number given as text
MAX_NUMBER_EXPONENT = 1000    # |decimal exponent| of a number given as text ("1e-1000" .. "1e1000")
_DECIMAL = re.compile(r"^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")
_RATIO = re.compile(r"^[+-]?\d+\s*/\s*[+-]?\d+$")


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
            x = float(value)
            if not math.isfinite(x):
                fail(name, "a real number within the float range (about 1.8e308)", value)
            return sp.Rational(*x.as_integer_ratio())
        return value
    if isinstance(value, Integral):
        return sp.Integer(int(value))
    if isinstance(value, str):
        return sp.Rational(_fraction_of_text(name, value))
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


def _fraction_of_text(name: str, text: str) -> Fraction:
    """``text`` (``"1/10"``, ``"-0.25"``, ``"2.5e-3"``) as a Fraction, its size bounded before it is built."""
    t = text.strip().replace("_", "")
    shown = text if len(text) <= 60 else text[:57] + "..."
    if len(t) > MAX_NUMBER_DIGITS + 20:
        fail(name, f"a number of at most {MAX_NUMBER_DIGITS} digits", shown)
    m = _DECIMAL.match(t)
    if m and (m.group(1) or m.group(2)):
        if m.group(3) is not None and abs(int(m.group(3))) > MAX_NUMBER_EXPONENT:
            fail(name, f"a number with a decimal exponent between -{MAX_NUMBER_EXPONENT} and "
                       f"{MAX_NUMBER_EXPONENT}", shown)
    elif not _RATIO.match(t):
        fail(name, "a number such as '1/10', '0.25' or '2.5e-3'", shown)
    try:
        return Fraction(t)
    except (ValueError, ZeroDivisionError):
        fail(name, "a number such as '1/10', '0.25' or '2.5e-3' (and no division by zero)", shown)


def real_float(name: str, value) -> float:
    """``value`` (any number :func:`exact_number` reads, or a float) as one finite float."""
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        x = float(value)
        if not math.isfinite(x):
            fail(name, "a finite real number", value)
        return x
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return real_float(name, value.item())
    exact = exact_number(name, value)
    if exact.free_symbols:
        fail(name, "a number (not a symbol)", value)
    x = float(exact)
    if not math.isfinite(x):
        fail(name, "a real number within the float range (about 1.8e308)", value)
    return x


def is_array(value) -> bool:
    return isinstance(value, np.ndarray) and value.ndim > 0 or isinstance(value, (list, tuple))


def float_array(name: str, value) -> np.ndarray:
    """Return ``value`` as a finite float array (for grids and numeric iterations).

    Numbers are read as everywhere else (:func:`exact_number`: ints, floats,
    SymPy numbers, strings such as ``"1/3"``) and rounded once to floats;
    bytes, booleans, NaN and infinities are refused.

    >>> float_array("z0", ["1/4", 0.5, 2]).tolist()
    [0.25, 0.5, 2.0]
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        arr = value.astype(float)
    elif isinstance(value, (list, tuple, np.ndarray)):
        try:
            obj = np.asarray(value, dtype=object)
        except (TypeError, ValueError):
            obj = None
        flat = [] if obj is None else obj.reshape(-1).tolist()
        if obj is None or any(isinstance(v, (list, tuple, np.ndarray)) for v in flat):
            fail(name, "a rectangular array of real numbers", type(value).__name__)
        if all(type(v) in (int, float) for v in flat):
            arr = np.array(flat, dtype=float).reshape(obj.shape)
        else:
            arr = np.array([real_float(f"{name}[{i}]", v) for i, v in enumerate(flat)],
                           dtype=float).reshape(obj.shape)
    else:
        arr = np.asarray(real_float(name, value))
    if not np.all(np.isfinite(arr)):
        fail(name, "finite values (found NaN or infinity)")
    return arr


def integer(name: str, value, minimum: int = 0, maximum: int | None = None) -> int:
    """Return ``value`` as a Python int in ``[minimum, maximum]``.

    Accepts ints, integral floats and SymPy integers, and text holding an
    integer (``"12"``, as a command line gives it); refuses fractions
    (``"1/2"``, ``2.5``), other text and booleans.
    """
    expected = f"an integer >= {minimum}" + ("" if maximum is None else f" and <= {maximum}")
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,30}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (Integral, sp.Integer)) and not (
        isinstance(value, (float, sp.Rational)) and math.isfinite(float(value)) and float(value).is_integer()
    ):
        fail(name, expected, value)
    out = int(value)
    if out < minimum or (maximum is not None and out > maximum):
        fail(name, expected, value)
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
