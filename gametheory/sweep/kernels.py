"""Fused compiled kernels for the closed-form sweep paths, generated from the NumPy path's formulas.

For one :class:`~gametheory.sweep.polynomials.CompiledPolynomial` (the
characteristic polynomial of one mode, its coefficients polynomials in the
mode value ``sigma`` or ``lambda`` with parameter-only coefficients) and a list
of mode values, :func:`modes_kernel` writes and compiles (numba, ``prange``
over grid points) a loop that, at each grid point,

1. evaluates the parameter-only parts of the coefficients once (the same
   SymPy expressions the NumPy path lambdifies, printed as scalar code),
2. for each mode, forms the coefficients and calls the top-modulus formula of
   :mod:`gametheory.sweep.roots` -- the very same function, compiled for
   scalars by :func:`gametheory.sweep.roots.compiled_formulas` -- and
3. keeps the largest radius and whether a flagged mode (cluster, suspect
   magnitude) lies within the cluster tolerance of it.

Nothing is typed twice: the kernel is generated from the polynomial and the
formulas; the NumPy path (:func:`gametheory.sweep.modes.modes_max` without
numba) evaluates the same formulas on arrays and is the reference the tests
compare against.

The general path's kernel, :func:`aberth_rows`, is generic (compiled once,
cached on disk): per grid point the top root of a polynomial of any degree by
:func:`aberth_top` (float64, warm-started from the neighbouring points' roots,
extrapolated along grid lines), and where that root is ill-conditioned, the
coefficients in double-double (:func:`dd_coefficients`, from the exact
table) and the roots polished with compensated residuals
(:func:`aberth_polish`, built on :mod:`gametheory.sweep.doubledouble`). Its
reference is batched ``eigvals`` of the augmented Jacobian (no closed form
exists above degree 4).
"""
from __future__ import annotations

import cmath
import math

import numpy as np
import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from .doubledouble import comp_horner, dot2, gamma, two_prod, two_sum
from .roots import HUGE, TINY, compiled_formulas, numba_available, top_formula

prange = range  # numba.prange once aberth_rows is compiled (numba is imported lazily)

__all__ = ["modes_kernel", "kernel_applies", "rows_kernel", "aberth_top", "aberth_rows", "aberth_polish",
           "dd_coefficients", "f64_coefficients"]

_KERNELS: dict = {}


class _Printer(PythonCodePrinter):
    """Scalar Python code that numba compiles (``math.*`` functions, float rationals, products for small powers)."""

    def _print_Rational(self, expr):
        return f"({float(expr.p)}/{float(expr.q)})"

    def _print_Pow(self, expr, rational=False):
        b, e = expr.as_base_exp()
        if e.is_Integer and 1 < int(e) <= 8:
            base = self.parenthesize(b, 100)
            return "(" + "*".join([base] * int(e)) + ")"
        return super()._print_Pow(expr, rational=rational)


#: grid points per warm-started block of the Aberth kernel (consecutive points start from each other's roots)
ABERTH_BLOCK = 256
ABERTH_MAX_DEGREE = 16
#: Aberth's top root is flagged when rounding of the coefficients may move it by more than this (relative)
ILL_CONDITIONED = 1e-9
U2 = 2.0**-106  # the unit roundoff squared


def kernel_applies(comp, complex_modes: bool) -> bool:
    """A fused kernel exists: closed forms (degree 1-4 real, 1-2 complex), else Aberth up to degree 16."""
    return comp.degree >= 1 and (top_formula(comp.degree, complex_modes) is not None
                                 or comp.degree <= ABERTH_MAX_DEGREE)


