"""Roots of batches of small polynomials: closed forms, their top modulus, and compiled kernels.

The sweep engine reduces each grid point to a few polynomials of degree <= 4
in ``mu``; this module roots them in closed form, in bulk:

* :func:`poly_roots`: every root (quadratic formula, Cardano with a Newton
  polish, Ferrari through a real resolvent; batched companion ``eigvals``
  above degree 4);
* :func:`max_root_modulus`: only the largest modulus, in real arithmetic,
  with a flag where the top root sits in a cluster (relative width
  :data:`CLUSTER_TOL`), where any float method loses half the digits, or
  where floats lose the magnitude (overflow, or a result outside
  ``[1e-100, 1e100]``): callers recompute those exactly.

**One formula per closed form.** The top-modulus formulas (:func:`quad_top`,
:func:`cubic_root`, :func:`ferrari`, :func:`top2`, :func:`top3`,
:func:`top4`, :func:`ctop2`) are written once, branch-free, against a few
primitives (``where``, ``sqrt``, ``absolute``, ``maximum``, ...). NumPy
evaluates them on whole arrays (the primitives are NumPy's ufuncs); the
compiled kernels of :mod:`gametheory.sweep.kernels` are the *same function
objects' code* rebound to scalar primitives and compiled with numba
(:func:`compiled_formulas`), so the two paths cannot drift apart (tested
against each other and against ``numpy.linalg.eigvals``).

Examples
--------
>>> import numpy as np
>>> rad, clustered = max_root_modulus([np.array([1.0]), np.array([0.0]), np.array([-0.25])])
>>> rad.tolist(), clustered.tolist()
([0.5], [False])
"""
from __future__ import annotations

import math
import os
import types

import numpy as np

from ..exact import companion

#: relative distance under which the top root (or eigenvalue) counts as part of a cluster
CLUSTER_TOL = 1e-6
#: radii outside [TINY, HUGE] are recomputed exactly (float formulas may lose the magnitude there)
TINY, HUGE = 1e-100, 1e100
#: smaller sweeps (points x modes) use NumPy: numba compiles in seconds
KERNEL_MIN_POINTS = 200_000

__all__ = ["poly_roots", "max_root_modulus", "CLUSTER_TOL", "KERNEL_MIN_POINTS", "compiled_formulas",
           "quad_top", "cubic_root", "ferrari", "top2", "top3", "top4", "ctop2", "FORMULAS"]

# ------------------------------------------------- primitives (NumPy; scalar versions for numba below)
where = np.where
sqrt = np.sqrt
absolute = np.abs
maximum = np.maximum
minimum = np.minimum
copysign = np.copysign
cbrt = np.cbrt
arccos = np.arccos
cos = np.cos
hypot = np.hypot
isfinite = np.isfinite
csqrt = np.sqrt
real = np.real
imag = np.imag


def select(cond, f_true, f_false, *args):
    """``f_true(*args)`` where ``cond``, else ``f_false(*args)`` (NumPy: both, then ``where``; compiled: one)."""
    return np.where(cond, f_true(*args), f_false(*args))


# ------------------------------------------------------------ the formulas (written once)
def quad_top(a, b):
    """Top root of the monic real quadratic ``x^2 + a x + b``: ``(modulus, re, |im|, disc)``.

    Real roots: ``-(a + sign(a) sqrt(disc)) / 2`` is the larger in modulus (no
    cancellation); a complex pair has modulus ``sqrt(b)``.
    """
    disc = a * a - 4.0 * b
    sq = sqrt(absolute(disc))
    cplx = disc < 0.0
    re = where(cplx, -a / 2.0, -(a + copysign(sq, a)) / 2.0)
    im = where(cplx, sq / 2.0, 0.0)
    mod = where(cplx, sqrt(maximum(b, 0.0)), absolute(re))
    return mod, re, im, disc


def cardano(P, Q, D):
    """The real root of the depressed cubic ``x^3 + P x + Q`` when ``D = Q^2/4 + P^3/27 > 0``."""
    sq = sqrt(maximum(D, 0.0))
    return cbrt(-Q / 2.0 + sq) + cbrt(-Q / 2.0 - sq)


def trigonometric(P, Q, D):
    """The largest of the three real roots of ``x^3 + P x + Q`` when ``D <= 0`` (Viete)."""
    Pn = minimum(P, -1e-300)
    arg = minimum(maximum(3.0 * Q / (2.0 * Pn) * sqrt(-3.0 / Pn), -1.0), 1.0)
    return 2.0 * sqrt(-Pn / 3.0) * cos(arccos(arg) / 3.0)


