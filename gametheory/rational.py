"""Exact rational linear algebra with python-flint (FLINT): matrices for the rules, conversions.

The exact paths at scale never build a symbolic matrix: a method's rule is run
on exact rational matrices (:class:`RationalMatrix`, a thin wrapper of FLINT's
``fmpq_mat`` with the operations an update rule uses: ``+``, ``-``, scalar
``*`` and ``/``, ``@``, ``.T``, ``len``), and characteristic polynomials,
ranks and factorisations are FLINT's (``fmpq_mat.charpoly``, ``fmpz_poly.factor``).

Conversions:

* :func:`to_fmpq` / :func:`rational_matrix` read exact rationals (ints,
  ``Fraction``, SymPy rationals, floats at their binary value, NumPy arrays);
  they return None when an entry is not rational (an algebraic number or a
  symbol), so callers can fall back to SymPy's algebraic fields.
* :func:`to_sympy_matrix`, :func:`to_float_array`, :func:`to_sympy_poly`.

Example
-------
>>> M = RationalMatrix(rational_matrix([[1, 2], [3, 4]]))
>>> (M @ M.T - 2 * M).tolist()
[[3, 7], [5, 17]]
"""
from __future__ import annotations

from fractions import Fraction
from numbers import Integral

import flint
import numpy as np
import sympy as sp

__all__ = ["to_fmpq", "rational_matrix", "RationalMatrix", "RationalOps", "to_sympy_matrix",
           "to_float_array", "to_sympy_poly", "fmpz_poly_of", "fmpq_poly_of"]


def to_fmpq(value):
    """``value`` as an exact ``flint.fmpq``, or None if it is not a rational number.

    Floats are read at their exact binary value (``0.1`` is not ``1/10``).
    """
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (Integral, np.integer)):
        return flint.fmpq(int(value))
    if isinstance(value, flint.fmpz):
        return flint.fmpq(value)
    if isinstance(value, sp.Basic):
        if value.is_Rational:
            return flint.fmpq(int(value.p), int(value.q))
        if value.is_Float:
            return to_fmpq(float(value)) if value._prec <= 53 else to_fmpq(sp.Rational(value))
        return None
    if isinstance(value, Fraction):
        return flint.fmpq(value.numerator, value.denominator)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not np.isfinite(x):
            return None
        n, d = x.as_integer_ratio()
        return flint.fmpq(n, d)
    return None


def rational_matrix(value):
    """``value`` (nested lists, NumPy array, SymPy matrix, ``fmpq_mat``) as an ``fmpq_mat``, or None.

    None when an entry is not an exact rational (a symbol, ``sqrt(2)``, a
    complex number) or when ``value`` is not a 2-D matrix. Integer and float
    NumPy arrays take a fast path (no per-entry SymPy objects).
    """
    if isinstance(value, flint.fmpq_mat):
        return value
    if isinstance(value, RationalMatrix):
        return value.m
    if isinstance(value, sp.MatrixBase):
        rows, cols = value.shape
        entries = [to_fmpq(e) for e in value]
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            return None
        if arr.ndim != 2 or 0 in arr.shape:
            return None
        rows, cols = arr.shape
        if arr.dtype.kind in "iu":
            entries = [int(v) for v in arr.ravel().tolist()]
            return flint.fmpq_mat(rows, cols, entries)
        if arr.dtype.kind == "f":
            if not np.all(np.isfinite(arr)):
                return None
            entries = [flint.fmpq(*v.as_integer_ratio()) for v in arr.ravel().tolist()]
            return flint.fmpq_mat(rows, cols, entries)
        entries = [to_fmpq(e) for e in arr.ravel().tolist()]
    if any(e is None for e in entries):
        return None
    return flint.fmpq_mat(rows, cols, entries)


def to_sympy_matrix(M) -> sp.Matrix:
    """An ``fmpq_mat`` as a SymPy matrix of Rationals."""
    M = M.m if isinstance(M, RationalMatrix) else M
    rows, cols = M.nrows(), M.ncols()
    vals = [sp.Rational(int(e.p), int(e.q)) for e in M.entries()]
    return sp.Matrix(rows, cols, vals)


def to_float_array(M) -> np.ndarray:
    """An ``fmpq_mat`` as a float array (each entry correctly rounded)."""
    M = M.m if isinstance(M, RationalMatrix) else M
    vals = [int(e.p) / int(e.q) for e in M.entries()]
    return np.array(vals, dtype=float).reshape(M.nrows(), M.ncols())