def aberth_top(cs, ce, z, zb, warm, tol, c):
    """Aberth-Ehrlich iteration for the top root modulus of one polynomial (numba; warm-started).

    ``aberth_top(cs, ce, z, zb, warm, tol, c)``: ``cs`` the coefficients
    (highest first) of a polynomial ``q(w) = p(c + w)`` in the shifted
    variable ``w = mu - c`` (``c = 0``: ``p`` itself; ``c = 1``: the roots
    crowding near 1 at small step sizes are far better conditioned in ``w``,
    whose small coefficients carry their own small errors), ``ce`` bounds on
    their absolute errors, ``z`` the current approximations of the roots
    ``w`` (updated in place; started on a circle of Fujiwara's radius unless
    ``warm``, else first polished by Newton steps), ``zb`` scratch space (``2 d`` entries).
    Returns ``(radius, flag)``, the radius ``max |c + w|``; ``flag`` marks
    non-convergence in 100 sweeps, a top root
    within ``tol * max(1, radius)`` of another one, a top root whose
    sensitivity to the errors of the coefficients (``sum ce_k |w|^k /
    (|q'(w)| |c + w|)``) exceeds :data:`ILL_CONDITIONED`, or a suspect magnitude:
    the caller recomputes those points (the general path: ``eigvals`` of the
    augmented Jacobian, clusters exactly). No closed form exists above degree
    4, so this has no NumPy twin: the NumPy path roots the same polynomial
    by batched companion ``eigvals`` (and the tests compare the two).
    """
    d = cs.shape[0] - 1
    lead = cs[0]
    if not warm:
        bound = 0.0
        for k in range(1, d + 1):
            v = abs(cs[k] / lead) ** (1.0 / k)
            if v > bound:
                bound = v
        bound = 2.0 * bound if bound > 0 else 1.0
        for j in range(d):
            z[j] = bound * cmath.exp(1j * (2.0 * math.pi * j / d + 0.4))
    converged = False
    if warm:  # Newton from the neighbouring point's roots; Aberth (from the same start) only if that fails
        for j in range(d):
            zb[j] = z[j]
        converged = True
        scale = 1e-300
        for j in range(d):  # zb[d + j].real: the last Newton step (squared) of root j if accepted on its size
            zb[d + j] = 0.0
        for j in range(d):
            zj = z[j]
            ok = False
            mu = c + zj
            for _ in range(6):
                p = cs[0] + 0j
                dp = 0j
                bound = abs(cs[0])
                az = math.sqrt(zj.real * zj.real + zj.imag * zj.imag)
                for k in range(1, d + 1):
                    dp = dp * zj + p
                    p = p * zj + cs[k]
                    bound = bound * az + abs(cs[k])
                lim = 8.0 * 2.2e-16 * bound
                if p.real * p.real + p.imag * p.imag <= lim * lim:
                    ok = True
                    break
                if dp == 0:
                    break
                step = p / dp
                zj = zj - step
                mu = c + zj
                s2 = step.real * step.real + step.imag * step.imag
                if s2 <= 1e-14 * (mu.real * mu.real + mu.imag * mu.imag):
                    ok = True  # quadratic convergence: the next step would be ~|step|^2 / gap (checked below)
                    zb[d + j] = s2
                    break
            z[j] = zj
            a2 = mu.real * mu.real + mu.imag * mu.imag
            if a2 > scale:
                scale = a2
            if not ok:
                converged = False
                break
        if converged:  # two approximations drawn to one root would lose another: check they stay apart
            sep = 1e-14 * scale  # (1e-7 relative)^2
            for j in range(d):
                g2 = math.inf
                for k in range(d):
                    if k != j:
                        dz = z[j] - z[k]
                        g = dz.real * dz.real + dz.imag * dz.imag
                        if g < g2:
                            g2 = g
                if g2 <= sep:
                    converged = False
                # a root accepted on its step: Newton's next step, ~|step|^2 / gap, below 1e-14 |mu|; if not, up
                # to two more Newton steps for this root alone (each squares the error) before giving up
                mu = c + z[j]
                a2 = mu.real * mu.real + mu.imag * mu.imag
                for _ in range(2):
                    if zb[d + j].real * zb[d + j].real <= 1e-28 * a2 * g2:
                        break
                    zj = z[j]
                    p = cs[0] + 0j
                    dp = 0j
                    bound = abs(cs[0])
                    az = math.sqrt(zj.real * zj.real + zj.imag * zj.imag)
                    for k in range(1, d + 1):
                        dp = dp * zj + p
                        p = p * zj + cs[k]
                        bound = bound * az + abs(cs[k])
                    lim = 8.0 * 2.2e-16 * bound
                    if p.real * p.real + p.imag * p.imag <= lim * lim:
                        zb[d + j] = 0.0
                        break
                    if dp == 0:
                        break
                    step = p / dp
                    z[j] = zj - step
                    zb[d + j] = step.real * step.real + step.imag * step.imag
                if zb[d + j].real * zb[d + j].real > 1e-28 * a2 * g2:
                    converged = False
        if not converged:
            # Aberth from the same start, but off the real axis: from real starts a real polynomial's iterates stay
            # real and never reach a complex pair (the roots of the neighbouring point were real, these are not)
            for j in range(d):
                zj = zb[j]
                if zj.imag == 0.0:
                    zj = zj + (1j if j % 2 == 0 else -1j) * 1e-3 * (1.0 + abs(zj))
                z[j] = zj
    for _ in range(0 if converged else 100):
        done = True
        for j in range(d):
            zj = z[j]
            p = cs[0] + 0j
            dp = 0j
            bound = abs(cs[0])
            az = abs(zj)
            for k in range(1, d + 1):
                dp = dp * zj + p
                p = p * zj + cs[k]
                bound = bound * az + abs(cs[k])
            # stop where zj is an exact root of a polynomial within a few ulps (backward stable)
            if abs(p) <= 8.0 * 2.2e-16 * bound:
                continue
            done = False
            s = 0j
            for k in range(d):
                if k != j and zj != z[k]:
                    s += 1.0 / (zj - z[k])
            if dp == 0:
                z[j] = zj + 1e-8 * (1.0 + abs(zj))  # a critical point: nudge
                continue
            w = p / dp
            den = 1.0 - w * s
            if den == 0:
                continue
            step = w / den
            if step.real == step.real and step.imag == step.imag:
                z[j] = zj - step
        if done:
            converged = True
            break
    top = 0
    rad = 0.0
    for j in range(d):
        a = abs(c + z[j])
        if a > rad:
            rad = a
            top = j
    gap = math.inf
    for j in range(d):
        if j != top:
            g = abs(z[j] - z[top])
            if g < gap:
                gap = g
    # the top root's sensitivity to rounding of the coefficients: sum ce_k |w|^k / |q'(w)| / |c + w| (relative)
    zt = z[top]
    azt = abs(zt)
    p = cs[0] + 0j
    dp = 0j
    bound = ce[0]
    for k in range(1, d + 1):
        dp = dp * zt + p
        p = p * zt + cs[k]
        bound = bound * azt + ce[k]
    ill = abs(dp) * rad * ILL_CONDITIONED <= bound  # the estimated relative error exceeds it
    flag = (not converged) or ill or gap <= tol * (rad if rad > 1.0 else 1.0)
    flag = flag or not math.isfinite(rad) or rad > HUGE or (0.0 < rad < TINY)
    return rad, flag


