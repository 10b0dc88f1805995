"""Exact location of eigenvalues relative to the unit circle.

Given an exact matrix ``M`` (rational or real-algebraic entries), decide
without any tolerance whether its spectral radius is below, at or above 1,
and at 1 whether every unit-modulus eigenvalue is semisimple.

Algorithm (all in exact arithmetic over the field of the entries):

1. ``p`` = characteristic polynomial. Remove the factors ``(mu-1)^a`` and
   ``(mu+1)^b``; call the rest ``r``.
2. A root of a real polynomial on the unit circle is also a root of the
   reciprocal polynomial ``r*(mu) = mu^deg r(1/mu)``, so the unit-circle roots
   of ``r`` are among those of ``g = gcd(r, r*)``. ``g`` is self-reciprocal,
   ``g(mu) = mu^m h(mu + 1/mu)``, and its roots lie on the circle exactly
   when ``h`` has all its roots real in ``(-2, 2)`` (counted with Sturm
   sequences). Otherwise ``g`` has a pair ``(z, 1/z)`` off the circle, one of
   them outside: the radius exceeds 1.
3. ``w = r / g`` has no root on the circle; the Schur-Cohn recursion decides
   exactly whether all its roots are strictly inside.
4. At radius 1 the unit-circle eigenvalues are semisimple iff
   ``rank u(M) = N - deg U`` where ``U`` collects the unit-circle factors of
   ``p`` and ``u`` is its square-free part.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.polys.constructor import construct_domain
from sympy.polys.matrices import DomainMatrix

from .validation import ParameterError

MU = sp.Symbol("mu")


@dataclass
class UnitCircleReport:
    """Where the eigenvalues of a matrix lie, decided exactly.

    Attributes
    ----------
    verdict : str
        ``"converges"`` (all strictly inside), ``"bounded"`` (radius exactly 1,
        unit-modulus eigenvalues semisimple) or ``"diverges"``.
    outside : bool
        Some eigenvalue has modulus > 1.
    on_circle : int
        Number of unit-modulus eigenvalues, with multiplicity.
    defective : bool
        Some unit-modulus eigenvalue is defective (Jordan block > 1).
    charpoly : sympy.Poly
    """

    verdict: str
    outside: bool
    on_circle: int
    defective: bool
    charpoly: sp.Poly


def domain_matrix(M: sp.Matrix) -> DomainMatrix:
    """``M`` as a DomainMatrix over QQ or a real algebraic extension of QQ."""
    n, m = M.shape
    try:
        K, elems = construct_domain([sp.nsimplify(e) if isinstance(e, sp.Float) else e for e in M],
                                    extension=True)
    except (sp.polys.polyerrors.PolificationFailed, NotImplementedError) as exc:  # pragma: no cover
        raise ParameterError(f"exact analysis needs algebraic numbers: {exc}") from None
    if K.is_EX or K.is_EXRAW or not (K.is_QQ or K.is_ZZ or K.is_AlgebraicField):
        bad = [e for e in M if not e.is_algebraic]
        raise ParameterError(
            "exact analysis needs rational or algebraic parameters and equilibria; "
            f"found {bad[:3] or list(M)[:3]}. Pass exact values (e.g. sympy.Rational) or use floats "
            "for a numeric answer")
    if K.is_ZZ:
        K = sp.QQ
        elems = [K.convert(e) for e in elems]
    return DomainMatrix([elems[i * m:(i + 1) * m] for i in range(n)], (n, m), K)


def charpoly(M: sp.Matrix) -> sp.Poly:
    """The exact characteristic polynomial ``det(mu I - M)`` as a Poly over its field."""
    dm = domain_matrix(M)
    return sp.Poly(dm.charpoly(), MU, domain=dm.domain)


def _sign(K, a) -> int:
    """Exact sign of a real algebraic domain element."""
    if not a:
        return 0
    e = K.to_sympy(a)
    if e.is_positive:
        return 1
    if e.is_negative:
        return -1
    val = sp.N(e, 60)  # nonzero algebraic number: enough digits decide its sign
    return 1 if val > 0 else -1


def schur_cohn_reduction(coeffs, expand=lambda e: e):
    """The Schur-Cohn recursion on ``c_n, ..., c_0`` (highest first): yields ``(D, next_coeffs)``.

    Step: ``D = c_n^2 - c_0^2`` and the next polynomial is
    ``(c_n p(mu) - c_0 p*(mu)) / mu`` (``p*`` the reciprocal polynomial; its
    leading coefficient is ``D``). Every root lies strictly inside the unit
    circle iff every ``D > 0`` (Schur 1917, Cohn 1922; Jury 1964, Sec. 3.3).
    The same recursion serves numbers (:func:`schur_stable`, domain elements
    of the polynomial's field) and symbols
    (:func:`gametheory.analyses.conditions.schur_cohn_conditions`, with
    ``expand=sympy.expand``).

    >>> [D for D, _ in schur_cohn_reduction([1, 0, sp.Rational(-1, 4)])]
    [15/16, 225/256]
    """
    c = list(coeffs)
    while len(c) > 1:
        lead, const = c[0], c[-1]
        n = len(c) - 1
        q = [expand(lead * c[i] - const * c[n - i]) for i in range(n + 1)]
        c = q[:-1]  # the constant term is zero: divide by mu
        yield q[0], c


def schur_stable(poly: sp.Poly) -> bool:
    """True iff every root of ``poly`` lies strictly inside the unit circle (Schur-Cohn, exactly)."""
    K = poly.domain
    for D, _ in schur_cohn_reduction(poly.rep.to_list()):
        if _sign(K, D) <= 0:
            return False
    return True


def strip_zero_roots(coeffs, is_zero=lambda c: c == 0) -> list:
    """``c_n, ..., c_0`` with the trailing zero coefficients dropped (the roots at 0, which never set a radius).

    >>> strip_zero_roots([1, -2, 0, 0])
    [1, -2]
    """
    c = list(coeffs)
    while len(c) > 1 and is_zero(c[-1]):
        c = c[:-1]
    return c


def companion(coeffs, zeros):
    """The companion matrix of ``c_n mu^n + ... + c_0`` in any arithmetic.

    ``zeros(n)`` makes an ``n x n`` zero matrix indexed ``M[i, j]``
    (``sympy.zeros``, ``mpmath.matrix``, or a NumPy array of shape
    ``(n, n) + batch`` for a batch of polynomials with array coefficients):
    first row ``-c_{n-1-j} / c_n``, ones below the diagonal, so its
    eigenvalues are the roots. The coefficients are numbers of that
    arithmetic (SymPy numbers for ``sympy.zeros``: Python ints would divide as floats).

    >>> companion([sp.Integer(1), -3, 2], sp.zeros)
    Matrix([
    [3, -2],
    [1,  0]])
    """
    lead = coeffs[0]
    n = len(coeffs) - 1
    M = zeros(n)
    for j in range(n):
        M[0, j] = -coeffs[j + 1] / lead
        if j + 1 < n:
            M[j + 1, j] = 1
    return M


def _remove_root(poly: sp.Poly, root: int) -> tuple:
    k = 0
    lin = sp.Poly(MU - root, MU, domain=poly.domain)
    while poly.degree() > 0 and not poly.eval(root):
        poly = poly.exquo(lin)
        k += 1
    return poly, k


def _reciprocal(poly: sp.Poly) -> sp.Poly:
    return sp.Poly(list(reversed(poly.all_coeffs())), MU, domain=poly.domain)


def _trace_form(g: sp.Poly) -> sp.Poly:
    """``h`` with ``g(mu) = mu^m h(mu + 1/mu)`` for self-reciprocal ``g`` of degree ``2m``."""
    c = g.rep.to_list()[::-1]  # c[i] = coefficient of mu^i (domain elements)
    m = (len(c) - 1) // 2
    t = sp.Symbol("t")
    P = [sp.Integer(2), t]  # mu^k + mu^-k as a polynomial in t = mu + 1/mu
    for k in range(2, m + 1):
        P.append(sp.expand(t * P[-1] - P[-2]))
    K = g.domain
    h = K.to_sympy(c[m]) + sum(K.to_sympy(c[m + k]) * P[k] for k in range(1, m + 1))
    return sp.Poly(h, t, domain=K)


def _roots_on_circle(g: sp.Poly) -> int:
    """How many roots (with multiplicity) of self-reciprocal ``g`` lie on the unit circle."""
    if g.degree() <= 0:
        return 0
    h = _trace_form(g)
    count = 0
    for factor, mult in h.sqf_list()[1]:
        count += 2 * mult * factor.count_roots(-2, 2)
    return count


def _poly_at_matrix(coeffs, dm: DomainMatrix) -> DomainMatrix:
    n = dm.shape[0]
    eye = DomainMatrix.eye(n, dm.domain)
    R = DomainMatrix.zeros((n, n), dm.domain)
    for a in coeffs:
        R = R * dm + eye * a
    return R


def locate(M: sp.Matrix) -> UnitCircleReport:
    """Decide exactly where the eigenvalues of ``M`` lie relative to the unit circle."""
    dm = domain_matrix(M)
    K = dm.domain
    p = sp.Poly(dm.charpoly(), MU, domain=K)
    N = p.degree()
    r, a = _remove_root(p, 1)
    r, b = _remove_root(r, -1)
    g = sp.gcd(r, _reciprocal(r)) if r.degree() > 0 else sp.Poly(1, MU, domain=K)
    g = g.monic() if g.degree() > 0 else sp.Poly(1, MU, domain=K)
    on_g = _roots_on_circle(g)
    if on_g < g.degree():
        return UnitCircleReport("diverges", True, a + b + on_g, False, p)
    w = r.exquo(g) if g.degree() > 0 else r
    if not schur_stable(w):
        return UnitCircleReport("diverges", True, a + b + on_g, False, p)
    on = a + b + g.degree()
    if on == 0:
        return UnitCircleReport("converges", False, 0, False, p)
    # semisimplicity of the unit-circle eigenvalues
    u_sqf = sp.Poly(1, MU, domain=K)
    if a:
        u_sqf *= sp.Poly(MU - 1, MU, domain=K)
    if b:
        u_sqf *= sp.Poly(MU + 1, MU, domain=K)
    if g.degree() > 0:
        u_sqf *= g.sqf_part()
    rank = _poly_at_matrix(u_sqf.rep.to_list(), dm).rank()
    defective = rank != N - on
    return UnitCircleReport("diverges" if defective else "bounded", False, on, defective, p)


# ------------------------------------------------------------------ radius
def radius_mp(poly: sp.Poly, dps: int = 50) -> mpmath.mpf:
    """Spectral radius from an exact polynomial, with ``dps`` digits of working precision.

    The polynomial is first split exactly into square-free factors, whose
    roots are simple and hence well conditioned: repeated and defective
    eigenvalues come out to full precision.
    """
    best = mpmath.mpf(0)
    with mpmath.workdps(dps):
        for factor, _ in poly.sqf_list()[1]:
            if factor.degree() < 1:
                continue
            coeffs = [mpmath.mpf(str(sp.N(c, dps + 10))) for c in factor.all_coeffs()]
            best = max([best] + [abs(r) for r in mp_roots(coeffs, dps)])
    return best


def mp_roots(coeffs, dps: int = 50) -> list:
    """Roots of ``coeffs[0] mu^d + ... + coeffs[d]`` (mpmath numbers, leading one nonzero) at ``dps`` digits.

    ``mpmath.polyroots`` first; if it does not converge (a multiple root), the
    eigenvalues of the companion matrix.
    """
    if len(coeffs) == 2:
        return [-coeffs[1] / coeffs[0]]
    try:
        return list(mpmath.polyroots(coeffs, maxsteps=400, extraprec=4 * dps))
    except mpmath.libmp.NoConvergence:
        M = companion(coeffs, lambda n: mpmath.matrix(n, n))
        return list(mpmath.eig(M, left=False, right=False))


def _modulus_exact(factor: sp.Poly, target: mpmath.mpf) -> sp.Expr:
    """The exact largest root modulus of an irreducible ``factor`` (degree >= 3).

    ``|z|^2`` for the root of largest modulus is the largest real root of
    ``R(w) = Res_mu(p(mu), mu^n p(w/mu))``, whose roots are all products
    ``z_i z_j`` of roots of ``p``; it is picked out among the real roots of
    ``R`` (isolated exactly) by the high-precision value ``target``.
    """
    w = sp.Symbol("w")
    P = factor.as_expr()
    n = factor.degree()
    Q = sp.expand(MU**n * P.xreplace({MU: w / MU}))
    R = sp.Poly(sp.resultant(P, Q, MU), w)
    best, gap = None, None
    with mpmath.workdps(50):
        for root in sp.real_roots(R):
            d = abs(mpmath.mpf(str(sp.N(root, 50))) - target**2)
            if gap is None or d < gap:
                best, gap = root, d
    return sp.sqrt(best)


def radius_exact(poly: sp.Poly, report: UnitCircleReport | None = None) -> sp.Expr:
    """The spectral radius as a SymPy number.

    Exact (radicals or ``sqrt(CRootOf(...))``) when the largest-modulus
    eigenvalue is a root of an irreducible factor of degree <= 4 of the
    characteristic polynomial, and exactly 1 on the unit circle; for larger
    irreducible factors a 50-digit ``Float`` of the exact polynomial's root
    (the verdicts of :func:`locate` stay exact in every case).
    """
    if report is not None and report.on_circle and not report.outside:
        return sp.Integer(1)
    best, best_val = sp.Integer(0), mpmath.mpf(0)
    for factor, _ in poly.factor_list()[1]:
        deg = factor.degree()
        if deg < 1:
            continue
        target = radius_mp(factor)
        if target <= best_val:
            continue
        c = factor.all_coeffs()
        if deg == 1:
            cand = sp.Abs(-c[1] / c[0])
        elif deg == 2:
            A, B, C = c
            disc = B * B - 4 * A * C
            if disc.is_negative:  # complex pair: |root|^2 = C / A
                cand = sp.sqrt(C / A)
            else:
                cand = max(sp.Abs((-B + sp.sqrt(disc)) / (2 * A)), sp.Abs((-B - sp.sqrt(disc)) / (2 * A)),
                           key=lambda e: sp.N(e, 40))
        elif deg <= 4:
            cand = _modulus_exact(factor, target)
        else:  # the resultant would have degree deg^2: give 50 correct digits instead
            cand = sp.Float(mpmath.nstr(target, 50), 50)
        best, best_val = cand, target
    if best.has(sp.CRootOf) or best.count_ops() > 200:
        return best
    return sp.radsimp(sp.simplify(best))