def cubic_root(b, c, d):
    """The largest real root of the monic real cubic ``t^3 + b t^2 + c t + d`` (Cardano / trigonometric, Newton-polished)."""
    P = c - b * b / 3.0
    Q = 2.0 * b * b * b / 27.0 - b * c / 3.0 + d
    D = Q * Q / 4.0 + P * P * P / 27.0
    t = select(D > 0.0, cardano, trigonometric, P, Q, D) - b / 3.0
    for _ in range(2):  # Newton polish (the largest root is simple unless it is a cluster)
        f = ((t + b) * t + c) * t + d
        fp = (3.0 * t + 2.0 * b) * t + c
        ok = fp != 0.0
        step = f / where(ok, fp, 1.0)
        t = where(ok & isfinite(step), t - step, t)
    return t


def ferrari(a3, a2, a1, a0):
    """Ferrari's reduction of the monic real quartic ``mu^4 + a3 mu^3 + a2 mu^2 + a1 mu + a0``.

    ``mu = x - sh`` (``sh = a3/4``) gives ``x^4 + p x^2 + q x + r``; with ``m``
    the largest root of the resolvent ``m^3 + p m^2 + (p^2/4 - r) m - q^2/8``
    (clipped at 0) the quartic is ``(x^2 + p/2 + m)^2 - (w x - k)^2``,
    ``w = sqrt(2m)``, ``k = q / (2w)``: a product of two real quadratics,
    except where ``w`` is ``tiny`` (then ``q == 0``: a biquadratic). Returns
    ``(sh, p, q, r, m_raw, m, w, tiny, k, ill)``; ``ill`` marks a nearly
    double resolvent root, where the factorisation keeps only half the
    digits even for well-separated roots (those points are recomputed).
    """
    sh = a3 / 4.0
    p = a2 - 6.0 * sh * sh
    q = a1 - 2.0 * a2 * sh + 8.0 * sh * sh * sh
    r = a0 - a1 * sh + a2 * sh * sh - 3.0 * sh * sh * sh * sh
    rc = p * p / 4.0 - r
    m_raw = cubic_root(p, rc, -q * q / 8.0)
    m = maximum(m_raw, 0.0)
    w = sqrt(2.0 * m)
    tiny = w <= 1e-150 * (1.0 + absolute(p))
    k = where(tiny, 0.0, q / where(tiny, 1.0, 2.0 * w))
    # the other two resolvent roots: those of t^2 + (p + m_raw) t + (rc + m_raw (p + m_raw))
    bb = p + m_raw
    dq = bb * bb - 4.0 * (rc + m_raw * bb)
    ill = (dq >= 0.0) & (absolute(m_raw - (-bb + sqrt(maximum(dq, 0.0))) / 2.0) <= 1e-4 * maximum(1.0, absolute(m_raw)))
    return sh, p, q, r, m_raw, m, w, tiny, k, ill


def _suspect(rad):
    """Radii that floats may have got wrong in magnitude: not finite, or outside [TINY, HUGE]."""
    return ~isfinite(rad) | (rad > HUGE) | ((rad < TINY) & (rad > 0.0))


def top2(c2, c1, c0, tol):
    """``(radius, flag)`` of ``c2 mu^2 + c1 mu + c0`` (real); ``flag``: a double root or a suspect value."""
    mod, _, _, disc = quad_top(c1 / c2, c0 / c2)
    scale = tol * maximum(1.0, mod)
    return mod, (absolute(disc) <= scale * scale) | _suspect(mod)


def _top_of_two(m1, re1, im1, d1, m2, re2, im2, d2, tol):
    first = m1 >= m2
    rad = where(first, m1, m2)
    scale = tol * maximum(1.0, rad)
    own = absolute(where(first, d1, d2)) <= scale * scale
    across = hypot(re1 - re2, im1 - im2) <= scale
    return rad, own | across | _suspect(rad)


def top3(c3, c2, c1, c0, tol):
    """``(radius, flag)`` of a real cubic: its largest real root and the deflated quadratic."""
    a2, a1, a0 = c2 / c3, c1 / c3, c0 / c3
    t = cubic_root(a2, a1, a0)
    m2, re2, im2, d2 = quad_top(a2 + t, a1 + t * (a2 + t))
    return _top_of_two(absolute(t), t, 0.0 * t, 1e300 + 0.0 * t, m2, re2, im2, d2, tol)