def f64_coefficients(x, exps, th, t, c, ce, G, xc):
    """The coefficients at one point in float64, ``c``, and estimates ``ce`` of their rounding errors (numba).

    The same sums as :meth:`gametheory.sweep.charpoly.ParametricCharpoly.evaluate`
    (its NumPy twin, which the tests compare with): ``c_k = sum_j V_j
    th_jk`` with ``V_j = prod_v x_v^exps[j, v]``, grouped as a polynomial in
    the last parameter ``y = x[-1]``, ``c_k = sum_b G_bk y^b``. ``G``
    (scratch, ``(2, b_max + 1, K)``: the sums and the sums of absolute
    values) is kept while the other parameters stay at ``xc`` (a grid walked
    along its last axis recomputes it once per line; ``xc[-1]`` NaN marks it
    empty), so a point costs one Horner pass in ``y`` per coefficient. The
    estimate: ``(t + 2 + sqrt(m) + 2 b_max) eps sum_j |V_j th_jk|`` for ``m``
    monomials of total degree at most ``t`` (``evaluate``'s, plus Horner's).
    """
    m = th.shape[0]
    K = th.shape[1]
    nv = exps.shape[1]
    if nv == 0:
        for k in range(K):
            c[k] = th[0, k]
            ce[k] = 0.0
        return
    last = nv - 1
    same = xc[last] == xc[last]
    for v in range(last):
        same = same and xc[v] == x[v]
    B = G.shape[1] - 1
    if not same:
        G[:] = 0.0
        for j in range(m):
            h = 1.0
            for v in range(last):
                for _ in range(exps[j, v]):
                    h *= x[v]
            b = exps[j, last]
            for k in range(K):
                p = h * th[j, k]
                G[0, b, k] += p
                G[1, b, k] += abs(p)
        for v in range(last):
            xc[v] = x[v]
        xc[last] = 0.0
    y = x[last]
    ay = abs(y)
    rel = (t + 2.0 + math.sqrt(m) + 2.0 * B) * 2.220446049250313e-16
    for k in range(K):
        h = G[0, B, k]
        a = G[1, B, k]
        for b in range(B - 1, -1, -1):
            h = h * y + G[0, b, k]
            a = a * ay + G[1, b, k]
        c[k] = h
        ce[k] = rel * a


