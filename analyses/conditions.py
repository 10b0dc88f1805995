"""Exact stability conditions: where the roots of a characteristic polynomial leave the unit circle.

One engine, in two layers.

**Polynomials** ``p(mu; s)`` with one free parameter ``s`` (the others
substituted):

* :func:`crossing_values` -- the values of ``s > 0`` where a root may cross
  the unit circle: the positive real zeros of :func:`boundary_polynomial`
  (``Res_mu(r, r*)`` with ``r*`` the reciprocal polynomial, and the
  collisions of a self-reciprocal factor) and of the leading coefficient;
* :func:`polynomial_intervals` -- the verdict on every open interval between
  consecutive crossing values (constant there) and at the crossing values
  themselves, each decided exactly at one point with
  :func:`gametheory.exact.locate`: on the method's augmented Jacobian when
  the caller gives it (so "bounded" versus "diverges" at a repeated root on
  the circle follows the matrix's own Jordan structure), else on the
  companion matrix (:func:`polynomial_verdict`);
* :func:`schur_cohn_conditions` -- the Schur-Cohn (for real polynomials,
  Jury) test as polynomial inequalities ``D_k > 0`` in all the parameters
  (Schur 1917, Cohn 1922; Jury, *Theory and Application of the z-Transform
  Method*, 1964, Sec. 3.3), the recursion of
  :func:`gametheory.exact.schur_cohn_reduction` run on symbols;
* :func:`sign_intervals` -- the sign of a rational function of ``s > 0``.

**Methods on bilinear games**, from the per-singular-value polynomial that
:func:`gametheory.derive` derives (``reduced_charpoly`` in ``s = eta
sigma``; for methods whose block does not depend on ``eta sigma`` alone --
consensus, SGA -- the block at ``sigma = 1``, so again ``s = eta``):
:func:`bilinear_region` (the polynomial, its conditions and boundary),
:func:`stability_intervals` (every ``s > 0`` for one value of the method's
second parameter), :func:`decide_existence` ("converges / stays bounded for
some step size?", by a cylindrical decomposition of the parameter
quadrant), :func:`bilinear_verdict` (one exact point). A method's second
parameter and the sign classes examined are read from its spec
(:class:`gametheory.methods.Param` ``signs``).

Parameters are always substituted *before* anything is factored: a factor of
the boundary that vanishes identically at a specialised value (``beta = -1``)
would otherwise be dropped with the crossings it carries.

Examples
--------
>>> import gametheory as gt
>>> p = MU**2 + 2*MU*S**2 - 2*MU + S**4 - S**2 + 1          # extragradient on sigma x y, s = eta sigma
>>> [(str(i["lo"]), str(i["hi"]), i["verdict"]) for i in polynomial_intervals(p, S) if "lo" in i]
[('0', '1', 'converges'), ('1', 'oo', 'diverges')]
>>> r = bilinear_region(gt.methods.get("gd", order="alternating"))
>>> r.polynomial
mu**2 + mu*s**2 - 2*mu + 1
>>> decide_existence(gt.methods.get("gd", order="alternating"))["bounded"]
True
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import sympy as sp

import gametheory as gt
from gametheory.derive import MU, PARAM_SYMBOLS, S, SIGMA
from gametheory.exact import companion, locate, schur_cohn_reduction, strip_zero_roots
from gametheory.validation import ParameterError, fail

ETA = PARAM_SYMBOLS["eta"]

__all__ = ["crossing_values", "polynomial_intervals", "polynomial_verdict", "describe_pieces", "jsonable_pieces",
           "schur_cohn_conditions", "boundary_polynomial", "sign_intervals", "BilinearRegion", "bilinear_region",
           "region_parameter", "bilinear_verdict", "stability_intervals", "decide_existence", "describe_intervals",
           "rational_between", "real_roots_between", "irreducible_factors", "numerator_in_mu", "merge_intervals"]


# ------------------------------------------------------------------ numbers
def rational_between(a, b):
    """The simplest rational strictly between ``a`` and ``b`` (``None`` = infinite)."""
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


def real_roots_between(polys, var, lo, hi) -> list:
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


def irreducible_factors(expr):
    """The non-constant irreducible factors of ``expr``."""
    return [f for f, _ in sp.factor_list(expr)[1] if f.free_symbols]


def numerator_in_mu(p, mu=MU) -> sp.Poly:
    """The numerator of ``p`` (a rational function) as a polynomial in ``mu``."""
    num, _ = sp.fraction(sp.together(sp.expand(p)))
    return sp.Poly(sp.expand(num), mu)


def _without_zero_roots(poly: sp.Poly, mu=MU) -> sp.Poly:
    """``poly`` with its ``mu^k`` factor divided out (roots at 0 never reach the unit circle)."""
    coeffs = strip_zero_roots(poly.all_coeffs(), lambda c: sp.expand(c) == 0)
    return sp.Poly(coeffs, mu) if len(coeffs) > 1 else sp.Poly(coeffs[0], mu)


# ------------------------------------------------------------- polynomials
def schur_cohn_conditions(poly, mu=MU) -> list:
    """Schur-Cohn conditions: all roots of ``poly`` strictly inside the unit circle iff each ``D_k > 0``.

    ``poly`` is a polynomial in ``mu`` with real (symbolic) coefficients.
    Returns the ``D_k`` factored (Jury 1964, Sec. 3.3).

    Examples
    --------
    >>> schur_cohn_conditions(MU**2 + MU*S**2 - 2*MU + 1)   # alternating GD: D_1 = 0, never
    [0, 0]
    """
    c = strip_zero_roots(sp.Poly(sp.expand(poly), mu).all_coeffs(), lambda e: sp.expand(e) == 0)
    return [sp.factor(D) for D, _ in schur_cohn_reduction(c, expand=sp.expand)]


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


def _positive_real_roots(expr, s):
    """The distinct positive real roots of a polynomial in ``s`` (None if it vanishes identically)."""
    expr = sp.expand(expr)
    if expr == 0:
        return None
    if s not in expr.free_symbols:
        return []
    P = sp.Poly(expr, s)
    out = set()
    for f, _ in P.factor_list()[1]:
        if f.degree() == 0:
            continue
        for r in sp.Poly(f.as_expr(), s).real_roots():
            if r.is_positive:
                out.add(r)
    return sorted(out, key=lambda r: float(r))


def crossing_values(p, s, mu=MU) -> list:
    """Positive values of ``s`` where a root of ``p(mu; s)`` may cross the unit circle.

    The positive real zeros of :func:`boundary_polynomial` and of the
    leading coefficient (a change of degree moves a root through infinity).
    ``p`` must depend on no other symbol than ``mu`` and ``s``.

    >>> crossing_values(MU**2 + MU*S**2 - 2*MU + 1, S)      # alternating GDA: roots collide at s = 2
    [2]
    """
    P = _without_zero_roots(numerator_in_mu(p, mu), mu)
    cands = _positive_real_roots(boundary_polynomial(P.as_expr(), mu), s) or []
    cands += _positive_real_roots(P.all_coeffs()[0], s) or []
    uniq = []
    for r in sorted(cands, key=lambda r: float(r)):
        if not uniq or sp.simplify(r - uniq[-1]) != 0:
            uniq.append(r)
    return uniq


def polynomial_verdict(p, mu=MU) -> str:
    """Exact unit-circle verdict of the roots of ``p(mu)`` (numbers only), on its companion matrix.

    A repeated root on the circle is reported as "diverges": the companion
    matrix is always defective there (use the method's own matrix, see
    :func:`polynomial_intervals`, when its Jordan structure matters).

    >>> polynomial_verdict((MU - 1) ** 2), polynomial_verdict(MU * (MU - sp.Rational(1, 2)))
    ('diverges', 'converges')
    """
    poly = _without_zero_roots(sp.Poly(sp.expand(p), mu), mu)
    if poly.degree() <= 0:
        return "converges"
    return locate(companion([sp.nsimplify(a) for a in poly.all_coeffs()], sp.zeros)).verdict


def polynomial_intervals(p, s, mu=MU, at_boundaries: bool = True, matrix=None) -> list:
    """Exact verdicts of ``p(mu; s)`` for all ``s > 0``, as pieces.

    Parameters
    ----------
    p : sympy.Expr
        Characteristic polynomial in ``mu`` with coefficients rational in ``s``
        (other parameters substituted).
    s : sympy.Symbol
    at_boundaries : bool
        Also decide the crossing values themselves (when algebraic).
    matrix : sympy.Matrix, optional
        The matrix whose characteristic polynomial ``p`` is (the method's
        augmented Jacobian, entries in ``s``). Verdicts are then decided on
        it with :func:`gametheory.exact.locate`; without it, on the companion
        matrix of ``p`` (:func:`polynomial_verdict`).

    Returns
    -------
    list of dict
        ``{"lo", "hi", "verdict", "sample"}`` for each open interval and
        ``{"at", "verdict"}`` for each crossing value (verdict None where the
        exact field code cannot take the algebraic number), in increasing order.
    """
    crit = crossing_values(p, s, mu)
    edges = [sp.Integer(0)] + crit + [sp.oo]
    num = numerator_in_mu(p, mu).as_expr()

    def verdict(value):
        if matrix is not None:
            return locate(matrix.subs(s, value)).verdict
        return polynomial_verdict(sp.expand(num.subs(s, value)), mu)

    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        q = rational_between(a, None if b is sp.oo else b)
        out.append({"lo": a, "hi": b, "sample": q, "verdict": verdict(q)})
        if at_boundaries and b is not sp.oo:
            v = None
            if not b.has(sp.CRootOf):
                try:
                    v = verdict(b)
                except ParameterError:  # an algebraic number the exact field code cannot take
                    v = None
            out.append({"at": b, "verdict": v})
    return out


def describe_pieces(pieces) -> str:
    """``"converges for 0 < s < 1; bounded at s = 1; diverges for 1 < s < inf"`` for :func:`polynomial_intervals`."""
    parts = []
    for item in pieces:
        if "at" in item:
            parts.append(f"{item['verdict'] or 'undecided'} at s = {item['at']}")
        else:
            hi = "inf" if item["hi"] is sp.oo else str(item["hi"])
            parts.append(f"{item['verdict']} for {item['lo']} < s < {hi}")
    return "; ".join(parts)


def jsonable_pieces(pieces) -> list:
    """Pieces with exact numbers as ``{"exact": str, "float": float}`` (``oo`` as ``"oo"``)."""
    out = []
    for item in pieces:
        d = {}
        for k, v in item.items():
            if isinstance(v, sp.Basic):
                d[k] = str(v) if v is sp.oo else {"exact": str(v), "float": float(v)}
            else:
                d[k] = v
        out.append(d)
    return out


def sign_intervals(expr, s) -> list:
    """Sign of a rational function of ``s`` on ``s > 0``, as ``[(lo, hi, sign)]`` intervals.

    >>> sign_intervals(S**4 - S**2, S)
    [(0, 1, -1), (1, oo, 1)]
    """
    num, den = sp.fraction(sp.together(sp.expand(expr)))
    crit = sorted(set((_positive_real_roots(num, s) or []) + (_positive_real_roots(den, s) or [])),
                  key=lambda r: float(r))
    edges = [sp.Integer(0)] + crit + [sp.oo]
    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        q = rational_between(a, None if b is sp.oo else b)
        val = sp.nsimplify(expr.subs(s, q))
        out.append((a, b, int(sp.sign(val))))
    return out


# ------------------------------------------------------ methods on bilinear games
def region_parameter(method):
    """The method's second parameter examined by the exact analyses: ``(Param, symbol)`` or ``(None, None)``.

    The first continuous parameter whose spec lists sign classes (``beta``,
    ``gamma``, ``lam``).
    """
    for q in method.spec.params:
        if q.signs:
            return q, PARAM_SYMBOLS[q.name]
    return None, None


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
        ``(s,)`` or ``(s, beta | gamma | lam)``; for a method with parameters
        bound to symbols (``get("ogd", alpha=a, alpha_prev=b)``,
        ``get("momentum", beta_x=bx, beta_y=by)``) those symbols follow.
    conditions : list
        Schur-Cohn ``D_k`` (converges iff all ``> 0``).
    boundary : sympy.Expr
        ``Res_mu(p, p*)``, factored.
    matrix : sympy.Matrix
        The augmented Jacobian on ``min max x*y`` in the same variables (its
        characteristic polynomial is ``polynomial``, up to roots at 0).
    """

    method: object
    polynomial: sp.Expr
    variables: tuple
    conditions: list
    boundary: sp.Expr
    matrix: sp.Matrix = None
    notes: list = field(default_factory=list)

    def inequalities(self) -> list:
        """The conditions as SymPy relations ``D_k > 0``."""
        return [sp.StrictGreaterThan(D, 0) for D in self.conditions]

    def converges_at(self, **values) -> bool:
        """Whether all Schur-Cohn conditions hold at a point (exact)."""
        sub = {sym: sp.nsimplify(values[str(sym)]) for sym in self.variables}
        return all(bool(D.xreplace(sub) > 0) for D in self.conditions)

    def specialise(self, value):
        """``(polynomial, matrix)`` in ``s`` alone, the second parameter set to ``value`` *before* anything
        is factored."""
        if len(self.variables) == 1:
            return self.polynomial, self.matrix
        sub = {self.variables[1]: sp.nsimplify(0 if value is None else value)}
        return sp.expand(self.polynomial.xreplace(sub)), self.matrix.xreplace(sub)


