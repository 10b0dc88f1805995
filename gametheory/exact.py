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

Rational matrices (the common case: rational games and parameters, floats at
their binary value) take a faster route with python-flint (FLINT and Arb),
:func:`locate_rational`, exact at any size:

1. ``p = det(mu I - M)`` with ``fmpq_mat.charpoly``, factored over ``ZZ`` into
   irreducible factors ``f`` of multiplicity ``m`` (``fmpz_poly.factor``).
2. An irreducible ``f`` of degree > 1 with a root on the unit circle is
   self-reciprocal (``z`` on the circle makes ``1/z = conj(z)`` a root, so
   ``f`` divides its reciprocal). If ``f`` is not self-reciprocal, its roots
   are isolated in certified balls (Arb's ``fmpz_poly.complex_roots``) at a
   precision raised until every ball lies strictly inside or strictly
   outside the circle: this terminates because no root has modulus 1. If it
   is, ``f(mu) = mu^k h(mu + 1/mu)``: its roots on the circle are the
   ``2 x`` real roots of ``h`` in ``(-2, 2)`` (certified real by Arb), the
   others come in pairs ``(z, 1/z)``, one outside.
3. A unit-circle factor ``f`` repeated ``m > 1`` times is semisimple iff
   ``nullity f(M) = m deg f`` (exact FLINT rank); simple roots always are.

The radius (:func:`radius_exact`) is then an exact algebraic number whenever
its minimal polynomial is small enough to compute: ``CRootOf`` of the factor
for a real top eigenvalue, ``sqrt(CRootOf(g))`` for a complex one, ``g`` the
factor of the composed product ``Res_mu(f(mu), mu^d f(w/mu))`` (roots
``z_i z_j``) that has ``|z|^2`` as a root. Beyond that (factor degree >
:data:`COMPOSED_MAX_DEGREE`) it is a certified enclosure returned as a
``Float`` of 50 correct digits, and an :class:`EnclosureWarning` says so.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import flint
import mpmath
import numpy as np
import sympy as sp
from sympy.polys.constructor import construct_domain
from sympy.polys.matrices import DomainMatrix

from .rational import fmpq_poly_of, fmpz_poly_of, rational_matrix, to_sympy_poly
from .validation import ParameterError

MU = sp.Symbol("mu")
#: irreducible factors of larger degree with a complex top root give a certified enclosure of the radius
COMPOSED_MAX_DEGREE = 20
#: ... and real top roots of factors of larger degree (SymPy isolates CRootOf's roots itself)
CROOTOF_MAX_DEGREE = 400


class EnclosureWarning(UserWarning):
    """A spectral radius is returned as a certified numeric enclosure, not an exact algebraic number."""


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
    factors: list | None = field(default=None, repr=False)  # certified factor data (rational route)


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
    """The exact characteristic polynomial ``det(mu I - M)`` as a Poly over its field (FLINT over QQ)."""
    q = rational_matrix(M)
    if q is not None:
        return to_sympy_poly(q.charpoly(), MU) if q.nrows() else sp.Poly(1, MU, domain=sp.QQ)
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


def locate(M) -> UnitCircleReport:
    """Decide exactly where the eigenvalues of ``M`` lie relative to the unit circle.

    ``M``: a SymPy matrix (rational or real-algebraic entries) or a FLINT
    ``fmpq_mat``. Rational matrices take the FLINT route
    (:func:`locate_rational`), others SymPy's algebraic fields
    (``engine="sympy"`` forces the latter, the reference in the tests).

    Examples
    --------
    >>> locate(sp.Matrix([[0, -1], [1, 0]])).verdict
    'bounded'
    """
    return _locate(M)


def _locate(M, engine: str = "auto") -> UnitCircleReport:
    if engine == "auto":
        q = rational_matrix(M)
        if q is not None:
            return locate_rational(q)
    return _locate_sympy(domain_matrix(M))


def _locate_sympy(dm: DomainMatrix) -> UnitCircleReport:
    """The SymPy route of :func:`locate` (any real algebraic field)."""
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


# ------------------------------------------------- the rational route (FLINT / Arb)
_MAX_PREC = 1 << 16  # bits; certified decisions terminate long before (a cap against bugs)


@dataclass
class CertifiedFactor:
    """An irreducible factor of a characteristic polynomial with its roots located exactly.

    ``inside``, ``on``, ``outside`` count the roots of one copy of ``poly``
    strictly inside, on and strictly outside the unit circle; ``roots`` are
    isolating Arb balls (``flint.acb``) at ``prec`` bits.
    """

    poly: flint.fmpz_poly
    mult: int
    inside: int
    on: int
    outside: int
    roots: list
    prec: int

    @property
    def degree(self) -> int:
        return self.poly.degree()

    def top(self) -> flint.arb:
        """The largest root modulus, as a certified ball (exactly 1 when every root is on the circle)."""
        if self.on == self.degree:
            return flint.arb(1)
        with flint.ctx.workprec(max(self.prec, 64) + 16):  # abs() rounds at the working precision
            return max((abs(r) for r in self.roots), key=lambda a: a.mid())

    def refine(self, prec: int) -> None:
        """Recompute the isolating balls at ``prec`` bits (or more)."""
        if prec > self.prec and self.degree > 1:
            seeds = [complex(float(r.real.mid()), float(r.imag.mid())) for r in self.roots]
            self.roots, self.prec = _isolate(self.poly, prec, seeds), prec


def _isolate(f: flint.fmpz_poly, prec: int, seeds=None) -> list:
    """Isolating balls of the roots of a square-free ``f`` (real roots exactly real, ascending first).

    With ``seeds`` (float approximations of all roots, e.g. eigenvalues of the
    matrix), the balls come from Newton-refined seeds validated by Weierstrass
    inclusion disks (:func:`_validated_roots`, fast); otherwise, or when the
    validation fails, from Arb's ``fmpz_poly.complex_roots``.
    """
    if seeds is not None and f.degree() > 2:
        roots = _validated_roots(f, seeds, prec)
        if roots is not None:
            return roots
    with flint.ctx.workprec(prec):
        return [r for r, _ in f.complex_roots()]


def _validated_roots(f: flint.fmpz_poly, seeds, prec: int):
    """Certified isolating balls of the roots of square-free ``f`` from approximations, or None.

    The seeds are polished by Newton steps in ball arithmetic (at ``prec``
    bits plus what evaluating ``f`` cancels); the Weierstrass corrections
    ``W_i = f(z_i) / (lc prod_{j != i} (z_i - z_j))`` give disks
    ``|z - z_i| <= n |W_i|`` whose union holds every root, one root in each
    when they are disjoint (the Gerschgorin-type theorem of Braess and
    Hadeler). A disk centred on the real axis then holds a real root (``f``
    is real). Returns None when the disks overlap (clustered or bad seeds).
    """
    n = f.degree()
    seeds = np.asarray(seeds, dtype=complex).ravel()
    if len(seeds) != n or not np.all(np.isfinite(seeds)):
        return None
    coeffs = [int(c) for c in f.coeffs()]
    big = float(np.max(np.abs(seeds)))
    # evaluating f near its roots cancels about height + n log2 |z| bits: work above that
    work = prec + f.height_bits() + int(n * max(0.0, np.log2(max(big, 1.0)))) + 32
    with flint.ctx.workprec(work):
        F = flint.acb_poly([flint.acb(c) for c in coeffs])
        dF = F.derivative()
        z = [flint.acb(s.real, s.imag) for s in seeds]
        for _ in range(3 + max(1, work // 53).bit_length()):  # Newton: quadratic from good seeds
            new = []
            for zi in z:
                d = dF(zi)
                if d.contains(0):
                    return None
                new.append((zi - F(zi) / d).mid())
            z = new
        lc = flint.arb(abs(coeffs[-1]))

        def radii(pts):  # |f(z_i)| / lc in ball arithmetic (lc may exceed the float range)
            return _inclusion_radii(pts, [(abs(F(zi)) / lc).upper() for zi in pts], 1.0)

        r = radii(z)
        if r is None:
            return None
        # centre on the real axis the disks that meet it
        real = [float(abs(zi.imag).lower()) <= ri for zi, ri in zip(z, r)]
        if any(real):
            z = [flint.acb(zi.real.mid()) if re else zi for zi, re in zip(z, real)]
            r = radii(z)
            if r is None or any(not float(abs(zi.imag).lower()) > ri for zi, ri, re in zip(z, r, real) if not re):
                return None
        if not _disjoint(z, r):
            return None
        balls = []
        for zi, ri, re in zip(z, r, real):
            rad = flint.arb(0, ri)
            balls.append(flint.acb(zi.real + rad) if re else flint.acb(zi.real + rad, zi.imag + rad))
    reals = sorted((b for b in balls if b.imag.is_zero()), key=lambda b: float(b.real.mid()))
    return reals + [b for b in balls if not b.imag.is_zero()]


_EPS = 2.0 ** -52
_SAFE = 1e-10  # relative safety margin of the float bounds below (their rounding errors are ~n 1e-16)


def _float_points(pts):
    return np.array([complex(float(p.real.mid()), float(p.imag.mid())) for p in pts])


def _distance_lower(zf):
    """Lower bounds of ``|z_i - z_j|`` from float copies of the centres (input rounding included)."""
    d = np.abs(zf[:, None] - zf[None, :])
    mag = np.abs(zf)[:, None] + np.abs(zf)[None, :]
    return d - 4 * _EPS * mag


def _inclusion_radii(pts, fvals, lc):
    """Upper bounds of the Weierstrass radii ``n |f(z_i)| / (lc prod_{j != i} |z_i - z_j|)`` (floats), or None."""
    n = len(pts)
    zf = _float_points(pts)
    low = _distance_lower(zf)
    np.fill_diagonal(low, 1.0)
    if not np.all(low > 0):
        return None
    logs = np.log(low).sum(axis=1)
    num = np.array([float(v) for v in fvals])
    with np.errstate(all="ignore"):
        r = n * num / lc * np.exp(-logs) * (1 + _SAFE) + 1e-300
    if not np.all(np.isfinite(r)):
        return None
    return [float(v) for v in r]


def _disjoint(pts, r) -> bool:
    """True when the disks ``|z - z_i| <= r_i`` are pairwise disjoint (float bounds with margins)."""
    zf = _float_points(pts)
    low = _distance_lower(zf)
    rr = np.asarray(r)
    need = (rr[:, None] + rr[None, :]) * (1 + _SAFE)
    np.fill_diagonal(low, np.inf)
    return bool(np.all(low > need))


def _trace_form_fmpz(f: flint.fmpz_poly) -> flint.fmpz_poly:
    """``h`` with ``f(mu) = mu^m h(mu + 1/mu)`` for a self-reciprocal ``f`` of degree ``2m``."""
    c = f.coeffs()  # lowest degree first
    m = (len(c) - 1) // 2
    t = flint.fmpz_poly([0, 1])
    P = [flint.fmpz_poly([2]), t]  # mu^k + mu^-k in t
    for _ in range(2, m + 1):
        P.append(t * P[-1] - P[-2])
    h = flint.fmpz_poly([c[m]])
    for k in range(1, m + 1):
        h += c[m + k] * P[k]
    return h


def _trace_seeds(seeds):
    """Seeds for the trace form ``h`` from those of ``f``: ``t = z + 1/z`` over one root of each pair."""
    if seeds is None:
        return None
    z = np.asarray(seeds, dtype=complex)
    t = z + 1 / z
    out = []
    used = np.zeros(len(t), dtype=bool)
    for i in range(len(t)):  # z and 1/z give the same t: keep one of each pair
        if used[i]:
            continue
        used[i] = True
        j = np.argmin(np.where(used, np.inf, np.abs(t - t[i])))
        if not used[j]:
            used[j] = True
        out.append(t[i])
    return out if len(out) == len(z) // 2 else None


def certify_factor(f: flint.fmpz_poly, mult: int = 1, seeds=None) -> CertifiedFactor:
    """Locate the roots of an irreducible integer polynomial relative to the unit circle, exactly.

    ``seeds``: optional float approximations of the roots (speed only: the
    result is certified either way).
    """
    c = f.coeffs()
    d = f.degree()
    if d == 1:
        r = flint.fmpq(-c[0], c[1])
        a = abs(r)
        return CertifiedFactor(f, mult, int(a < 1), int(a == 1), int(a > 1), [flint.acb(r)], 0)
    reciprocal = c == c[::-1]
    h = _trace_form_fmpz(f) if reciprocal else None
    prec = 64
    while prec <= _MAX_PREC:
        roots = _isolate(f, prec, seeds)
        seeds = [complex(float(r.real.mid()), float(r.imag.mid())) for r in roots]
        if not reciprocal:
            with flint.ctx.workprec(prec + 16):
                mods = [abs(r) for r in roots]
            if all(m < 1 or m > 1 for m in mods):
                inside = sum(1 for m in mods if m < 1)
                return CertifiedFactor(f, mult, inside, 0, d - inside, roots, prec)
        else:
            ts = _isolate(h, prec, _trace_seeds(seeds))
            real = [t for t in ts if t.imag.is_zero()]
            if all((t.real > -2 and t.real < 2) or t.real > 2 or t.real < -2 for t in real):
                pairs = sum(1 for t in real if t.real > -2 and t.real < 2)
                off = d // 2 - pairs
                return CertifiedFactor(f, mult, off, 2 * pairs, off, roots, prec)
        prec *= 2
    raise RuntimeError(f"root location did not terminate for {f}")  # pragma: no cover


def certified_factors(p, seeds=None) -> list:
    """The irreducible factors of ``p`` (``fmpq_poly``, ``fmpz_poly`` or SymPy ``Poly`` over QQ), certified.

    ``seeds``: optional float approximations of the roots of ``p`` (e.g. the
    eigenvalues of the matrix, by ``numpy.linalg.eigvals``), which make the
    certification fast at large degrees; they are assigned to the factors by
    Newton distance and ignored where they do not fit.
    """
    if isinstance(p, sp.Poly):
        p = fmpq_poly_of(p)
    z = fmpz_poly_of(p)
    _, facs = z.factor()
    facs = [(g if g.leading_coefficient() > 0 else -g, int(m)) for g, m in facs]
    assigned = _assign_seeds([g for g, _ in facs], seeds)
    return [certify_factor(g, m, s) for (g, m), s in zip(facs, assigned)]


def _assign_seeds(polys, seeds) -> list:
    """Split approximate roots among irreducible factors (by Newton step length); None where unsure."""
    if seeds is None or len(polys) == 0:
        return [None] * len(polys)
    z = np.asarray(seeds, dtype=complex).ravel()
    if len(polys) == 1:
        return [z if len(z) == polys[0].degree() else None]
    dist = np.empty((len(polys), len(z)))
    for k, g in enumerate(polys):
        c = np.array([float(v) for v in reversed(g.coeffs())])
        with np.errstate(all="ignore"):
            dist[k] = np.abs(np.polyval(c, z) / np.polyval(np.polyder(c), z))
    dist = np.where(np.isfinite(dist), dist, np.inf)
    owner = np.argmin(dist, axis=0)
    out = []
    for k, g in enumerate(polys):
        mine = z[owner == k]
        # a repeated factor owns mult copies of its roots: keep one copy of each (nearest distinct)
        if len(mine) >= g.degree() and g.degree() > 0:
            order = np.argsort(dist[k, owner == k])
            pick = []
            for i in order:
                if all(abs(mine[i] - q) > 1e-9 * max(1.0, abs(q)) for q in pick):
                    pick.append(mine[i])
                if len(pick) == g.degree():
                    break
            out.append(np.array(pick) if len(pick) == g.degree() else None)
        else:
            out.append(None)
    return out


def _poly_at_fmpq_mat(f: flint.fmpz_poly, M) -> "flint.fmpq_mat":
    n = M.nrows()
    eye = flint.fmpq_mat(n, n)
    for i in range(n):
        eye[i, i] = 1
    R = flint.fmpq_mat(n, n)
    for a in reversed(f.coeffs()):
        R = R * M + eye * a
    return R


def report_from_factors(factors: list, charpoly: sp.Poly, defective_test) -> UnitCircleReport:
    """The verdict from certified factors; ``defective_test(factor)`` decides a repeated unit-circle factor."""
    outside = any(f.outside for f in factors)
    on = sum(f.on * f.mult for f in factors)
    if outside:
        return UnitCircleReport("diverges", True, on, False, charpoly, factors)
    if on == 0:
        return UnitCircleReport("converges", False, 0, False, charpoly, factors)
    defective = any(f.on and f.mult > 1 and defective_test(f) for f in factors)
    return UnitCircleReport("diverges" if defective else "bounded", False, on, defective, charpoly, factors)


def _eigenvalue_seeds(M):
    """Float eigenvalues of ``M`` (approximations for the certified root isolation)."""
    from .rational import to_float_array

    A = to_float_array(M)
    if not np.all(np.isfinite(A)):
        return None
    try:
        return np.linalg.eigvals(A)
    except np.linalg.LinAlgError:  # pragma: no cover
        return None


def locate_rational(M) -> UnitCircleReport:
    """:func:`locate` for a rational matrix (``fmpq_mat`` or SymPy), with FLINT and certified Arb balls.

    Examples
    --------
    >>> locate_rational(sp.Matrix([[1, 1], [0, 1]])).defective   # a Jordan block at 1
    True
    """
    M = rational_matrix(M)
    if M is None:
        raise ParameterError("locate_rational needs a matrix with rational entries")
    N = M.nrows()
    p = M.charpoly() if N else flint.fmpq_poly([1])
    seeds = _eigenvalue_seeds(M) if N > 8 else None
    factors = certified_factors(p, seeds) if N else []

    def defective(f):  # a repeated unit-circle factor: semisimple iff nullity f(M) = mult * deg f
        return _poly_at_fmpq_mat(f.poly, M).rank() != N - f.mult * f.degree

    return report_from_factors(factors, to_sympy_poly(p, MU), defective)


# ------------------------------------------------------------------ radius
def radius_mp(poly: sp.Poly, dps: int = 50) -> mpmath.mpf:
    """Spectral radius from an exact polynomial, with ``dps`` correct digits.

    Over QQ: certified Arb balls of the roots of the irreducible factors
    (repeated, defective, huge and tiny eigenvalues all to full relative
    precision). Over an algebraic field: the square-free factors' roots with
    mpmath (simple roots, hence well conditioned), scaled to unit size first.
    """
    q = fmpq_poly_of(poly)
    if q is not None:
        factors = certified_factors(q) if q.degree() > 0 else []
        top = _top_ball(factors, 4 * dps + 16)
        with mpmath.workdps(dps):
            return mpmath.mpf(0) if top is None else mpmath.mpf(top.mid().str(dps + 10, radius=False))
    best = mpmath.mpf(0)
    with mpmath.workdps(dps):
        for factor, _ in poly.sqf_list()[1]:
            if factor.degree() < 1:
                continue
            coeffs = [mpmath.mpf(str(sp.N(c, dps + 10))) for c in factor.all_coeffs()]
            best = max([best] + [abs(r) for r in mp_roots(coeffs, dps)])
    return best


def _top_ball(factors, bits: int):
    """The certified largest root modulus over ``factors``, refined to ``bits`` bits of relative accuracy."""
    if not factors:
        return None
    prec = max(64, bits + 16)
    while True:
        for f in factors:
            f.refine(prec)
        tops = [f.top() for f in factors]
        best = max(tops, key=lambda a: a.mid())
        with flint.ctx.workprec(prec + 16):  # lower(), upper() and union() round at the working precision
            lo = max((a.lower() for a in tops), key=lambda v: v.mid())
            hi = max((a.upper() for a in tops), key=lambda v: v.mid())
            ball = flint.arb(lo).union(flint.arb(hi))
        if best.is_zero() or ball.rel_accuracy_bits() >= bits or prec > _MAX_PREC:
            return ball
        prec *= 2


def mp_roots(coeffs, dps: int = 50) -> list:
    """Roots of ``coeffs[0] mu^d + ... + coeffs[d]`` (mpmath numbers, leading one nonzero) at ``dps`` digits.

    The polynomial is first rescaled (``mu = B nu``, ``B`` a power of two near
    the roots' size) so that huge and tiny roots keep their relative accuracy;
    then ``mpmath.polyroots``, or the eigenvalues of the companion matrix if it
    does not converge (a multiple root).
    """
    if len(coeffs) == 2:
        return [-coeffs[1] / coeffs[0]]
    with mpmath.workdps(dps + 10):
        lead = coeffs[0]
        sizes = [abs(c / lead) ** (mpmath.mpf(1) / k) for k, c in enumerate(coeffs[1:], start=1) if c != 0]
        B = mpmath.ldexp(1, int(mpmath.floor(mpmath.log(max(sizes), 2)))) if sizes and max(sizes) > 0 else 1
        scaled = [c / (lead * B ** k) for k, c in enumerate(coeffs)]
    try:
        roots = list(mpmath.polyroots(scaled, maxsteps=400, extraprec=4 * dps))
    except mpmath.libmp.NoConvergence:
        M = companion(scaled, lambda k: mpmath.matrix(k, k))
        roots = list(mpmath.eig(M, left=False, right=False))
    return [r * B for r in roots]


def _arb_str(a: flint.arb, digits: int) -> str:
    return a.mid().str(digits, radius=False)


def _real_index(roots: list, z) -> int:
    """The index of the real root ``z`` among the real roots in ``roots`` (ascending, as ``CRootOf`` counts)."""
    return sum(1 for r in roots if r.imag.is_zero() and r.real < z.real)


def _composed_product(f: flint.fmpz_poly) -> flint.fmpz_poly:
    """``R(w) = Res_mu(f(mu), mu^d f(w/mu))``, whose roots are the products ``z_i z_j`` of roots of ``f``."""
    d = f.degree()
    ctx = flint.fmpz_mpoly_ctx.get(("mu", "w"), "lex")
    mu, w = ctx.gens()
    c = f.coeffs()
    F = sum((int(ci) * mu ** i for i, ci in enumerate(c)), ctx.from_dict({}))
    G = sum((int(ci) * w ** i * mu ** (d - i) for i, ci in enumerate(c)), ctx.from_dict({}))
    R = F.resultant(G, "mu")
    coeffs = [0] * (R.degrees()[1] + 1)
    for (_, j), v in zip(R.monoms(), R.coeffs()):
        coeffs[j] = int(v)
    return flint.fmpz_poly(coeffs)


def _modulus_squared_root(f: "CertifiedFactor", z_index: int) -> tuple:
    """``(g, k)``: ``|z|^2`` (``z = f.roots[z_index]``) is the ``k``-th real root of ``g``, irreducible.

    ``g`` is the factor of the composed product (:func:`_composed_product`,
    degree ``d^2``, FLINT's multivariate resultant) that has ``|z|^2 = z
    conj(z)`` as a root, picked out by certified balls.
    """
    _, facs = _composed_product(f.poly).factor()
    cands = [g if g.leading_coefficient() > 0 else -g for g, _ in facs]
    prec = max(128, f.prec)
    while prec <= _MAX_PREC:
        f.refine(prec)
        z = f.roots[z_index]
        with flint.ctx.workprec(prec + 16):
            target = z.real * z.real + z.imag * z.imag  # a ball around |z|^2 (arb ** 2 is NaN on balls around 0)
        hits = []
        for g in cands:
            if not flint.arb_poly(list(g.coeffs()))(target).contains(0):
                continue
            roots = _isolate(g, prec)
            hits += [(g, r, roots) for r in roots if r.imag.is_zero() and r.real.overlaps(target)]
        if len(hits) == 1:
            g, r, roots = hits[0]
            return g, _real_index(roots, r)
        prec *= 2
    raise RuntimeError("could not isolate |z|^2")  # pragma: no cover


def _sympy_poly(f: flint.fmpz_poly, var) -> sp.Poly:
    return sp.Poly([sp.Integer(int(c)) for c in reversed(f.coeffs())], var)


def _top_index(f: CertifiedFactor) -> int:
    with flint.ctx.workprec(max(f.prec, 64) + 16):
        return max(range(len(f.roots)), key=lambda i: abs(f.roots[i]).mid())


def _exact_modulus(f: CertifiedFactor, zi: int):
    """The exact ``|z|`` for the root ``z = f.roots[zi]`` of the certified factor ``f``, or None (too large)."""
    z = f.roots[zi]
    c = f.poly.coeffs()
    d = f.degree
    if d == 1:
        return abs(sp.Rational(-int(c[0]), int(c[1])))
    if z.imag.is_zero():  # a real root: CRootOf of the factor itself (radicals for a quadratic)
        if d > CROOTOF_MAX_DEGREE:
            return None
        k = _real_index(f.roots, z)
        if d == 2:  # leading coefficient > 0: the roots ascend as (-b -/+ sqrt(disc)) / 2a
            a, b, c0 = (sp.Integer(int(v)) for v in reversed(c))
            r = (-b + (1 if k else -1) * sp.sqrt(b * b - 4 * a * c0)) / (2 * a)
        else:
            r = sp.CRootOf(_sympy_poly(f.poly, MU), k)
        return r if z.real > 0 else -r
    if d == 2:  # a complex pair: |z|^2 = c0 / c2
        return sp.sqrt(sp.Rational(int(c[0]), int(c[2])))
    if d > COMPOSED_MAX_DEGREE:
        return None
    g, k = _modulus_squared_root(f, zi)
    w = sp.Symbol("w")
    return sp.sqrt(sp.CRootOf(_sympy_poly(g, w), k))


def _radius_from_factors(factors: list):
    """``(radius, exact)``: the exact radius, or a certified 50-digit ``Float`` and False."""
    if not factors:
        return sp.Integer(0), True
    prec = 64
    while True:
        for f in factors:
            f.refine(prec)
        tops = [f.top() for f in factors]
        i = max(range(len(tops)), key=lambda j: tops[j].mid())
        rivals = [j for j in range(len(tops)) if j != i and not tops[j] < tops[i]]
        if not rivals or prec >= 4096:
            break
        prec *= 2
    best = factors[i]
    if best.on == best.degree:
        return sp.Integer(1), True
    value = _exact_modulus(best, _top_index(best))
    if value is not None and rivals:
        # moduli equal to 4096 bits: exact when every rival's exact modulus is the same number
        others = [_exact_modulus(factors[j], _top_index(factors[j])) for j in rivals]
        if any(o is None or sp.simplify(o - value) != 0 for o in others):
            value = None
    if value is not None:
        return value, True
    ball = _top_ball(factors, 200)
    return sp.Float(_arb_str(ball, 50), 50), False


def radius_exact(poly: sp.Poly, report: UnitCircleReport | None = None) -> sp.Expr:
    """The spectral radius as a SymPy number.

    Exactly 1 on the unit circle. Over QQ (rational matrices): an exact
    algebraic number (rational, radicals, ``CRootOf`` of the factor for a real
    top eigenvalue, ``sqrt(CRootOf(g))`` for a complex one, see the module
    docstring) unless its minimal polynomial is too large to compute (a
    complex top eigenvalue of an irreducible factor of degree >
    :data:`COMPOSED_MAX_DEGREE`, whose ``|z|^2`` has a minimal polynomial of
    degree up to ``d (d - 1) / 2``): then a ``Float`` with 50 certified
    digits, and an :class:`EnclosureWarning` says so and why. Over an
    algebraic field: radicals for factors of degree <= 4, else the same
    warning and 50 digits. The verdicts of :func:`locate` stay exact in every
    case.

    Examples
    --------
    >>> radius_exact(sp.Poly(MU**2 - MU + sp.Rational(1, 2), MU))
    sqrt(2)/2
    """
    value, exact = radius_with_exactness(poly, report)
    return value


def radius_with_exactness(poly: sp.Poly, report: UnitCircleReport | None = None) -> tuple:
    """``(radius, exact)``: :func:`radius_exact` and whether the value is exact (False: an enclosure)."""
    if report is not None and report.on_circle and not report.outside:
        return sp.Integer(1), True
    factors = report.factors if report is not None and report.factors is not None else None
    if factors is None and fmpq_poly_of(poly) is not None:
        factors = certified_factors(poly) if poly.degree() > 0 else []
    if factors is not None:
        value, exact = _radius_from_factors(factors)
        if not exact:
            _warn_enclosure(factors)
        elif isinstance(value, sp.Basic) and not value.has(sp.CRootOf) and value.count_ops() <= 200:
            value = sp.radsimp(sp.simplify(value))
        return value, exact
    return _radius_algebraic(poly)


def _warn_enclosure(factors) -> None:
    degs = sorted({f.degree for f in factors}, reverse=True)
    warnings.warn(
        "spectral radius: the top eigenvalue is a complex root of an irreducible factor of degree "
        f"{degs[0]} of the characteristic polynomial (factor degrees {degs}); the exact modulus is a root of "
        "a polynomial of degree up to d(d-1)/2, too large to compute here, so the radius is a certified "
        "enclosure: a Float with 50 correct digits (the verdict is exact)", EnclosureWarning, stacklevel=3)


def _modulus_exact(factor: sp.Poly, target: mpmath.mpf) -> sp.Expr:
    """The exact largest root modulus of an irreducible ``factor`` (degree 3-4) over an algebraic field.

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


def _radius_algebraic(poly: sp.Poly) -> tuple:
    """:func:`radius_exact` over a real algebraic field (SymPy): radicals up to degree 4, else 50 digits."""
    best, best_val, exact = sp.Integer(0), mpmath.mpf(0), True
    for factor, _ in poly.factor_list()[1]:
        deg = factor.degree()
        if deg < 1:
            continue
        target = radius_mp(factor)
        if target <= best_val:
            continue
        c = factor.all_coeffs()
        cand_exact = True
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
            cand, cand_exact = sp.Float(mpmath.nstr(target, 50), 50), False
        best, best_val, exact = cand, target, cand_exact
    if not exact:
        warnings.warn("spectral radius over an algebraic field: the top eigenvalue is a root of an irreducible "
                      "factor of degree > 4; the radius is a Float with 50 correct digits, not an exact number "
                      "(the verdict is exact)", EnclosureWarning, stacklevel=3)
        return best, False
    if best.has(sp.CRootOf) or best.count_ops() > 200:
        return best, True
    return sp.radsimp(sp.simplify(best)), True