def dd_coefficients(x, exps, th, tl, ch, cl, ce, t, G, xc):
    """The coefficients at one point in double-double: ``ch + cl``, and bounds ``ce`` on their errors (numba).

    ``c_k = sum_j V_j (th_jk + tl_jk)`` with the monomials ``V_j = prod_v
    x_v^exps[j, v]`` of the (binary, exact) grid values ``x``, as a
    polynomial in the last parameter ``y = x[-1]``: ``c_k = sum_b G_bk
    y^b``, ``G_bk`` the Dot2 sums (:func:`gametheory.sweep.doubledouble.dot2`,
    written out) over the monomials with ``y``-exponent ``b`` of their other
    factors times the table, in double-double; then Horner in ``y`` in
    double-double. ``G`` (scratch, ``(3, b_max + 1, K)``: high parts, low
    parts, absolute sums) is kept while the other parameters stay at
    ``xc`` (a grid walked along its last axis recomputes it once per
    line; ``xc[-1]`` NaN marks it empty). ``t``: the largest total degree.
    The bound: ``(gamma(2m)^2 + (4 + 2t + 6 b_max) u^2) sum_j |V_j th_jk|``
    for ``m`` monomials (Dot2's, the monomials' and Horner's relative errors,
    the table's splitting).
    """
    m = th.shape[0]
    K = th.shape[1]
    nv = exps.shape[1]
    if nv == 0:
        for k in range(K):
            ch[k] = th[0, k]
            cl[k] = tl[0, k]
            ce[k] = 0.0
        return
    last = nv - 1
    same = xc[last] == xc[last]
    for v in range(last):
        same = same and xc[v] == x[v]
    B = G.shape[1] - 1
    if not same:
        G[:] = 0.0
        for j in range(m):
            h = 1.0
            lo = 0.0
            for v in range(last):
                for _ in range(exps[j, v]):
                    p, e = two_prod(h, x[v])
                    h, lo = two_sum(p, e + lo * x[v])
            b = exps[j, last]
            for k in range(K):
                p, e = two_prod(h, th[j, k])
                sm, f = two_sum(G[0, b, k], p)
                G[0, b, k] = sm
                G[1, b, k] += e + f + (h * tl[j, k] + lo * th[j, k])
                G[2, b, k] += abs(p)
        for b in range(B + 1):
            for k in range(K):
                G[0, b, k], G[1, b, k] = two_sum(G[0, b, k], G[1, b, k])
        for v in range(last):
            xc[v] = x[v]
        xc[last] = 0.0
    y = x[last]
    ay = abs(y)
    g = gamma(2 * m)
    rel = g * g + (4.0 + 2.0 * t + 6.0 * B) * U2
    for k in range(K):
        hh = G[0, B, k]
        hl = G[1, B, k]
        a = G[2, B, k]
        for b in range(B - 1, -1, -1):
            p, e = two_prod(hh, y)
            sm, f = two_sum(p, G[0, b, k])
            hh, hl = two_sum(sm, e + f + hl * y + G[1, b, k])
            a = a * ay + G[2, b, k]
        ch[k] = hh
        cl[k] = hl
        ce[k] = rel * a


