"""The characteristic polynomial of an augmented Jacobian as exact polynomials in the grid parameters.

For a method whose augmented Jacobian ``M(p)`` has entries polynomial in the
grid parameters ``p = (eta, beta, ...)``,

    det(mu I - M(p)) = sum_k c_k(p) mu^(N - k),   c_0 = 1,

and each ``c_k`` is a polynomial in ``p`` of degree at most ``B_v`` in
``p_v``, where ``B_v`` is the smaller of the sums over rows (columns) of the
entries' largest degree in ``p_v`` (a ``k x k`` minor takes one entry per
row and per column). :func:`parametric_charpoly` finds the ``c_k`` exactly
by interpolation, with no symbolic determinant: ``M`` at the integer points
``p_v = 0, ..., B_v`` (the entries as FLINT ``fmpq_mpoly``), its
characteristic polynomial there (``fmpq_mat.charpoly``), then the tensor
product of the inverse Vandermonde matrices (exact rationals). For a 20 x 20
state that is about a second where SymPy's symbolic ``charpoly`` of the same
matrix takes minutes.

:class:`ParametricCharpoly` evaluates the coefficients on a batch of grid
points in floats (a monomial table times a coefficient matrix) with a bound
on their rounding error, and exactly at one point (for refinement).

Examples
--------
>>> import sympy as sp
>>> from gametheory.derive import PARAM_SYMBOLS
>>> eta = PARAM_SYMBOLS["eta"]
>>> [cp] = parametric_charpoly(sp.Matrix([[1, eta], [-eta, 1]]), ["eta"])
>>> cp.exact_at({"eta": sp.Integer(2)})
Poly(mu**2 - 2*mu + 5, mu, domain='QQ')
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import flint
import numpy as np
import sympy as sp

from ..derive import MU, PARAM_SYMBOLS
from .doubledouble import split

__all__ = ["ParametricCharpoly", "parametric_charpoly", "INTERPOLATION_MAX_WORK"]

#: at most this many entry evaluations (interpolation points x N^2) before falling back to another route
INTERPOLATION_MAX_WORK = 5_000_000


@dataclass
class ParametricCharpoly:
    """``det(mu I - M(p))`` with coefficients exact polynomials in the grid parameters ``names``.

    ``coeffs[k]``: the ``fmpq_mpoly`` coefficient of ``mu^(degree - k)``
    (one irreducible factor of the characteristic polynomial; its leading
    coefficient may depend on ``p``). ``exponents`` (monomials x
    parameters) and ``table`` (monomials x (degree + 1), floats) evaluate all
    coefficients at once: ``C = V @ table`` with ``V[i, j] = prod_v
    p_v[i]^exponents[j, v]``. ``table + table_lo`` is the exact table to
    double-double precision (:func:`gametheory.sweep.doubledouble.split`),
    for :func:`gametheory.sweep.kernels.dd_coefficients`.
    """

    names: list
    coeffs: list
    exponents: np.ndarray
    table: np.ndarray
    ctx: object
    table_lo: np.ndarray | None = None

    @property
    def degree(self) -> int:
        return len(self.coeffs) - 1

    def evaluate(self, vals: dict, n: int):
        """Float coefficient rows ``(n, degree + 1)`` at ``n`` grid points and bounds on their rounding errors.

        The bound: ``(t + 2 + sqrt(m)) eps sum_j |V_ij| |table_jk|`` for ``m``
        monomials of total degree at most ``t`` (each monomial's product, the
        sum's rounding in typical BLAS order).
        """
        E = self.exponents
        V = np.ones((n, E.shape[0]))
        for v, name in enumerate(self.names):
            x = np.broadcast_to(np.asarray(vals[name], dtype=float), (n,))
            top = int(E[:, v].max()) if E.size else 0
            pw = np.empty((top + 1, n))
            pw[0] = 1.0
            for k in range(1, top + 1):
                pw[k] = pw[k - 1] * x
            V *= pw[E[:, v]].T
        C = V @ self.table
        t = self.total_degree
        err = np.abs(V) @ np.abs(self.table)
        err *= (t + 2 + math.sqrt(E.shape[0])) * 2.2205e-16
        return np.ascontiguousarray(C), np.ascontiguousarray(err)

    @property
    def total_degree(self) -> int:
        """The largest total degree of a monomial in the grid parameters."""
        return int(self.exponents.sum(axis=1).max()) if self.exponents.size else 0

    def shifted_table(self) -> np.ndarray:
        """The table of ``p(1 + w)``'s coefficients in ``w`` (highest first, the monomials of :attr:`exponents`).

        The exact Taylor shift ``q_m = sum_{k <= m} binom(d - k, d - m) c_k``
        of the exact coefficients, rounded to floats once: near ``mu = 1``,
        where the roots of an iteration crowd at small step sizes, the roots
        ``w = mu - 1`` of ``q`` are far better conditioned than those of ``p``
        (:func:`gametheory.sweep.kernels.aberth_top` with ``c = 1``). Empty
        (no rows) without grid parameters. Cached.
        """
        if getattr(self, "_shifted", None) is None:
            d = self.degree
            K = d + 1
            if not self.names:
                self._shifted = np.zeros((0, K))
                return self._shifted
            index = {tuple(int(x) for x in row): r for r, row in enumerate(self.exponents)}
            table = np.zeros((len(index), K))
            for m in range(K):
                q = self.coeffs[0] * 0
                for k in range(m + 1):
                    q += math.comb(d - k, d - m) * self.coeffs[k]
                for mon, val in q.terms():
                    table[index[tuple(mon)], m] = split(val)[0]
            self._shifted = table
        return self._shifted

    def points(self, vals: dict, n: int) -> np.ndarray:
        """The parameter values of ``n`` grid points as rows ``(n, len(names))`` (for the compiled kernels)."""
        X = np.zeros((n, max(1, len(self.names))))
        for v, name in enumerate(self.names):
            X[:, v] = np.broadcast_to(np.asarray(vals[name], dtype=float), (n,))
        return X

    def exact_at(self, values: dict) -> sp.Poly:
        """The characteristic polynomial at exact rational parameter values (a Poly in ``mu`` over QQ)."""
        args = [flint.fmpq(int(sp.Rational(values[n]).p), int(sp.Rational(values[n]).q)) for n in self.names]
        cs = [c(*args) if self.names else c.coefficient(0) for c in self.coeffs]
        return sp.Poly([sp.Rational(int(c.p), int(c.q)) for c in cs], MU, domain=sp.QQ)


def _bounds(entries, N, m):
    """``B_v`` per parameter: min over rows / columns of the summed largest entry degrees."""
    deg = np.zeros((N, N, m), dtype=int)
    for (i, j), e in entries.items():
        deg[i, j] = e.degrees()
    return np.minimum(deg.max(axis=1).sum(axis=0), deg.max(axis=0).sum(axis=0))


def _inverse_vandermonde(b: int) -> flint.fmpq_mat:
    V = flint.fmpq_mat(b + 1, b + 1, [flint.fmpq(x) ** k for x in range(b + 1) for k in range(b + 1)])
    return V.inv()


def parametric_charpoly(J: sp.Matrix, names) -> list | None:
    """The characteristic polynomial of ``J`` (entries polynomial in ``PARAM_SYMBOLS[names]``), interpolated exactly.

    Returns its distinct irreducible factors over QQ with positive degree in
    ``mu`` (``mu`` itself dropped), each a :class:`ParametricCharpoly`: the
    spectral radius is the largest top-root modulus over them.

    Returns None when an entry is not a polynomial with rational
    coefficients in those parameters, or when the interpolation would need
    more than :data:`INTERPOLATION_MAX_WORK` entry evaluations.
    """
    names = list(names)
    syms = [PARAM_SYMBOLS[n] for n in names]
    N = J.shape[0]
    m = len(names)
    gens = tuple(names) if m else ("_none",)
    ctx = flint.fmpq_mpoly_ctx.get(gens, "lex")
    entries = {}
    for i in range(N):
        for j in range(N):
            e = J[i, j]
            if e == 0:
                continue
            try:
                P = sp.Poly(e, *syms, domain=sp.QQ) if m else sp.Poly(e, sp.Dummy(), domain=sp.QQ)
            except (sp.PolynomialError, sp.polys.polyerrors.CoercionFailed, sp.GeneratorsNeeded):
                return None
            if not m and P.degree() > 0:
                return None
            d = {mon if m else (0,): flint.fmpq(int(c.p), int(c.q)) for mon, c in P.terms()}
            entries[(i, j)] = ctx.from_dict(d)
    B = _bounds(entries, N, max(m, 1))[:m] if m else np.zeros(0, dtype=int)
    n_points = int(np.prod(B + 1)) if m else 1
    if n_points * max(N * N, 1) > INTERPOLATION_MAX_WORK:
        return None
    shape = tuple(int(b) + 1 for b in B)
    values = np.empty(shape + (N + 1,), dtype=object)
    zero = flint.fmpq(0)
    for pt in np.ndindex(*shape):
        args = [flint.fmpq(x) for x in pt]
        flat = [zero] * (N * N)
        for (i, j), e in entries.items():
            flat[i * N + j] = e(*args) if m else e.coefficient(0)
        cp = flint.fmpq_mat(N, N, flat).charpoly() if N else flint.fmpq_poly([1])
        cs = cp.coeffs()[::-1]  # highest first
        values[pt] = cs + [zero] * (N + 1 - len(cs))
    # tensor-product interpolation: along each axis, the inverse Vandermonde matrix times the values
    T = values
    for v in range(m):
        T = np.moveaxis(T, v, 0)
        rest = T.shape[1:]
        X = flint.fmpq_mat(T.shape[0], int(np.prod(rest)), list(T.reshape(T.shape[0], -1).ravel()))
        Y = _inverse_vandermonde(shape[v] - 1) * X
        T = np.array(Y.entries(), dtype=object).reshape((shape[v],) + rest)
        T = np.moveaxis(T, 0, v)
    # the whole polynomial in (mu, p), then its distinct irreducible factors over QQ: a repeated factor would put
    # a cluster at every grid point, and the radius is the largest over the factors
    full_ctx = flint.fmpq_mpoly_ctx.get(("mu",) + tuple(names), "lex")
    d = {}
    for k in range(N + 1):
        for pt in np.ndindex(*shape):
            c = T[pt + (k,)]
            if c != 0:
                d[(N - k,) + tuple(int(x) for x in pt)] = c
    full = full_ctx.from_dict(d)
    _, factors = full.factor()
    out = []
    for fac, _mult in factors:
        deg_mu = fac.degrees()[0]
        if deg_mu < 1 or fac.total_degree() == 1 and deg_mu == 1 and len(fac.terms()) == 1:
            continue  # parameter-only factors and mu itself (roots at 0 never set the radius)
        out.append(_factor_charpoly(fac, names, ctx, deg_mu))
    return out


def _factor_charpoly(fac, names, ctx, deg_mu):
    """One factor (an ``fmpq_mpoly`` in ``(mu, p)``) as a :class:`ParametricCharpoly`, made monic-leading-free."""
    m = len(names)
    per = [dict() for _ in range(deg_mu + 1)]
    for mon, c in fac.terms():
        per[deg_mu - mon[0]][tuple(mon[1:]) if m else (0,)] = c
    coeffs = [ctx.from_dict(t) for t in per]
    monomials = sorted({mon for c in coeffs for mon, _ in c.terms()}) if m else [(0,)]
    index = {mon: r for r, mon in enumerate(monomials)}
    table = np.zeros((len(monomials), len(coeffs)))
    table_lo = np.zeros_like(table)
    for k, c in enumerate(coeffs):
        for mon, val in c.terms():
            table[index[mon], k], table_lo[index[mon], k] = split(val)
    exponents = np.array(monomials, dtype=int).reshape(len(monomials), max(m, 1))[:, :m]
    return ParametricCharpoly(names, coeffs, exponents, table, ctx, table_lo)