def top4(c4, c3, c2, c1, c0, tol):
    """``(radius, flag)`` of a real quartic by Ferrari's factorisation into two real quadratics.

    ``x^2 -/+ w x + p/2 + m +/- k`` shifted back by ``mu = x - sh``:
    ``(mu + sh)^2 + c1 (mu + sh) + c0 = mu^2 + (2 sh + c1) mu + (sh^2 + c1 sh + c0)``. The
    biquadratic case (``q == 0``) uses the exact real factorisation of
    ``(x^2 + p/2)^2 - (p^2/4 - r)``; when ``p^2/4 < r`` its roots have
    ``|x|^2 = sqrt(r)``. ``flag`` also marks an ill-conditioned resolvent.
    """
    sh, p, q, r, m_raw, m, w, tiny, k, ill = ferrari(c3 / c4, c2 / c4, c1 / c4, c0 / c4)
    disc_b = p * p / 4.0 - r
    sb = sqrt(absolute(disc_b))
    sr = sqrt(maximum(r, 0.0))
    al = sqrt(maximum(2.0 * sr - p, 0.0))
    pos = disc_b >= 0.0
    c1a = where(tiny, where(pos, 0.0, al), -w)
    c1b = where(tiny, -c1a, w)
    c0a = where(tiny, where(pos, p / 2.0 + sb, sr), p / 2.0 + m + k)
    c0b = where(tiny, where(pos, p / 2.0 - sb, sr), p / 2.0 + m - k)
    m1, re1, im1, d1 = quad_top(2.0 * sh + c1a, sh * sh + c1a * sh + c0a)
    m2, re2, im2, d2 = quad_top(2.0 * sh + c1b, sh * sh + c1b * sh + c0b)
    rad, flag = _top_of_two(m1, re1, im1, d1, m2, re2, im2, d2, tol)
    return rad, flag | ill


def ctop2(c2, c1, c0, tol):
    """``(radius, flag)`` of ``c2 mu^2 + c1 mu + c0`` with complex coefficients (cancellation-free formula)."""
    disc = csqrt(c1 * c1 - 4.0 * c2 * c0)
    flip = (real(c1) * real(disc) + imag(c1) * imag(disc)) < 0.0
    disc = where(flip, -disc, disc)
    qq = -0.5 * (c1 + disc)
    zero = qq == 0.0
    r1 = where(zero, 0.0 * qq, qq / c2)
    r2 = where(zero, 0.0 * qq, c0 / where(zero, 1.0 + 0.0 * qq, qq))
    a1, a2 = absolute(r1), absolute(r2)
    rad = maximum(a1, a2)
    return rad, (absolute(r1 - r2) <= tol * maximum(1.0, rad)) | _suspect(rad)


def ctop1(c1, c0, tol):
    """``(radius, flag)`` of ``c1 mu + c0`` (complex)."""
    rad = absolute(c0 / c1)
    return rad, _suspect(rad)


#: the formulas, in dependency order (callees first), as the compiled kernels rebind them
FORMULAS = (quad_top, cardano, trigonometric, cubic_root, ferrari, _suspect, top2, _top_of_two, top3, top4, ctop2, ctop1)


# ------------------------------------------------------------- compiled copies of the formulas
_COMPILED = None