def aberth_polish(ch, cl, ce, cf, z, tol):
    """Aberth-Ehrlich iteration on double-double coefficients from the roots ``z`` (numba; updated in place).

    Each residual ``p(z_j)`` is taken in float64 while it stands above its
    rounding error; once at that noise level, a root whose inclusion disc
    (below) is not yet small goes on with residuals by the compensated
    Horner scheme (:func:`gametheory.sweep.doubledouble.comp_horner`), so
    the iteration converges to the float nearest each root however
    ill-conditioned the float64 coefficients make it (the error is about
    ``cond * u^2`` instead of ``cond * u``). Returns ``(radius, flag,
    sens)``:

    * every root gets a Newton inclusion disc: at the last evaluation, a
      root of ``p`` lies within ``d |p(z_j)| / |p'(z_j)|`` of ``z_j`` (with
      ``|p(z_j)|`` raised by its evaluation error and the coefficients'
      errors ``ce``), plus the last step taken;
    * the discs pairwise disjoint, each holds exactly one root, and the
      radius is ``max |z_j|`` within the largest disc radius of the roots
      that may be the top one;
    * ``flag``: no convergence in 60 sweeps, two discs overlap, that error
      above :data:`ILL_CONDITIONED` (relative), or the top root within
      ``tol * max(1, radius)`` of another (a cluster: the caller decides
      it exactly, as on the float64 route);
    * ``sens``: the top root's sensitivity to the float64 coefficients'
      errors ``cf`` (the estimate :func:`aberth_top` flags by), to decide
      whether the next grid point needs this polish at all.
    """
    d = ch.shape[0] - 1
    r = np.empty(d)
    done = np.zeros(d, dtype=np.bool_)
    high = np.zeros(d, dtype=np.bool_)  # root j's residuals in double-double (else float64 while they suffice)
    cfl = np.empty(d + 1)  # the float64 coefficients' errors: the dropped low parts and ce
    for k in range(d + 1):
        cfl[k] = ce[k] + abs(cl[k])
    gf = gamma(2 * d + 2)
    est = 0.0
    for j in range(d):
        if abs(z[j]) > est:
            est = abs(z[j])
    converged = False
    for _ in range(60):
        alldone = True
        for j in range(d):
            if done[j]:
                continue
            zj = z[j]
            az = abs(zj)
            if high[j]:
                pr, pi, dr, di, b = comp_horner(ch, cl, zj.real, zj.imag)
                noise = ce[0]
                for k in range(1, d + 1):
                    noise = noise * az + ce[k]
                noise += b
            else:  # plain Horner and its error bound
                p = ch[0] + 0j
                dp = 0j
                absval = abs(ch[0])
                noise = cfl[0]
                for k in range(1, d + 1):
                    dp = dp * zj + p
                    p = p * zj + ch[k]
                    absval = absval * az + abs(ch[k])
                    noise = noise * az + cfl[k]
                noise += gf * absval
                pr, pi, dr, di = p.real, p.imag, dp.real, dp.imag
            ap = math.sqrt(pr * pr + pi * pi)
            adp = math.sqrt(dr * dr + di * di)
            if adp == 0.0:
                r[j] = math.inf
                alldone = False
                z[j] = zj + 1e-8 * (1.0 + az)
                continue
            if ap <= noise and not high[j]:
                # at float64's noise level: accepted if its disc is already small (or far inside), else double-double
                incl = d * (ap + noise) / adp
                if incl <= 1e-3 * ILL_CONDITIONED * est or (az + incl <= 0.9 * est and incl <= 1e-6 * est):
                    done[j] = True
                    r[j] = incl
                else:
                    high[j] = True
                    alldone = False
                continue
            w = complex(pr, pi) / complex(dr, di)
            incl = d * (ap + noise) / adp
            if ap <= noise:  # at the noise level: an exact root of a polynomial within the coefficients' errors
                done[j] = True
                r[j] = incl
                continue
            s = 0j
            for k in range(d):
                if k != j and zj != z[k]:
                    s += 1.0 / (zj - z[k])
            den = 1.0 - w * s
            step = w / den if den != 0 else w
            if not (step.real == step.real and step.imag == step.imag):
                step = w
            z[j] = zj - step
            r[j] = incl + abs(step)
            if abs(step) <= 4.0 * 1.1102230246251565e-16 * az:
                done[j] = True  # below the float resolution of z_j
            else:
                alldone = False
        if alldone:
            converged = True
            break
    top = 0
    rad = 0.0
    for j in range(d):
        a = abs(z[j])
        if a > rad:
            rad = a
            top = j
    err = r[top]
    lo = rad - r[top]
    overlap = False
    gap = math.inf
    for j in range(d):
        if j != top:
            g = abs(z[j] - z[top])
            if g < gap:
                gap = g
        if abs(z[j]) + r[j] >= lo and r[j] > err:
            err = r[j]
        for k in range(j + 1, d):
            if abs(z[j] - z[k]) <= r[j] + r[k]:
                overlap = True
    zt = z[top]
    p = ch[0] + 0j
    dp = 0j
    bound = cf[0]
    for k in range(1, d + 1):
        dp = dp * zt + p
        p = p * zt + ch[k]
        bound = bound * rad + cf[k]
    sens = bound / (abs(dp) * rad) if abs(dp) * rad > 0 else math.inf
    flag = (not converged) or overlap or not (err <= ILL_CONDITIONED * rad) or gap <= tol * (rad if rad > 1.0 else 1.0)
    flag = flag or not math.isfinite(rad) or rad > HUGE or (0.0 < rad < TINY)
    return rad, flag, sens