@lru_cache(maxsize=None)
def _region(method) -> BilinearRegion:
    d = gt.derive(gt.games.bilinear([[1]]), method)
    notes = []
    if d.reduced_charpoly is not None:
        poly = d.reduced_charpoly
    else:
        poly = d.singular_value_charpoly.xreplace({SIGMA: 1, ETA: S})
        notes.append("block polynomial at sigma = 1 (it does not depend on eta*sigma alone), s = eta")
    num, _ = sp.fraction(sp.together(poly))
    poly = sp.expand(num)
    _, extra = region_parameter(method)
    # s first, then the method's signed parameter, then any parameter bound as a symbol (e.g. alpha, beta_x)
    free = poly.free_symbols - {MU}
    variables = tuple(v for v in (S, extra) if v is not None and v in free)
    variables += tuple(sorted(free - set(variables), key=str))
    matrix = d.jacobian.xreplace({ETA: S})  # sigma = 1: eta = s
    return BilinearRegion(method, poly, variables, schur_cohn_conditions(poly), boundary_polynomial(poly),
                          matrix, notes)


def bilinear_region(method) -> BilinearRegion:
    """Exact region data for ``method`` on bilinear games (see module docstring).

    Parameters bound to the method (``gametheory.methods.get(name, **bound)``)
    are substituted, numbers or symbols alike: a symbol stays a variable of
    the conditions (Zhang & Yu's OGD with free coefficients ``alpha``,
    ``alpha_prev``; momentum with per-player ``beta_x``, ``beta_y``).
    :func:`stability_intervals` and :func:`decide_existence` need the
    variables ``(s,)`` or ``(s, second parameter)``.

    Reference: the per-singular-value reduction of Gidel et al. (AISTATS 2019),
    Sec. 3, and Zhang & Yu (ICLR 2020), Sec. 2.
    """
    if not isinstance(method, gt.methods.Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
    return _region(method)


_UNIT = gt.games.bilinear([[1]])


@lru_cache(maxsize=None)
def bilinear_verdict(method, s, extra=None) -> str:
    """Exact verdict of ``method`` on ``min max x*y`` at ``eta = s`` (and beta / gamma / lam = ``extra``).

    Cached: the existence decisions, the interval analyses and the tables ask
    for the same exact points.
    """
    params = {"eta": s}
    q, _ = region_parameter(method)
    if q is not None:
        params[q.name] = 0 if extra is None else extra
    return gt.stability(_UNIT, method, **params)


def stability_intervals(method, extra=None) -> dict:
    """The exact sets of ``s = eta sigma > 0`` where a method converges / stays bounded on bilinear games.

    ``extra`` is the value of the method's second parameter (``beta`` for
    momentum, ``gamma``, ``lam``; default 0), substituted before the
    boundary is computed.

    Returns
    -------
    dict
        ``"converges"`` and ``"bounded"``: lists of intervals ``(a, b)``
        (open, endpoints exact, ``None`` = infinity; ``(a, a)`` an isolated
        point); ``"points"``: ``(s, verdict)`` at the crossing values where
        the method converges or is bounded; ``"undecided"``: crossing values
        the exact field code could not take; ``"pieces"``: every interval
        and crossing value with its verdict (:func:`polynomial_intervals`,
        decided on the augmented Jacobian).

    >>> import gametheory as gt
    >>> stability_intervals(gt.methods.get("momentum"), -1)["bounded"]      # leapfrog: beta = -1
    [(0, 2)]
    """
    poly, matrix = bilinear_region(method).specialise(extra)
    pieces = polynomial_intervals(poly, S, matrix=matrix)
    conv, bnd, pts, undecided = [], [], [], []
    for piece in pieces:
        v = piece["verdict"]
        if "at" in piece:
            if v is None:
                undecided.append(piece["at"])
            elif v in ("converges", "bounded"):
                pts.append((piece["at"], v))
            continue
        a, b = piece["lo"], None if piece["hi"] is sp.oo else piece["hi"]
        if v == "converges":
            conv.append((a, b))
        if v in ("converges", "bounded"):
            bnd.append((a, b))
    conv += [(r, r) for r, v in pts if v == "converges"]
    return {"converges": merge_intervals(conv), "bounded": merge_intervals(bnd + [(r, r) for r, _ in pts]),
            "points": pts, "undecided": undecided, "pieces": pieces}


def merge_intervals(intervals):
    """Merge touching intervals (``(a, b)`` and ``(b, b)`` and ``(b, c)`` -> ``(a, c)``)."""
    out = []
    for a, b in sorted(intervals, key=lambda t: (sp.N(t[0], 30), sp.oo if t[1] is None else sp.N(t[1], 30))):
        if out and out[-1][1] is not None and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def describe_intervals(intervals, var="s") -> str:
    """``[(0, 2)]`` -> ``"0 < s < 2"``; empty -> ``"never"`` (the sets of :func:`stability_intervals`)."""
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


def _cells(polys, var, lo, hi):
    """Open-cell samples and section points of the real line ``(lo, hi)`` cut by ``polys``."""
    roots = real_roots_between(polys, var, lo, hi)
    ends = [lo] + roots + [hi]
    return [rational_between(a, b) for a, b in zip(ends[:-1], ends[1:])], roots


def _sign_interval(sign):
    return {"<0": (None, sp.Integer(0)), ">0": (sp.Integer(0), None)}[sign]


def _s_cells(reg, value):
    """Sample points in ``s > 0`` for the second parameter at ``value``: the boundary recomputed there."""
    poly, _ = reg.specialise(value)
    opens, sections = _cells(irreducible_factors(boundary_polynomial(poly)), S, sp.Integer(0), None)
    return opens + sections


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
        or None), ``samples`` (number of exact decisions), ``complete``
        (False when some cells could not be decided), ``undecided`` (those
        cells, each with the reason): a "no" with ``complete=False`` is
        *undecided*, not a proof.

    Notes
    -----
    Bilinear games with any nonzero ``A`` decouple into blocks ``sigma x y``;
    "for some step size" for ``min max x*y`` (``s = eta``) is the same
    question as for any single singular value, and for a whole spectrum when
    the answer is "no". Cylindrical decomposition: critical values of the
    second parameter are the real roots of the leading coefficients,
    discriminants (in ``s``), values at ``s = 0`` and pairwise resultants of
    the boundary factors (Collins 1975, projection); over each section value
    the boundary is recomputed from the specialised polynomial.
    """
    reg = bilinear_region(method)
    undecided = []
    if len(reg.variables) == 1 or beta_sign == "=0":
        w0 = None if len(reg.variables) == 1 else sp.Integer(0)
        points = [(s, w0) for s in _s_cells(reg, w0)]
    else:
        w = reg.variables[1]
        facs = irreducible_factors(reg.boundary)
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
        crit = [c for c in (sp.sympify(c) for c in crit) if c.has(w)]
        w_open, w_sections = _cells(crit, w, lo, hi)
        points = []
        for wv in w_open + w_sections:
            if not wv.is_Rational:
                undecided.append({str(w): str(wv), "reason": "a section over an irrational critical value of "
                                  f"{w} is not sampled (only its open neighbours are)"})
                continue
            points += [(s, wv) for s in _s_cells(reg, wv)]
    converges = bounded = False
    wit_c = wit_b = None
    n = 0
    for s, wv in points:
        point = {"s": s} if wv is None else {"s": s, str(reg.variables[1]): wv}
        try:
            v = bilinear_verdict(method, s, wv)
        except ParameterError as exc:  # an algebraic point the exact field code cannot take
            undecided.append({**{k: str(val) for k, val in point.items()}, "reason": str(exc)})
            continue
        n += 1
        if v == "converges" and not converges:
            converges, wit_c = True, point
        if v in ("converges", "bounded") and not bounded:
            bounded, wit_b = True, point
    return {"converges": converges, "bounded": bounded, "witness_converges": wit_c,
            "witness_bounded": wit_b, "samples": n, "complete": not undecided, "undecided": undecided}


# ------------------------------------------------------- deprecated names
def verdict_of_poly(p, mu=MU) -> str:
    """Deprecated name of :func:`polynomial_verdict`."""
    warnings.warn("verdict_of_poly is now polynomial_verdict", DeprecationWarning, stacklevel=2)
    return polynomial_verdict(p, mu)


def verdict_at(method, s, extra=None) -> str:
    """Deprecated name of :func:`bilinear_verdict`."""
    warnings.warn("verdict_at is now bilinear_verdict", DeprecationWarning, stacklevel=2)
    return bilinear_verdict(method, s, extra)
