"""Exact helpers shared by the paper checks.

:func:`stability_intervals` decides, for every ``s > 0`` at once, whether the
roots of a characteristic polynomial ``p(mu; s)`` lie inside the unit circle.
The verdict can only change where a root crosses the circle; a root on the
circle is also a root of the reciprocal polynomial, so the crossing values of
``s`` are among the positive real roots of ``Res_mu(p, p*)`` (for a common
factor of ``p`` and ``p*`` that holds for every ``s``: the values where its
roots collide, ``disc_mu``). Between consecutive crossing values the verdict is
constant; it is decided exactly at one rational point per interval with
:func:`gametheory.exact.locate` (on the method's augmented Jacobian when the
caller gives it, else on the companion matrix of ``p``), and at the crossing
values themselves where they are algebraic.

Examples
--------
>>> import sympy as sp
>>> from gametheory.derive import MU, S
>>> p = MU**2 + 2*MU*S**2 - 2*MU + S**4 - S**2 + 1          # extragradient on sigma x y, s = eta sigma
>>> [(str(i["lo"]), str(i["hi"]), i["verdict"]) for i in stability_intervals(p, S) if "lo" in i]
[('0', '1', 'converges'), ('1', 'oo', 'diverges')]
"""
from __future__ import annotations

import sympy as sp

from gametheory.derive import MU
from gametheory.exact import locate

from gametheory.analyses.conditions import _between, boundary_polynomial


def companion(poly: sp.Poly) -> sp.Matrix:
    """Companion matrix of a polynomial in ``mu`` (made monic)."""
    c = [sp.nsimplify(a) for a in poly.all_coeffs()]
    lead = c[0]
    c = [a / lead for a in c]
    n = len(c) - 1
    M = sp.zeros(n, n)
    for j in range(n):
        M[0, j] = -c[j + 1]
    for i in range(1, n):
        M[i, i - 1] = 1
    return M


def verdict_of_poly(p, mu=MU) -> str:
    """Exact unit-circle verdict of the roots of ``p(mu)`` (numbers only).

    "bounded" assumes the unit-circle roots are semisimple when they are
    simple roots of ``p``; a repeated root on the circle is reported as
    "diverges" only if the companion matrix is defective (it always is for a
    repeated root, so this matches the matrix verdict of a companion form).
    """
    poly = _without_zero_roots(sp.Poly(sp.expand(p), mu), mu)
    if poly.degree() <= 0:
        return "converges"
    return locate(companion(poly)).verdict


def _without_zero_roots(poly, mu):
    """``poly`` with its ``mu^k`` factor divided out (roots at 0 never reach the unit circle)."""
    while poly.degree() > 0 and sp.expand(poly.as_expr().subs(mu, 0)) == 0:
        poly = sp.Poly(sp.cancel(poly.as_expr() / mu), mu)
    return poly


def _numerator_in(p, mu):
    num, _ = sp.fraction(sp.together(sp.expand(p)))
    return sp.Poly(sp.expand(num), mu)


def _positive_real_roots(expr, s):
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

    The positive real zeros of :func:`gametheory.analyses.conditions.boundary_polynomial`
    and of the leading coefficient (a change of degree moves a root through
    infinity).
    """
    P = _without_zero_roots(_numerator_in(p, mu), mu)
    cands = _positive_real_roots(boundary_polynomial(P.as_expr(), mu), s) or []
    cands += _positive_real_roots(P.all_coeffs()[0], s) or []
    uniq = []
    for r in sorted(cands, key=lambda r: float(r)):
        if not uniq or sp.simplify(r - uniq[-1]) != 0:
            uniq.append(r)
    return uniq


def stability_intervals(p, s, mu=MU, at_boundaries: bool = True, matrix=None) -> list:
    """Exact verdicts of ``p(mu; s)`` for all ``s > 0``, as intervals.

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
        it with :func:`gametheory.exact.locate`, so "bounded" versus
        "diverges" at a repeated root on the circle follows the matrix's own
        Jordan structure; without it, on the companion matrix of ``p``
        (:func:`verdict_of_poly`), where a repeated root is always defective.

    Returns
    -------
    list of dict
        ``{"lo", "hi", "verdict", "sample"}`` for each open interval and
        ``{"at", "verdict"}`` for each crossing value, in increasing order.
    """
    crit = crossing_values(p, s, mu)
    edges = [sp.Integer(0)] + crit + [sp.oo]
    num = _numerator_in(p, mu).as_expr()

    def verdict(value):
        if matrix is not None:
            return locate(matrix.subs(s, value)).verdict
        return verdict_of_poly(sp.expand(num.subs(s, value)), mu)

    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        q = _between(a, None if b is sp.oo else b)
        out.append({"lo": a, "hi": b, "sample": q, "verdict": verdict(q)})
        if at_boundaries and b is not sp.oo:
            try:
                v = verdict(b) if not b.has(sp.CRootOf) else None
            except Exception:  # pragma: no cover - exotic algebraic numbers
                v = None
            out.append({"at": b, "verdict": v})
    return out


def describe_intervals(iv) -> str:
    """``"converges for 0 < s < 1; diverges for s >= 1"`` style text."""
    parts = []
    for item in iv:
        if "at" in item:
            parts.append(f"{item['verdict'] or '?'} at s = {item['at']}")
        else:
            hi = "inf" if item["hi"] is sp.oo else str(item["hi"])
            parts.append(f"{item['verdict']} for {item['lo']} < s < {hi}")
    return "; ".join(parts)


def jsonable_intervals(iv) -> list:
    out = []
    for item in iv:
        d = {}
        for k, v in item.items():
            if isinstance(v, sp.Basic):
                d[k] = str(v) if v is sp.oo else {"exact": str(v), "float": float(v)}
            else:
                d[k] = v
        out.append(d)
    return out


def sign_on_positive(expr, s) -> list:
    """Sign of a rational function of ``s`` on ``s > 0``, as ``[(lo, hi, sign)]`` intervals."""
    num, den = sp.fraction(sp.together(sp.expand(expr)))
    crit = sorted(set((_positive_real_roots(num, s) or []) + (_positive_real_roots(den, s) or [])),
                  key=lambda r: float(r))
    edges = [sp.Integer(0)] + crit + [sp.oo]
    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        q = _between(a, None if b is sp.oo else b)
        val = sp.nsimplify(expr.subs(s, q))
        out.append((a, b, int(sp.sign(val))))
    return out


def radius_50_digits(game, method, **params):
    """Spectral radius from the exact characteristic polynomial, rooted at 50 digits (mpmath).

    Comparisons of radii that differ in the third decimal are decided far
    beyond rounding; the exact closed form (:func:`gametheory.spectral_radius`)
    can be slow when it involves ``CRootOf``.
    """
    import gametheory as gt
    from gametheory.exact import charpoly, radius_mp

    return radius_mp(charpoly(gt.augmented_jacobian(game, method, **params)))