_ABERTH = {}


def _aberth():
    """The compiled :func:`aberth_top` and :func:`aberth_rows` (numba, cached on disk: compiled once per machine)."""
    if not _ABERTH:
        import numba

        from .generated import drop_stale_cache

        def jit(f, **options):  # numba watches only this file: its cache is dropped when roots/doubledouble change
            return drop_stale_cache(numba.njit(error_model="numpy", cache=True, **options)(f))

        g = globals()
        g["prange"] = numba.prange
        g["_aberth_top_jit"] = jit(aberth_top, fastmath={"contract"})  # fused multiply-adds (Horner): 5-15% faster
        g["_f64_coefficients_jit"] = jit(f64_coefficients)
        g["_dd_coefficients_jit"] = jit(_rebind(dd_coefficients))
        g["_aberth_polish_jit"] = jit(_rebind(aberth_polish))
        _ABERTH["top"] = g["_aberth_top_jit"]
        _ABERTH["rows"] = jit(aberth_rows, parallel=True)
    return _ABERTH["top"]


def aberth_rows(X, exps, th, tl, ths, t, tol, rad, flag):
    """:func:`aberth_top` at each grid point ``X[i]`` of the polynomial with coefficient table ``th``.

    The coefficients at each point (highest first) by
    :func:`f64_coefficients` from the table (``th``; ``exps`` its
    monomials, ``t`` the largest total degree), with estimates of their
    rounding errors. Points are taken in blocks of :data:`ABERTH_BLOCK`
    consecutive grid points, each warm-started from the previous point's
    roots; writes ``rad`` and ``flag``. Where the float64 top root is flagged
    and ``ths`` (same monomials) is given, the table of ``p(1 + w)``, the
    roots are found again in ``w = mu - 1`` (``aberth_top(..., c=1)``), where
    the roots crowding near 1 at small step sizes are well conditioned; the
    variable that served last is tried first at the next point. Where both
    are flagged and the table's low parts are given (``th + tl``: the exact table in
    double-double), the coefficients are re-evaluated in double-double at
    that point and the roots polished by :func:`aberth_polish` (from the
    float64 roots); while the float64 estimate stays above
    :data:`ILL_CONDITIONED` / 10, the next points skip the unshifted attempt
    (the shifted one, when given, still comes first: it is far cheaper than
    the polish) and go on from the previous point's roots.
    Generic in the polynomial: compiled once (and cached on disk), not per
    game.
    """
    n = rad.shape[0]
    d = th.shape[1] - 1
    polish = tl.shape[0] > 0
    shifted = ths.shape[0] > 0
    nb = (n + ABERTH_BLOCK - 1) // ABERTH_BLOCK
    bmax = exps[:, -1].max() if exps.shape[1] else 0
    for blk in prange(nb):
        z = np.empty(d, dtype=np.complex128)
        zb = np.empty(2 * d, dtype=np.complex128)
        zp = np.empty(d, dtype=np.complex128)
        cf = np.empty(d + 1)  # float64 coefficients and their error estimates
        ef = np.empty(d + 1)
        Gf = np.empty((2, bmax + 1, d + 1))
        xf = np.full(max(1, X.shape[1]), np.nan)
        cs = np.empty(d + 1)  # the same in w = mu - 1
        es = np.empty(d + 1)
        Gs = np.empty((2, (bmax if shifted else 0) + 1, d + 1))
        xs = np.full(max(1, X.shape[1]), np.nan)
        w = np.empty(d, dtype=np.complex128)
        mode = 0  # 1: the shifted variable served at the last point
        ch = np.empty(d + 1)
        cl = np.empty(d + 1)
        ce = np.empty(d + 1)
        G = np.empty((3, (bmax if polish else 0) + 1, d + 1))
        xc = np.full(max(1, X.shape[1]), np.nan)
        zq = np.empty(d, dtype=np.complex128)
        warm = False
        warm2 = False  # the previous point was warm-started too (zq holds the roots two points back)
        line = False  # the last two points and this one equally spaced: start from the roots extrapolated
        direct = False
        for i in range(blk * ABERTH_BLOCK, min(n, (blk + 1) * ABERTH_BLOCK)):
            if warm:
                line = warm2
                for v in range(X.shape[1]):
                    a = X[i, v] - X[i - 1, v]
                    b = X[i - 1, v] - X[i - 2, v]
                    line = line and abs(a - b) <= 1e-6 * (abs(a) + abs(b))
                for j in range(d):
                    zp[j] = z[j]
                    if line:
                        z[j] = 2.0 * z[j] - zq[j]
                    zq[j] = zp[j]
            f = True
            r = math.nan
            have_cf = False  # the unshifted float64 coefficients, evaluated only where an attempt or the polish needs them
            if shifted or not direct:  # the polish's direct mode skips the unshifted attempt only
                for attempt in range(2 if shifted and not direct else 1):
                    start = warm if attempt == 0 else math.isfinite(r)
                    if shifted and (direct or (attempt == 0) == (mode == 1)):
                        _f64_coefficients_jit(X[i], exps, ths, t, cs, es, Gs, xs)
                        for j in range(d):
                            w[j] = z[j] - 1.0
                        r, f = _aberth_top_jit(cs, es, w, zb, start, tol, 1.0)
                        for j in range(d):
                            z[j] = w[j] + 1.0
                        if not f:
                            mode = 1
                    else:
                        _f64_coefficients_jit(X[i], exps, th, t, cf, ef, Gf, xf)
                        have_cf = True
                        r, f = _aberth_top_jit(cf, ef, z, zb, start, tol, 0.0)
                        if not f:
                            mode = 0
                    if not f:
                        break
            if f and polish:
                if not have_cf:
                    _f64_coefficients_jit(X[i], exps, th, t, cf, ef, Gf, xf)
                if direct and not (warm or math.isfinite(r)):
                    _aberth_top_jit(cf, ef, z, zb, False, tol, 0.0)
                _dd_coefficients_jit(X[i], exps, th, tl, ch, cl, ce, t, G, xc)
                r, f, sens = _aberth_polish_jit(ch, cl, ce, ef, z, tol)
                if f and direct and warm:  # the previous point's roots were too far: float64 roots first, again
                    for j in range(d):
                        z[j] = zp[j]
                    _aberth_top_jit(cf, ef, z, zb, True, tol, 0.0)
                    r, f, sens = _aberth_polish_jit(ch, cl, ce, ef, z, tol)
                direct = not (sens <= 0.1 * ILL_CONDITIONED)
            warm2 = warm
            warm = math.isfinite(r)
            rad[i] = r
            flag[i] = f