def fmpq_poly_of(poly) -> "flint.fmpq_poly | None":
    """A SymPy ``Poly`` (or list of coefficients, highest first) over QQ as an ``fmpq_poly``, else None."""
    coeffs = poly.all_coeffs() if isinstance(poly, sp.Poly) else list(poly)
    qs = [to_fmpq(c) for c in coeffs]
    if any(q is None for q in qs):
        return None
    return flint.fmpq_poly(qs[::-1])


def fmpz_poly_of(poly) -> flint.fmpz_poly:
    """The primitive integer polynomial with the roots of ``poly`` (an ``fmpq_poly`` or ``fmpz_poly``)."""
    if isinstance(poly, flint.fmpz_poly):
        p = poly
    else:
        p = poly.numer()
    if p.is_zero():
        return p
    c = p.content() if hasattr(p, "content") else flint.fmpz(1)
    if c != 1 and c != 0:
        p = flint.fmpz_poly([v // c for v in p.coeffs()])
    if p.leading_coefficient() < 0:
        p = -p
    return p


def to_sympy_poly(poly, var) -> sp.Poly:
    """An ``fmpz_poly`` / ``fmpq_poly`` as a SymPy ``Poly`` in ``var`` over QQ."""
    coeffs = poly.coeffs()
    vals = [sp.Rational(int(c.p), int(c.q)) if isinstance(c, flint.fmpq) else sp.Integer(int(c)) for c in coeffs]
    if not vals:
        return sp.Poly(0, var, domain=sp.QQ)
    return sp.Poly(vals[::-1], var, domain=sp.QQ)


class RationalMatrix:
    """An exact rational matrix with the operations of an update rule (python-flint ``fmpq_mat``).

    Supports ``A + B``, ``A - B``, ``-A``, ``c * A``, ``A * c``, ``A / c``
    (``c`` an int or ``fmpq``), ``A @ B``, ``A.T`` and ``len(A)`` (rows), so
    the methods of :mod:`gametheory.methods` run on it unchanged
    (:class:`RationalOps` provides ``eye``, ``zeros`` and ``solve``).
    """

    __slots__ = ("m",)
    __array_priority__ = 100

    def __init__(self, m):
        self.m = m

    @property
    def shape(self):
        return (self.m.nrows(), self.m.ncols())

    def __len__(self):
        return self.m.nrows()

    @staticmethod
    def _scalar(c):
        q = to_fmpq(c)
        if q is None:
            raise TypeError(f"a rational matrix can be scaled by exact rationals only, not {c!r}")
        return q

    def __add__(self, other):
        return RationalMatrix(self.m + other.m)

    def __sub__(self, other):
        return RationalMatrix(self.m - other.m)

    def __neg__(self):
        return RationalMatrix(-self.m)

    def __mul__(self, c):
        if isinstance(c, RationalMatrix):
            raise TypeError("use @ for matrix products")
        return RationalMatrix(self.m * self._scalar(c))

    __rmul__ = __mul__

    def __truediv__(self, c):
        return RationalMatrix(self.m * (1 / self._scalar(c)))

    def __matmul__(self, other):
        return RationalMatrix(self.m * other.m)

    @property
    def T(self):
        return RationalMatrix(self.m.transpose())

    def tolist(self):
        return [[sp.Rational(int(e.p), int(e.q)) for e in row] for row in self.m.tolist()]

    def __repr__(self):
        return f"RationalMatrix({self.m.nrows()}x{self.m.ncols()})"


class RationalOps:
    """``eye``, ``zeros`` and ``solve`` on :class:`RationalMatrix` (exact)."""

    name = "flint"

    @staticmethod
    def eye(n):
        m = flint.fmpq_mat(n, n)
        for i in range(n):
            m[i, i] = 1
        return RationalMatrix(m)

    @staticmethod
    def zeros(rows, cols):
        return RationalMatrix(flint.fmpq_mat(rows, cols))

    @staticmethod
    def solve(M, b):
        return RationalMatrix(M.m.solve(b.m))


def vstack(blocks) -> "flint.fmpq_mat":
    """Stack ``fmpq_mat`` blocks (equal column counts) vertically."""
    cols = blocks[0].ncols()
    entries = []
    for b in blocks:
        entries += b.entries()
    return flint.fmpq_mat(sum(b.nrows() for b in blocks), cols, entries)


def submatrix(M, rows: slice, cols: slice) -> "flint.fmpq_mat":
    """``M[rows, cols]`` of an ``fmpq_mat`` (contiguous slices)."""
    table = M.tolist()
    sub = [r[cols] for r in table[rows]]
    nr, nc = len(sub), (len(sub[0]) if sub else 0)
    return flint.fmpq_mat(nr, nc, [e for r in sub for e in r])
