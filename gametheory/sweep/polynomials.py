"""The small polynomials the sweep engine roots, derived from each method's rule.

* :func:`scalar_polynomial`: for a simultaneous method that is a function of
  ``J`` (one step size), ``q(mu, lambda)`` with
  ``det(mu I - M) = prod_{lambda in Sp(J)} q(mu, lambda)`` (spectral mapping;
  Gidel et al., AISTATS 2019, Sec. 4).
* :func:`bilinear_polynomials`: for bilinear games, the characteristic
  polynomial of one singular-value block and of one uncoupled coordinate
  (Gidel et al., AISTATS 2019, Sec. 3; Zhang & Yu, ICLR 2020, Sec. 3).
* :class:`CompiledPolynomial`: such a polynomial compiled to coefficient
  arrays (NumPy) and to mpmath, for the grid.

Everything is derived by running the method's rule through
:func:`gametheory.derive` on small symbolic games, never typed in.

Examples
--------
>>> import gametheory as gt
>>> scalar_polynomial(gt.methods.get("gd"))
eta*lambda + mu - 1
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from ..derive import MU, PARAM_SYMBOLS, SIGMA, derive
from ..exact import mp_roots, strip_zero_roots
from ..methods import SIM, Method

LAMBDA = sp.Symbol("lambda")        # an eigenvalue of J (complex)

__all__ = ["scalar_polynomial", "bilinear_polynomials", "BilinearPolynomials", "CompiledPolynomial", "LAMBDA"]


def _params_for(method):
    """The structural parameters bound to ``method`` (``k``, ``n``; defaults otherwise)."""
    return method.structural({})


def _poly_in_mu(expr) -> sp.Poly:
    num, _ = sp.fraction(sp.together(sp.expand(expr)))
    return sp.Poly(sp.expand(num), MU)


def _linear_field_game(J):
    """A game with field ``v(z) = J z`` (exact ``J``, split ``nx`` / ``ny`` by rows)."""
    from ..games import Game

    n = J.shape[0]
    nx = max(1, n // 2)
    zs = sp.symbols(f"a1:{nx + 1}", real=True) + sp.symbols(f"b1:{n - nx + 1}", real=True)
    v = J * sp.Matrix(zs)
    params = tuple(sorted(J.free_symbols, key=str))
    return Game(zs[:nx], zs[nx:], field=list(v), equilibria=[(0,) * n], name="linear field",
                kind="field", parameters=params)


@lru_cache(maxsize=None)
def _scalar_polynomial(method: Method, extras: tuple):
    if method.order != SIM:
        return None
    l1, l2 = sp.Symbol("l1"), sp.Symbol("l2")
    game = _linear_field_game(sp.diag(l1, l2))
    kw = {k: PARAM_SYMBOLS[k] for k in extras}
    try:
        d = derive(game, method, _bilinear_block=False, **_params_for(method), **kw)
    except Exception:  # pragma: no cover - a method the scalar game does not support
        return None
    cp = sp.factor_list(d.charpoly)
    q = sp.Integer(1)
    for fac, mult in cp[1]:
        fs = fac.free_symbols
        if l2 in fs and l1 in fs:
            return None
        if l1 in fs or (l2 not in fs and MU in fs):
            q *= fac ** mult
    # the l1-free, mu-dependent factors appear for both coordinates: share them out
    both = sp.Integer(1)
    for fac, mult in cp[1]:
        fs = fac.free_symbols
        if l1 not in fs and l2 not in fs and MU in fs:
            if mult % 2:
                return None
            both *= fac ** (mult // 2)
    q = sp.expand(sp.cancel(q / both ** 1) if both != 1 else q)
    q = sp.expand(q.xreplace({l1: LAMBDA}))
    # verify the spectral mapping exactly on two random non-normal affine games
    rng = random.Random(20240531)
    for n in (3, 4):
        J = sp.Matrix(n, n, lambda i, j: sp.Rational(rng.randint(-4, 4), rng.randint(1, 3)))
        g = _linear_field_game(J)
        try:
            full = derive(g, method, _bilinear_block=False, **_params_for(method), **kw).charpoly
        except Exception:  # pragma: no cover
            return None
        res = sp.resultant(J.charpoly(LAMBDA).as_expr(), q, LAMBDA)
        if sp.expand(res - full) != 0 and sp.expand(res + full) != 0:
            ratio = sp.cancel(res / full)
            if ratio.free_symbols:
                return None
    return q


def scalar_polynomial(method: Method, extras=()):
    """The derived scalar polynomial ``q(mu, lambda)`` of a simultaneous linear method, or None.

    ``det(mu I - M) = prod_{lambda in Sp(J)} q(mu, lambda)`` for the method's
    augmented Jacobian ``M`` on any game with field Jacobian ``J`` (one step
    size). Derived from the method's rule on the decoupled field
    ``v = (l1 a, l2 b)`` and verified exactly by resultants on random
    non-normal linear fields; None when the method is not a function of ``J``
    (alternating order, consensus, SGA, CGD, ...).

    Examples
    --------
    >>> import gametheory as gt
    >>> scalar_polynomial(gt.methods.get("momentum"))
    -beta*mu + beta + eta*lambda*mu + mu**2 - mu
    """
    return _scalar_polynomial(method, tuple(sorted(extras)))


@dataclass(frozen=True)
class BilinearPolynomials:
    """Per-mode characteristic polynomials of a method on bilinear games.

    ``block`` (in ``mu``, ``sigma`` and the parameters) for one singular value
    ``sigma > 0``; ``x_mode`` / ``y_mode`` for one uncoupled coordinate of
    ``x`` / ``y`` (a zero singular value or the surplus of a non-square ``A``).
    """

    block: sp.Expr
    x_mode: sp.Expr
    y_mode: sp.Expr


@lru_cache(maxsize=None)
def _bilinear_polynomials(method: Method, extras: tuple):
    from ..games import bilinear

    kw = {k: PARAM_SYMBOLS[k] for k in extras}
    st = _params_for(method)

    def cp(A):
        return derive(bilinear(A), method, per_player=True, _bilinear_block=False, **st, **kw).charpoly

    block = sp.factor(cp([[SIGMA]]))
    x_mode = sp.factor(sp.cancel(cp([[SIGMA], [0]]) / block))
    y_mode = sp.factor(sp.cancel(cp([[SIGMA, 0]]) / block))
    for e in (x_mode, y_mode):
        if SIGMA in e.free_symbols or sp.fraction(sp.together(e))[1].has(MU):  # pragma: no cover
            raise RuntimeError(f"{method!r}: uncoupled modes depend on sigma")
    return BilinearPolynomials(sp.expand(block), sp.expand(x_mode), sp.expand(y_mode))


def bilinear_polynomials(method: Method, extras=()) -> BilinearPolynomials:
    """Derived per-singular-value and uncoupled-mode polynomials (two step sizes ``eta_x``, ``eta_y``).

    Examples
    --------
    >>> import gametheory as gt
    >>> bilinear_polynomials(gt.methods.get("gd", order="alternating")).x_mode
    mu - 1
    """
    return _bilinear_polynomials(method, tuple(sorted(extras)))


class CompiledPolynomial:
    """A polynomial in ``mu`` compiled to coefficient functions (NumPy and mpmath).

    ``args`` are its symbols, ``arg_names`` their grid names; ``mode_sym``
    (named ``mode_name``) is the one fixed per mode (``sigma`` or
    ``lambda``): each coefficient is precompiled as a polynomial in it, so
    per grid chunk the parameter-only parts are evaluated once and every
    mode then costs a few multiply-adds (:meth:`coeffs_at`).
    """

    def __init__(self, expr, args, arg_names, mode_sym, mode_name):
        poly = _poly_in_mu(expr)
        coeffs = poly.all_coeffs()
        coeffs = strip_zero_roots(coeffs, lambda c: sp.simplify(c) == 0)  # roots at 0 never set the radius
        self.degree = len(coeffs) - 1
        self.arg_names = arg_names
        self._mp = sp.lambdify(args, coeffs, modules="mpmath")
        other = [a for a in args if a != mode_sym]
        self.mode_name = mode_name
        self.other_names = [n for a, n in zip(args, arg_names) if a != mode_sym]
        self._terms = []
        for c in coeffs:
            P = sp.Poly(sp.expand(c), mode_sym)
            self._terms.append([(mon[0], sp.lambdify(other, co, modules="numpy")) for mon, co in P.terms()])

    def coeffs_at(self, vals, fixed, n, cache):
        """Coefficient arrays (length ``n``) for one mode, reusing ``cache`` within a chunk."""
        key = id(self)
        if key not in cache:
            args = [vals[a] for a in self.other_names]
            cache[key] = [[(pw, np.broadcast_to(np.asarray(fn(*args)), (n,))) for pw, fn in terms]
                          for terms in self._terms]
        value = fixed[self.mode_name]
        out = []
        for terms in cache[key]:
            acc = None
            for pw, arr in terms:
                term = arr if pw == 0 else arr * (value ** pw)
                acc = term if acc is None else acc + term
            out.append(np.zeros(n) if acc is None else acc)
        return out

    def radius_mp(self, *vals, dps=50):
        with mpmath.workdps(dps + 10):
            mvals = [mpmath.mpc(complex(v)) if np.iscomplexobj(v) else mpmath.mpf(float(v)) for v in vals]
            cs = [mpmath.mpmathify(c) for c in self._mp(*mvals)]
        with mpmath.workdps(dps):
            while len(cs) > 1 and cs[0] == 0:
                cs = cs[1:]
            if len(cs) == 1:
                return 0.0
            return float(max(abs(r) for r in mp_roots(cs, dps)))