def _rebind(fn):
    """``fn`` with the double-double helpers' compiled versions in its namespace (same code object)."""
    import types

    from .doubledouble import compiled

    ns = dict(globals())
    ns.update({k: v for k, v in compiled().items() if k in ("two_prod", "two_sum", "gamma", "dot2", "comp_horner")})
    return types.FunctionType(fn.__code__, ns, fn.__name__, fn.__defaults__, fn.__closure__)


def rows_kernel():
    """The compiled :func:`aberth_rows` (None without numba)."""
    if not numba_available():
        return None
    _aberth()
    return _ABERTH["rows"]


def _coefficient_lines(comp, indent: str) -> tuple:
    """Scalar code for the parameter-only parts of the coefficients (common subexpressions shared).

    Returns ``(lines, terms)``: ``lines`` assign ``p0, p1, ...`` (from ``P[:, i]``)
    and the parts; ``terms[k]`` is the expression of coefficient ``k`` in them
    and the mode value ``v``.
    """
    printer = _Printer()
    names = [f"p{i}" for i in range(len(comp.other_syms))]
    subs = {s: sp.Symbol(n) for s, n in zip(comp.other_syms, names)}
    lines = [f"{indent}{nm} = P[{k}, i]" for k, nm in enumerate(names)]
    keys, exprs = [], []
    for ci, tlist in enumerate(comp.term_exprs):
        for pw, expr in tlist:
            keys.append((ci, pw))
            exprs.append(sp.sympify(expr).xreplace(subs))
    shared, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("q"), optimizations="basic")
    lines += [f"{indent}{sym} = {printer.doprint(e)}" for sym, e in shared]
    parts = {}
    for (ci, pw), e in zip(keys, reduced):
        tname = f"t{ci}_{pw}"
        lines.append(f"{indent}{tname} = {printer.doprint(e)}")
        parts.setdefault(ci, []).append(tname if pw == 0 else f"{tname} * v" + " * v" * (pw - 1))
    terms = [" + ".join(parts.get(ci, [])) or "0.0" for ci in range(len(comp.term_exprs))]
    return lines, terms


