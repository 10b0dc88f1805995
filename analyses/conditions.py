"""Exact convergence regions of every method on bilinear games.

Everything here is *derived*: the per-singular-value characteristic polynomial
comes from :func:`gametheory.derive` (``reduced_charpoly``, in ``s = eta *
sigma``; for methods whose block does not depend on ``eta*sigma`` alone --
consensus, SGA -- the ``singular_value_charpoly`` at ``sigma = 1``, so again
``s = eta``), and the regions come from it by exact algebra:

* :func:`schur_cohn_conditions` -- the Schur-Cohn (equivalently, for real
  polynomials, Jury) test written as polynomial inequalities ``D_k > 0`` in
  the parameters: all roots lie strictly inside the unit circle iff every
  ``D_k > 0`` (Schur 1917, Cohn 1922; Jury, *Theory and Application of the
  z-Transform Method*, 1964, Sec. 3.3). The recursion is the one
  :func:`gametheory.exact.schur_stable` runs on numbers, run on symbols.
* :func:`boundary_polynomial` -- ``Res_mu(p, p*)`` with ``p*`` the reciprocal
  polynomial: it vanishes wherever a root crosses the unit circle, so on each
  connected piece of its complement the verdict is constant.
* :func:`decide_existence` -- "does the method converge / stay bounded for
  some step size (and momentum of a given sign)?" decided by a cylindrical
  decomposition of the parameter quadrant along the boundary curves: one
  exact rational sample per open cell (and every section over rational
  ``beta``), each decided by :func:`gametheory.stability` on the augmented
  Jacobian of ``min max x*y`` (which sees defective unit-circle roots, unlike
  the polynomial alone). Converging sets are open, so a "no" is a proof for
  ``converges``; for ``bounded`` the sections over irrational critical
  ``beta`` values are not sampled (documented in the result).

Examples
--------
>>> import gametheory as gt
>>> r = bilinear_region(gt.methods.get("gd", order="alternating"))
>>> r.polynomial
mu**2 + mu*s**2 - 2*mu + 1
>>> decide_existence(gt.methods.get("gd", order="alternating"))["bounded"]
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

import gametheory as gt
from gametheory.derive import MU, PARAM_SYMBOLS, S, SIGMA
from gametheory.validation import fail

ETA = PARAM_SYMBOLS["eta"]
#: the second parameter of each method that has one, and the signs it is examined with
EXTRA = {"momentum": (PARAM_SYMBOLS["beta"], ("<0", "=0", ">0")),
         "consensus": (PARAM_SYMBOLS["gamma"], (">0",)),
         "sga": (PARAM_SYMBOLS["lam"], (">0",))}

__all__ = ["schur_cohn_conditions", "boundary_polynomial", "BilinearRegion", "bilinear_region",
           "decide_existence", "stability_intervals", "verdict_at", "describe_intervals"]


def schur_cohn_conditions(poly, mu=MU) -> list:
    """Schur-Cohn conditions: all roots of ``poly`` strictly inside the unit circle iff each ``D_k > 0``.

    ``poly`` is a polynomial in ``mu`` with real (symbolic) coefficients
    ``c_n, ..., c_0``. Step: ``D = c_n^2 - c_0^2`` must be positive, and the
    next polynomial is ``(c_n p(mu) - c_0 p*(mu)) / mu`` (its leading
    coefficient is ``D``). Returns the ``D_k`` factored (Jury 1964, Sec. 3.3).

    Examples
    --------
    >>> schur_cohn_conditions(MU**2 + MU*S**2 - 2*MU + 1)   # alternating GD: D_1 = 0, never
    [0, 0]
    """
    p = sp.Poly(sp.expand(poly), mu)
    c = p.all_coeffs()
    while len(c) > 1 and sp.expand(c[-1]) == 0:
        c = c[:-1]  # roots at 0 are inside
    out = []
    while len(c) > 1:
        lead, const = c[0], c[-1]
        D = sp.expand(lead * lead - const * const)
        out.append(sp.factor(D))
        n = len(c) - 1
        q = [sp.expand(lead * c[i] - const * c[n - i]) for i in range(n + 1)]
        c = q[:-1]
    return out


def boundary_polynomial(poly, mu=MU) -> sp.Expr:
    """A polynomial in the parameters, zero wherever a root of ``p`` meets the unit circle.

    With ``g = gcd(p, p*)`` (``p*`` the reciprocal polynomial) and ``r = p / g``:
    ``Res_mu(r, r*)`` (a root of ``r`` on the circle is a root of ``r*``),
    times ``disc_mu(g) g(1) g(-1)`` for the self-reciprocal part ``g``, whose
    roots come in pairs ``(z, 1/z)`` and leave the circle only through a
    collision (a double root) or at ``+-1``; the discriminant is taken of the
    square-free part of ``g``, and a root fixed at ``+-1`` for every parameter
    value (``g(+-1)`` identically zero) never leaves the circle, so those
    factors are left out rather than zeroing the product. Returned factored;
    extra factors (reciprocal pairs off the circle) only add harmless cell
    boundaries.
    """
    p = sp.Poly(sp.expand(poly), mu)
    ps = sp.Poly(list(reversed(p.all_coeffs())), mu)
    g = sp.gcd(p, ps)
    out = sp.Integer(1)
    if g.degree() >= 1:
        r = sp.quo(p, g)
        gs = sp.Poly(g, mu).sqf_part()
        out *= sp.discriminant(gs.as_expr(), mu) if gs.degree() >= 2 else 1
        for end in (1, -1):
            val = sp.expand(g.as_expr().xreplace({mu: end}))
            out *= val if val != 0 else 1
    else:
        r = p
    if sp.Poly(r, mu).degree() >= 1:
        rr = sp.Poly(r, mu)
        rs = sp.Poly(list(reversed(rr.all_coeffs())), mu)
        out *= sp.resultant(rr.as_expr(), rs.as_expr(), mu)
    return sp.factor(out)


@dataclass
class BilinearRegion:
    """The exact per-singular-value data of one method on bilinear games.

    Attributes
    ----------
    method : Method
    polynomial : sympy.Expr
        Characteristic polynomial of one singular-value block, in ``mu``,
        ``s = eta*sigma`` and the method's other parameter.
    variables : tuple
        ``(s,)`` or ``(s, beta | gamma | lam)``.
    conditions : list
        Schur-Cohn ``D_k`` (converges iff all ``> 0``).
    boundary : sympy.Expr
        ``Res_mu(p, p*)``, factored.
    """

    method: object
    polynomial: sp.Expr
    variables: tuple
    conditions: list
    boundary: sp.Expr
    notes: list = field(default_factory=list)

    def inequalities(self) -> list:
        """The conditions as SymPy relations ``D_k > 0``."""
        return [sp.StrictGreaterThan(D, 0) for D in self.conditions]

    def converges_at(self, **values) -> bool:
        """Whether all Schur-Cohn conditions hold at a point (exact)."""
        sub = {sym: sp.nsimplify(values[str(sym)]) for sym in self.variables}
        return all(bool(D.xreplace(sub) > 0) for D in self.conditions)


@lru_cache(maxsize=None)
def _region(method) -> BilinearRegion:
    d = gt.derive(method, gt.games.bilinear([[1]]))
    notes = []
    if d.reduced_charpoly is not None:
        poly = d.reduced_charpoly
    else:
        poly = d.singular_value_charpoly.xreplace({SIGMA: 1, ETA: S})
        notes.append("block polynomial at sigma = 1 (it does not depend on eta*sigma alone), s = eta")
    num, _ = sp.fraction(sp.together(poly))
    poly = sp.expand(num)
    extra = EXTRA.get(method.name, (None, ()))[0]
    variables = (S,) + ((extra,) if extra is not None and extra in poly.free_symbols else ())
    return BilinearRegion(method, poly, variables, schur_cohn_conditions(poly), boundary_polynomial(poly), notes)


def bilinear_region(method) -> BilinearRegion:
    """Exact region data for ``method`` on bilinear games (see module docstring).

    Reference: the per-singular-value reduction of Gidel et al. (AISTATS 2019),
    Sec. 3, and Zhang & Yu (ICLR 2020), Sec. 2.
    """
    if not isinstance(method, gt.methods.Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
    return _region(method)


# ------------------------------------------------------------ exact verdicts
_UNIT = gt.games.bilinear([[1]])


@lru_cache(maxsize=None)
def verdict_at(method, s, extra=None) -> str:
    """Exact verdict of ``method`` on ``min max x*y`` at ``eta = s`` (and beta/gamma/lam = ``extra``).

    Cached: the existence decisions, the interval analyses and the tables ask
    for the same exact points.
    """
    params = {"eta": s}
    if method.name in EXTRA:
        name = str(EXTRA[method.name][0])
        params[name] = 0 if extra is None else extra
    return gt.stability(_UNIT, method, **params)


def _real_roots_between(polys, var, lo, hi) -> list:
    """Sorted distinct real roots of ``polys`` in the open interval ``(lo, hi)`` (``None`` = infinite)."""
    roots = set()
    for p in polys:
        p = sp.expand(p)
        if not p.has(var):
            continue
        P = sp.Poly(p, var)
        if P.degree() <= 0:
            continue
        for r in P.sqf_part().real_roots():
            if (lo is None or r > lo) and (hi is None or r < hi):
                roots.add(r)
    return sorted(roots, key=lambda r: sp.N(r, 30))


def _between(a, b):
    """The simplest rational strictly between ``a`` and ``b`` (``None`` = infinite)."""
    from fractions import Fraction

    if a is None and b is None:
        return sp.Integer(0)
    if a is None:
        return sp.floor(sp.N(b, 30)) - 1
    if b is None:
        return sp.floor(sp.N(a, 30)) + 1
    mid = Fraction(str(sp.N((a + b) / 2, 40)))
    den = 1
    while True:
        f = Fraction(mid).limit_denominator(den)
        q = sp.Rational(f.numerator, f.denominator)
        if q > a and q < b:
            return q
        den *= 2


def _cells(polys, var, lo, hi):
    """Open-cell samples and section points of the real line ``(lo, hi)`` cut by ``polys``."""
    roots = _real_roots_between(polys, var, lo, hi)
    ends = [lo] + roots + [hi]
    return [_between(a, b) for a, b in zip(ends[:-1], ends[1:])], roots


def _factors(expr):
    return [f for f, _ in sp.factor_list(expr)[1] if f.free_symbols]


def _sign_interval(sign):
    return {"<0": (None, sp.Integer(0)), ">0": (sp.Integer(0), None)}[sign]


@lru_cache(maxsize=None)
def decide_existence(method, beta_sign=None) -> dict:
    """Does ``method`` converge / stay bounded on bilinear games for some step size?

    Parameters
    ----------
    method : Method
    beta_sign : {"<0", "=0", ">0"} or None
        For momentum, the sign class of ``beta``; for consensus / SGA the sign
        of ``gamma`` / ``lam`` (``">0"``); None for methods without one.

    Returns
    -------
    dict
        ``converges``, ``bounded`` (booleans), ``witness_converges`` /
        ``witness_bounded`` (an exact sample point ``{"s": ..., "beta": ...}``
        or None), ``samples`` (number of exact decisions), ``complete`` (False
        when some boundary sections could not be sampled exactly).

    Notes
    -----
    Bilinear games with any nonzero ``A`` decouple into blocks ``sigma x y``;
    "for some step size" for ``min max x*y`` (``s = eta``) is the same
    question as for any single singular value, and for a whole spectrum when
    the answer is "no". Cylindrical decomposition: critical values of the
    second parameter are the real roots of the leading coefficients,
    discriminants (in ``s``), values at ``s = 0`` and pairwise resultants of
    the boundary factors (Collins 1975, projection).
    """
    reg = bilinear_region(method)
    facs = _factors(reg.boundary)
    complete = True
    if len(reg.variables) == 1 or beta_sign == "=0":
        sub = {} if len(reg.variables) == 1 else {reg.variables[1]: 0}
        pol = [f.xreplace(sub) for f in facs]
        opens, sections = _cells(pol, S, sp.Integer(0), None)
        w0 = None if len(reg.variables) == 1 else sp.Integer(0)
        points = [(s, w0) for s in opens + sections]
    else:
        w = reg.variables[1]
        lo, hi = _sign_interval(beta_sign)
        crit = []
        with_s = [f for f in facs if f.has(S)]
        for f in facs:
            if not f.has(S):
                crit.append(f)
                continue
            P = sp.Poly(f, S)
            crit.append(P.LC())
            crit.append(f.xreplace({S: 0}))
            if P.degree() >= 2:
                crit.append(sp.discriminant(f, S))
        for i, f in enumerate(with_s):
            for g in with_s[i + 1:]:
                crit.append(sp.resultant(f, g, S))
        crit = [sp.sympify(c) for c in crit]
        crit = [c for c in crit if c.has(w)]
        w_open, w_sections = _cells(crit, w, lo, hi)
        points = []
        for wv in w_open + w_sections:
            if not wv.is_Rational:
                complete = False  # a section over an irrational critical value: not sampled
                continue
            pol = [f.xreplace({w: wv}) for f in facs]
            opens, sections = _cells(pol, S, sp.Integer(0), None)
            points += [(s, wv) for s in opens + sections]
    converges = bounded = False
    wit_c = wit_b = None
    n = 0
    for s, wv in points:
        try:
            v = verdict_at(method, s, wv)
        except Exception:  # noqa: BLE001 - an algebraic point the exact field code cannot take
            complete = False
            continue
        n += 1
        point = {"s": s} if wv is None else {"s": s, str(reg.variables[1]): wv}
        if v == "converges" and not converges:
            converges, wit_c = True, point
        if v in ("converges", "bounded") and not bounded:
            bounded, wit_b = True, point
    return {"converges": converges, "bounded": bounded, "witness_converges": wit_c,
            "witness_bounded": wit_b, "samples": n, "complete": complete}


def stability_intervals(method, extra=None) -> dict:
    """For one-parameter cases: the exact sets of ``s > 0`` where the method converges / is bounded.

    Returns ``{"converges": [(a, b), ...], "bounded": [...], "points": [...]}``
    with open intervals between consecutive boundary roots (endpoints exact;
    ``None`` = infinity) and isolated boundary points where the verdict is
    ``bounded`` or ``converges``.
    """
    reg = bilinear_region(method)
    sub = {} if len(reg.variables) == 1 else {reg.variables[1]: 0 if extra is None else sp.nsimplify(extra)}
    pol = [f.xreplace(sub) for f in _factors(reg.boundary)]
    roots = _real_roots_between(pol, S, sp.Integer(0), None)
    ends = [sp.Integer(0)] + roots + [None]
    conv, bnd, pts = [], [], []
    for a, b in zip(ends[:-1], ends[1:]):
        v = verdict_at(method, _between(a, b), extra)
        if v == "converges":
            conv.append((a, b))
        if v in ("converges", "bounded"):
            bnd.append((a, b))
    for r in roots:
        try:
            v = verdict_at(method, r, extra)
        except Exception:  # noqa: BLE001
            continue
        if v in ("converges", "bounded"):
            pts.append((r, v))
    return {"converges": _merge(conv), "bounded": _merge(bnd + [(r, r) for r, _ in pts]), "points": pts}


def _merge(intervals):
    """Merge touching intervals (``(a, b)`` and ``(b, b)`` and ``(b, c)`` -> ``(a, c)``)."""
    out = []
    for a, b in sorted(intervals, key=lambda t: sp.N(t[0], 30)):
        if out and out[-1][1] is not None and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def describe_intervals(intervals, var="s") -> str:
    """``[(0, 2)]`` -> ``"0 < s < 2"``; empty -> ``"never"``."""
    if not intervals:
        return "never"
    parts = []
    for a, b in intervals:
        if b is None:
            parts.append(f"{var} > {a}")
        elif a == b:
            parts.append(f"{var} = {a}")
        else:
            parts.append(f"{a} < {var} < {b}")
    return " or ".join(parts)