def numba_available() -> bool:
    """numba is installed and not disabled (``GAMETHEORY_NO_NUMBA=1``)."""
    if os.environ.get("GAMETHEORY_NO_NUMBA"):
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def compiled_formulas():
    """The formulas of this module compiled for scalars with numba (a namespace dict), or None.

    Each formula's code object is re-bound to a namespace where the
    primitives are scalar functions (``where(c, a, b)`` is ``a if c else b``,
    ``sqrt`` is ``math.sqrt``, ...) and compiled with ``numba.njit``
    (``error_model="numpy"``: IEEE results instead of exceptions, as with
    NumPy arrays). Same formulas, evaluated one point at a time.
    """
    global _COMPILED
    if _COMPILED is not None:
        return _COMPILED or None
    if not numba_available():
        _COMPILED = False
        return None
    import cmath

    import numba

    jit = numba.njit(inline="always", error_model="numpy", cache=False)

    def _where(c, a, b):
        return a if c else b

    def _cbrt(x):
        return math.copysign(abs(x) ** (1.0 / 3.0), x)

    def _max(a, b):
        return a if a >= b else b

    def _min(a, b):
        return a if a <= b else b

    def _csqrt(z):
        return cmath.sqrt(z)

    def _real(z):
        return z.real

    def _imag(z):
        return z.imag

    def _isfinite(x):
        return math.isfinite(x)

    def _select(cond, f_true, f_false, a, b, c):
        return f_true(a, b, c) if cond else f_false(a, b, c)

    ns = {"math": math, "cmath": cmath, "HUGE": HUGE, "TINY": TINY}
    for name, fn in (("where", _where), ("cbrt", _cbrt), ("maximum", _max), ("minimum", _min),
                     ("csqrt", _csqrt), ("real", _real), ("imag", _imag), ("isfinite", _isfinite),
                     ("select", _select)):
        ns[name] = jit(fn)
    for name, fn in (("sqrt", math.sqrt), ("absolute", abs), ("copysign", math.copysign), ("arccos", math.acos),
                     ("cos", math.cos), ("hypot", math.hypot)):
        ns[name] = fn
    for f in FORMULAS:
        g = types.FunctionType(f.__code__, ns, f.__name__, f.__defaults__, f.__closure__)
        ns[f.__name__] = jit(g)
    _COMPILED = ns
    return ns


# ------------------------------------------------------------------ all roots
def _quadratic(c2, c1, c0):
    """Both roots of ``c2 mu^2 + c1 mu + c0`` (arrays, real or complex), cancellation-free."""
    c2, c1, c0 = (np.asarray(c, dtype=complex) for c in (c2, c1, c0))
    disc = np.sqrt(c1 * c1 - 4 * c2 * c0)
    flip = (c1.real * disc.real + c1.imag * disc.imag) < 0  # the sign that avoids cancellation
    disc = np.where(flip, -disc, disc)
    qq = -0.5 * (c1 + disc)
    safe = np.where(qq == 0, 1.0, qq)
    r1 = np.where(qq == 0, 0.0, qq / c2)
    r2 = np.where(qq == 0, 0.0, c0 / safe)
    return np.stack([r1, r2], axis=-1)


def _real_cubic(a2, a1, a0):
    """Roots of the monic real cubic ``mu^3 + a2 mu^2 + a1 mu + a0`` (complex array (P, 3))."""
    t = cubic_root(a2, a1, a0)
    # deflate: mu^3 + a2 mu^2 + a1 mu + a0 = (mu - t)(mu^2 + (a2 + t) mu + (a1 + t (a2 + t)))
    rest = _quadratic(np.ones_like(t), a2 + t, a1 + t * (a2 + t))
    return np.concatenate([t[..., None].astype(complex), rest], axis=-1)


def _real_quartic(a3, a2, a1, a0):
    """Roots of the monic real quartic ``mu^4 + a3 mu^3 + a2 mu^2 + a1 mu + a0`` (Ferrari, :func:`ferrari`)."""
    sh, p, q, r, _, m, w, tiny, k, _ = ferrari(a3, a2, a1, a0)
    one = np.ones_like(p)
    ysq = _quadratic(one, p, r)  # biquadratic when m == 0 (then q == 0): x^2 = roots of y^2 + p y + r
    biq = np.concatenate([np.sqrt(ysq), -np.sqrt(ysq)], axis=-1)
    r1 = _quadratic(one, -w, p / 2 + m + k)
    r2 = _quadratic(one, w, p / 2 + m - k)
    x = np.where(tiny[..., None], biq, np.concatenate([r1, r2], axis=-1))
    return x - sh[..., None]


def _polish(roots, coeffs):
    """One Newton step per root on the monic polynomial, kept only where it lowers ``|p|``."""
    def ev(z):
        pv = np.ones_like(z)
        dv = np.zeros_like(z)
        for c in coeffs:
            dv = dv * z + pv
            pv = pv * z + c[..., None]
        return pv, dv

    pv, dv = ev(roots)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        new = roots - pv / dv
    ok = np.isfinite(new)
    new = np.where(ok, new, roots)
    pn, _ = ev(new)
    better = np.abs(pn) < np.abs(pv)
    return np.where(better, new, roots)