_KEEP_TOP = ["best = 0.0", "fbest = -1.0", "bad = False", "for m in range(nm):", "    v = modes[m]"]
_KEEP_END = ["    if not (r == r):", "        bad = True", "    elif r > best:", "        best = r",
             "    if f and r > fbest:", "        fbest = r", "lim = best - tol * (best if best > 1.0 else 1.0)",
             "rad[i] = best", "flag[i] = bad or fbest >= lim or not math.isfinite(best)"]


def _aberth_source(comp) -> str:
    d = comp.degree
    ind = " " * 12
    coeff_lines, terms = _coefficient_lines(comp, ind)
    lines = ["def kernel(P, modes, tol, rad, flag):",
             "    n = rad.shape[0]",
             "    nm = modes.shape[0]",
             f"    nb = (n + {ABERTH_BLOCK} - 1) // {ABERTH_BLOCK}",
             "    for blk in prange(nb):",
             f"        z = np.empty((nm, {d}), dtype=np.complex128)",
             f"        zb = np.empty({2 * d}, dtype=np.complex128)",
             f"        cs = np.empty({d + 1}, dtype=modes.dtype)",
             f"        ce = np.empty({d + 1})",
             "        warm = np.zeros(nm, dtype=np.bool_)",
             f"        for i in range(blk * {ABERTH_BLOCK}, min(n, (blk + 1) * {ABERTH_BLOCK})):"]
    lines += coeff_lines + [ind + t for t in _KEEP_TOP]
    lines += [f"{ind}    cs[{ci}] = {t}" for ci, t in enumerate(terms)]
    lines += [f"{ind}    for k in range({d + 1}):", f"{ind}        ce[k] = 2.2e-16 * abs(cs[k])"]
    lines += [f"{ind}    r, f = aberth_top(cs, ce, z[m], zb, warm[m], tol, 0.0)", f"{ind}    warm[m] = math.isfinite(r)"]
    lines += [ind + t for t in _KEEP_END]
    return "\n".join(lines) + "\n"


def _source(comp, formula: str) -> str:
    ind = " " * 8
    coeff_lines, terms = _coefficient_lines(comp, ind)
    lines = ["def kernel(P, modes, tol, rad, flag):",
             "    n = rad.shape[0]",
             "    nm = modes.shape[0]",
             "    for i in prange(n):"]
    lines += coeff_lines + [ind + t for t in _KEEP_TOP]
    lines += [f"{ind}    c{ci} = {t}" for ci, t in enumerate(terms)]
    args = ", ".join(f"c{ci}" for ci in range(len(terms)))
    lines += [f"{ind}    r, f = {formula}({args}, tol)"]
    lines += [ind + t for t in _KEEP_END]
    return "\n".join(lines) + "\n"


def modes_kernel(comp, complex_modes: bool):
    """The compiled fused kernel ``kernel(P, modes, tol, rad, flag)`` for ``comp`` (None without numba).

    ``P``: the parameter values, shape ``(len(comp.other_names), n)``;
    ``modes``: the mode values (float or complex); writes the largest radius
    over the modes and the refinement flag at each of the ``n`` points.
    Compiled once per polynomial and mode type on this machine (the
    generated source is a module file in the kernel cache,
    :mod:`gametheory.sweep.generated`).
    """
    formula = top_formula(comp.degree, complex_modes)
    ns = compiled_formulas()
    if ns is None or not kernel_applies(comp, complex_modes):
        return None
    key = (tuple(str(c) for c in comp.coeffs), tuple(map(str, comp.other_syms)), str(comp.mode_sym), complex_modes)
    if key not in _KERNELS:
        from .generated import compile_kernel

        src = _source(comp, formula) if formula is not None else _aberth_source(comp)
        _KERNELS[key] = compile_kernel(src, uses_aberth=formula is None, parallel=True, error_model="numpy")
    return _KERNELS[key]