def poly_roots(coeffs) -> np.ndarray:
    """All roots of a batch of polynomials, ``coeffs`` highest degree first.

    Parameters
    ----------
    coeffs : sequence of arrays (broadcastable, real or complex)
        ``c_d, ..., c_0`` of ``c_d mu^d + ... + c_0``; ``c_d`` must be nonzero.

    Returns
    -------
    numpy.ndarray
        Complex roots, shape ``broadcast_shape + (d,)``. Degrees 1-2 (complex
        coefficients too) and 3-4 (real coefficients) use closed forms polished
        by a Newton step; anything else uses batched companion ``eigvals``.

    Examples
    --------
    >>> np.sort_complex(poly_roots([1, 0, -1])).real.tolist()
    [-1.0, 1.0]
    """
    cs = np.broadcast_arrays(*[np.asarray(c) for c in coeffs])
    d = len(cs) - 1
    if d < 1:
        return np.zeros(cs[0].shape + (0,), dtype=complex)
    real_ = all(not np.iscomplexobj(c) or not np.any(c.imag) for c in cs)
    if d == 1:
        return (-np.asarray(cs[1], dtype=complex) / cs[0])[..., None]
    if d == 2:
        return _quadratic(*cs)
    if real_ and d in (3, 4):
        lead = cs[0].real.astype(float)
        mon = [c.real / lead for c in cs[1:]]
        with np.errstate(all="ignore"):
            r = _real_cubic(*mon) if d == 3 else _real_quartic(*mon)
        return _polish(r, mon)
    dtype = np.result_type(*cs, float)
    comp = companion(cs, lambda n: np.zeros((n, n) + cs[0].shape, dtype=dtype))
    return np.linalg.eigvals(np.moveaxis(comp, (0, 1), (-2, -1)))


# ------------------------------------------------------------------ top modulus
def top_formula(degree: int, complex_coeffs: bool):
    """The name of the top-modulus formula for a polynomial of this degree, or None (no closed form)."""
    if complex_coeffs:
        return {1: "ctop1", 2: "ctop2"}.get(degree)
    return {1: "ctop1", 2: "top2", 3: "top3", 4: "top4"}.get(degree)


def max_root_modulus(coeffs, cluster_tol: float = CLUSTER_TOL, use_kernel=None):
    """Largest root modulus of a batch of polynomials and a flag.

    Returns ``(radius, flagged)``: ``flagged`` marks points whose top root has
    another root within ``cluster_tol * max(1, radius)`` (float roots lose
    accuracy there), an ill-conditioned Ferrari resolvent, or a radius floats
    may have wrong in magnitude (not finite, or outside ``[1e-100, 1e100]``);
    callers recompute those exactly. Degrees 1-4 (real) and 1-2 (complex) use
    the closed-form formulas of this module (``use_kernel`` is accepted for
    compatibility: the fused compiled kernels live in
    :mod:`gametheory.sweep.kernels`); others the roots of :func:`poly_roots`.
    """
    cs = np.broadcast_arrays(*[np.asarray(c) for c in coeffs])
    cplx = any(np.iscomplexobj(c) and np.any(c.imag) for c in cs)
    name = top_formula(len(cs) - 1, cplx)
    if name is not None:
        fn = globals()[name]
        args = [c.astype(complex if cplx or name == "ctop1" else float) for c in cs]
        with np.errstate(all="ignore"):
            rad, flag = fn(*args, cluster_tol)
        return np.asarray(rad, dtype=float), np.asarray(flag, dtype=bool)
    finite = np.logical_and.reduce([np.isfinite(c) for c in cs])
    if not finite.all():  # overflowed coefficients: no float roots; the caller recomputes exactly
        rad, flag = np.full(cs[0].shape, np.inf), np.ones(cs[0].shape, dtype=bool)
        if finite.any():
            rad[finite], flag[finite] = _from_roots(poly_roots([c[finite] for c in cs]), cluster_tol)
        return rad, flag
    return _from_roots(poly_roots(cs), cluster_tol)


def _from_roots(roots, cluster_tol):
    if roots.shape[-1] == 0:
        shape = roots.shape[:-1]
        return np.zeros(shape), np.zeros(shape, dtype=bool)
    mod = np.abs(roots)
    top = np.argmax(mod, axis=-1)
    lead = np.take_along_axis(roots, top[..., None], axis=-1)
    rad = np.take_along_axis(mod, top[..., None], axis=-1)[..., 0]
    near = np.abs(roots - lead) <= cluster_tol * np.maximum(1.0, rad)[..., None]
    with np.errstate(all="ignore"):
        return rad, (near.sum(axis=-1) > 1) | _suspect(rad)
