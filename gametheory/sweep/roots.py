"""Roots of batches of small polynomials: closed forms, their top modulus, and a compiled kernel.

The sweep engine reduces each grid point to a few polynomials of degree <= 4
in ``mu``; this module roots them in closed form, in bulk:

* :func:`poly_roots`: every root (quadratic formula, Cardano with a Newton
  polish, Ferrari through a real resolvent; batched companion ``eigvals``
  above degree 4);
* :func:`max_root_modulus`: only the largest modulus, in real arithmetic,
  with a flag where the top root sits in a cluster (relative width
  :data:`CLUSTER_TOL`), where any float method loses half the digits and
  callers recompute exactly. Real quartics use a numba kernel of the same
  formulas for large batches when numba is installed.

Examples
--------
>>> import numpy as np
>>> rad, clustered = max_root_modulus([np.array([1.0]), np.array([0.0]), np.array([-0.25])])
>>> rad.tolist(), clustered.tolist()
([0.5], [False])
"""
from __future__ import annotations

import os

import numpy as np

from ..exact import companion

#: relative distance under which the top root (or eigenvalue) counts as part of a cluster
CLUSTER_TOL = 1e-6

__all__ = ["poly_roots", "max_root_modulus", "CLUSTER_TOL", "KERNEL_MIN_POINTS"]


def _quadratic(c2, c1, c0):
    """Both roots of ``c2 mu^2 + c1 mu + c0`` (arrays, real or complex), cancellation-free."""
    c2, c1, c0 = (np.asarray(c, dtype=complex) for c in (c2, c1, c0))
    disc = np.sqrt(c1 * c1 - 4 * c2 * c0)
    # pick the sign that avoids cancellation in -c1 -/+ disc
    flip = (c1.real * disc.real + c1.imag * disc.imag) < 0
    disc = np.where(flip, -disc, disc)
    qq = -0.5 * (c1 + disc)
    safe = np.where(qq == 0, 1.0, qq)
    r1 = np.where(qq == 0, 0.0, qq / c2)
    r2 = np.where(qq == 0, 0.0, c0 / safe)
    return np.stack([r1, r2], axis=-1)


def _largest_real_cubic_root(b, c, d):
    """The largest real root of the monic real cubic ``t^3 + b t^2 + c t + d``."""
    P = c - b * b / 3
    Q = 2 * b ** 3 / 27 - b * c / 3 + d
    D = Q * Q / 4 + P ** 3 / 27
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        sq = np.sqrt(np.maximum(D, 0))
        card = np.cbrt(-Q / 2 + sq) + np.cbrt(-Q / 2 - sq)
        Pn = np.minimum(P, -1e-300)
        arg = np.clip(3 * Q / (2 * Pn) * np.sqrt(-3 / Pn), -1, 1)
        trig = 2 * np.sqrt(-Pn / 3) * np.cos(np.arccos(arg) / 3)
    t = np.where(D > 0, card, trig) - b / 3
    for _ in range(2):  # Newton polish (the largest root is simple unless it is a cluster)
        f = ((t + b) * t + c) * t + d
        fp = (3 * t + 2 * b) * t + c
        step = np.where(fp != 0, f / np.where(fp == 0, 1, fp), 0)
        t = np.where(np.isfinite(step), t - step, t)
    return t


def _real_cubic(a2, a1, a0):
    """Roots of the monic real cubic ``mu^3 + a2 mu^2 + a1 mu + a0`` (complex array (P, 3))."""
    t = _largest_real_cubic_root(a2, a1, a0)
    # deflate: mu^3 + a2 mu^2 + a1 mu + a0 = (mu - t)(mu^2 + (a2 + t) mu + (a1 + t (a2 + t)))
    rest = _quadratic(np.ones_like(t), a2 + t, a1 + t * (a2 + t))
    return np.concatenate([t[..., None].astype(complex), rest], axis=-1)


def _ferrari(a3, a2, a1, a0):
    """Ferrari's reduction of the monic real quartic ``mu^4 + a3 mu^3 + a2 mu^2 + a1 mu + a0``.

    ``mu = x - sh`` (``sh = a3/4``) gives ``x^4 + p x^2 + q x + r``; with ``m``
    the largest root of the resolvent ``m^3 + p m^2 + (p^2/4 - r) m - q^2/8``
    (clipped at 0) the quartic is ``(x^2 + p/2 + m)^2 - (w x - k)^2``, ``w =
    sqrt(2m)``, ``k = q / (2w)``: a product of two real quadratics, except
    where ``w`` is ``tiny`` (then ``q == 0``: a biquadratic). Returns
    ``(sh, p, q, r, m_raw, m, w, tiny, k)``, ``m_raw`` the unclipped root.
    """
    sh = a3 / 4
    p = a2 - 6 * sh * sh
    q = a1 - 2 * a2 * sh + 8 * sh ** 3
    r = a0 - a1 * sh + a2 * sh * sh - 3 * sh ** 4
    m_raw = _largest_real_cubic_root(p, p * p / 4 - r, -q * q / 8)
    m = np.maximum(m_raw, 0)
    w = np.sqrt(2 * m)
    tiny = w <= 1e-150 * (1 + np.abs(p))
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(tiny, 0, q / np.where(tiny, 1, 2 * w))
    return sh, p, q, r, m_raw, m, w, tiny, k


def _real_quartic(a3, a2, a1, a0):
    """Roots of the monic real quartic ``mu^4 + a3 mu^3 + a2 mu^2 + a1 mu + a0`` (Ferrari, :func:`_ferrari`)."""
    sh, p, q, r, _, m, w, tiny, k = _ferrari(a3, a2, a1, a0)
    one = np.ones_like(p)
    # biquadratic when m == 0 (then q == 0): x^2 = roots of y^2 + p y + r
    ysq = _quadratic(one, p, r)
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
    real = all(not np.iscomplexobj(c) or not np.any(c.imag) for c in cs)
    if d == 1:
        return (-np.asarray(cs[1], dtype=complex) / cs[0])[..., None]
    if d == 2:
        return _quadratic(*cs)
    if real and d in (3, 4):
        lead = cs[0].real.astype(float)
        mon = [c.real / lead for c in cs[1:]]
        r = _real_cubic(*mon) if d == 3 else _real_quartic(*mon)
        return _polish(r, mon)
    dtype = np.result_type(*cs, float)
    comp = companion(cs, lambda n: np.zeros((n, n) + cs[0].shape, dtype=dtype))
    return np.linalg.eigvals(np.moveaxis(comp, (0, 1), (-2, -1)))


def _real_quadratic_top(a, b):
    """Top root of the monic real quadratic ``x^2 + a x + b``: ``(modulus, re, |im|, disc)``."""
    disc = a * a - 4 * b
    sq = np.sqrt(np.abs(disc))
    cplx = disc < 0
    re = np.where(cplx, -a / 2, -(a + np.copysign(sq, a)) / 2)
    im = np.where(cplx, sq / 2, 0.0)
    mod = np.where(cplx, np.sqrt(np.maximum(b, 0)), np.abs(re))
    return mod, re, im, disc


def _real_top_modulus(coeffs, tol):
    """Largest root modulus of real polynomials of degree 2-4, all in real arithmetic.

    Degree 4: Ferrari's factorisation into two real quadratics (see
    :func:`_real_quartic`); degree 3: the real root and the deflated
    quadratic. Returns ``(radius, clustered)`` like :func:`max_root_modulus`.
    """
    d = len(coeffs) - 1
    lead = coeffs[0]
    mon = [c / lead for c in coeffs[1:]]
    if d == 2:
        mod, _, _, disc = _real_quadratic_top(*mon)
        return mod, np.abs(disc) <= (tol * np.maximum(1, mod)) ** 2, np.zeros(mod.shape, dtype=bool)
    if d == 3:
        a2, a1, a0 = mon
        t = _largest_real_cubic_root(a2, a1, a0)
        facs = [(np.abs(t), t, np.zeros_like(t), np.full_like(t, np.inf)),
                _real_quadratic_top(a2 + t, a1 + t * (a2 + t))]
    else:
        sh, p, q, r, m_raw, m, w, tiny, k = _ferrari(*mon)
        ill = _resolvent_ill(p, p * p / 4 - r, -q * q / 8, m_raw)
        # x^2 -/+ w x + p/2 + m +/- k, shifted back by mu = x - sh:
        # (mu + sh)^2 + c1 (mu + sh) + c0 = mu^2 + (2 sh + c1) mu + (sh^2 + c1 sh + c0)
        # (biquadratic case m == 0 handled by the same formulas: w = k = 0 only when q == 0,
        #  then x^4 + p x^2 + r = (x^2 + p/2)^2 - (p^2/4 - r): use its exact real factorisation)
        disc_b = p * p / 4 - r
        sb = np.sqrt(np.abs(disc_b))
        c0a = np.where(tiny, np.where(disc_b >= 0, p / 2 + sb, p / 2), p / 2 + m + k)
        c0b = np.where(tiny, np.where(disc_b >= 0, p / 2 - sb, p / 2), p / 2 + m - k)
        # when disc_b < 0 and q == 0 the roots x^2 = -p/2 +/- i sb: |x|^2 = sqrt(p^2/4 + sb^2) = sqrt(r)
        c1a = np.where(tiny, np.where(disc_b >= 0, 0.0, np.sqrt(np.maximum(2 * np.sqrt(np.maximum(r, 0)) - p, 0))), -w)
        c1b = np.where(tiny, -c1a, w)
        c0a = np.where(tiny & (disc_b < 0), np.sqrt(np.maximum(r, 0)), c0a)
        c0b = np.where(tiny & (disc_b < 0), np.sqrt(np.maximum(r, 0)), c0b)
        facs = [_real_quadratic_top(2 * sh + c1, sh * sh + c1 * sh + c0) for c1, c0 in ((c1a, c0a), (c1b, c0b))]
    (m1, re1, im1, d1), (m2, re2, im2, d2) = facs
    first = m1 >= m2
    rad = np.where(first, m1, m2)
    scale = tol * np.maximum(1, rad)
    own = np.abs(np.where(first, d1, d2)) <= scale * scale
    across = np.hypot(re1 - re2, im1 - im2) <= scale
    if d == 4:
        return rad, own | across, ill
    return rad, own | across, np.zeros(rad.shape, dtype=bool)


def _resolvent_ill(b, c, d, t, tol=1e-4):
    """Where the largest root ``t`` of the resolvent ``t^3 + b t^2 + c t + d`` is nearly double.

    There Ferrari's factorisation is only good to about half the digits even
    when the quartic's own roots are well separated (e.g. two conjugate pairs
    of equal modulus: the optimum of many rate problems); such points are
    recomputed with Newton-polished roots (:func:`max_root_modulus`). The
    other two roots are those of the deflated quadratic
    ``x^2 + (b + t) x + (c + t (b + t))``.
    """
    bb = b + t
    cc = c + t * bb
    disc = bb * bb - 4 * cc
    other = (-bb + np.sqrt(np.maximum(disc, 0))) / 2
    return (disc >= 0) & (np.abs(t - other) <= tol * np.maximum(1, np.abs(t)))


# ------------------------------------------------------- optional compiled kernel
_KERNEL = None
KERNEL_MIN_POINTS = 200_000  # smaller sweeps (points x modes): NumPy (numba compiles in seconds)


def _numba_quartic_kernel():
    """The degree-4 branch of :func:`_real_top_modulus` compiled with numba (None without numba).

    Same formulas, one grid point at a time, in parallel; the NumPy path stays
    the reference (tests compare the two). Set ``GAMETHEORY_NO_NUMBA=1`` to
    disable.
    """
    global _KERNEL
    if _KERNEL is not None:
        return _KERNEL or None
    if os.environ.get("GAMETHEORY_NO_NUMBA"):
        _KERNEL = False
        return None
    try:
        import numba
    except ImportError:
        _KERNEL = False
        return None
    import math

    @numba.njit(cache=False, inline="always")
    def cubic_top(b, c, d):
        P = c - b * b / 3.0
        Q = 2.0 * b ** 3 / 27.0 - b * c / 3.0 + d
        D = Q * Q / 4.0 + P ** 3 / 27.0
        if D > 0:
            sq = math.sqrt(D)
            u, v = -Q / 2.0 + sq, -Q / 2.0 - sq
            t = math.copysign(abs(u) ** (1.0 / 3.0), u) + math.copysign(abs(v) ** (1.0 / 3.0), v)
        else:
            Pn = min(P, -1e-300)
            arg = 3.0 * Q / (2.0 * Pn) * math.sqrt(-3.0 / Pn)
            arg = min(1.0, max(-1.0, arg))
            t = 2.0 * math.sqrt(-Pn / 3.0) * math.cos(math.acos(arg) / 3.0)
        t -= b / 3.0
        for _ in range(2):
            f = ((t + b) * t + c) * t + d
            fp = (3.0 * t + 2.0 * b) * t + c
            if fp != 0.0:
                step = f / fp
                if math.isfinite(step):
                    t -= step
        return t

    @numba.njit(cache=False, inline="always")
    def quad_top(a, b):
        disc = a * a - 4.0 * b
        sq = math.sqrt(abs(disc))
        if disc < 0:
            return math.sqrt(max(b, 0.0)), -a / 2.0, sq / 2.0, disc
        re = -(a + math.copysign(sq, a)) / 2.0
        return abs(re), re, 0.0, disc

    @numba.njit(parallel=True, cache=False)
    def kernel(c4, c3, c2, c1, c0, tol, rad, flag, ill):
        for i in numba.prange(rad.size):
            lead = c4[i]
            a3, a2, a1, a0 = c3[i] / lead, c2[i] / lead, c1[i] / lead, c0[i] / lead
            sh = a3 / 4.0
            p = a2 - 6.0 * sh * sh
            q = a1 - 2.0 * a2 * sh + 8.0 * sh ** 3
            r = a0 - a1 * sh + a2 * sh * sh - 3.0 * sh ** 4
            rb, rc, rd = p, p * p / 4.0 - r, -q * q / 8.0
            m_raw = cubic_top(rb, rc, rd)
            m = max(m_raw, 0.0)
            bd = rb + m_raw
            cd = rc + m_raw * bd
            dq = bd * bd - 4.0 * cd
            ill[i] = dq >= 0 and abs(m_raw - (-bd + math.sqrt(max(dq, 0.0))) / 2.0) <= 1e-4 * max(1.0, abs(m_raw))
            w = math.sqrt(2.0 * m)
            if w <= 1e-150 * (1.0 + abs(p)):
                disc_b = p * p / 4.0 - r
                if disc_b >= 0:
                    sb = math.sqrt(disc_b)
                    c1a, c0a, c1b, c0b = 0.0, p / 2.0 + sb, 0.0, p / 2.0 - sb
                else:
                    sr = math.sqrt(max(r, 0.0))
                    al = math.sqrt(max(2.0 * sr - p, 0.0))
                    c1a, c0a, c1b, c0b = al, sr, -al, sr
            else:
                k = q / (2.0 * w)
                c1a, c0a, c1b, c0b = -w, p / 2.0 + m + k, w, p / 2.0 + m - k
            m1, re1, im1, d1 = quad_top(2.0 * sh + c1a, sh * sh + c1a * sh + c0a)
            m2, re2, im2, d2 = quad_top(2.0 * sh + c1b, sh * sh + c1b * sh + c0b)
            top = m1 if m1 >= m2 else m2
            dd = d1 if m1 >= m2 else d2
            scale = tol * max(1.0, top)
            rad[i] = top
            flag[i] = abs(dd) <= scale * scale or math.hypot(re1 - re2, im1 - im2) <= scale

    _KERNEL = kernel
    return kernel


def max_root_modulus(coeffs, cluster_tol: float = CLUSTER_TOL, use_kernel: bool | None = None):
    """Largest root modulus of a batch of polynomials and a cluster flag.

    Real quartics use a numba kernel when numba is installed and ``use_kernel``
    is True, or, by default (None), for batches of at least
    ``KERNEL_MIN_POINTS`` points, where its one-off compilation (seconds)
    pays off; else the NumPy closed forms. Returns ``(radius, clustered)``: ``clustered`` marks points whose top root
    has another root within ``cluster_tol * max(1, radius)``, where float
    roots lose accuracy (callers recompute those exactly).
    """
    cs = np.broadcast_arrays(*[np.asarray(c) for c in coeffs])
    if 2 <= len(cs) - 1 <= 4 and not any(np.iscomplexobj(c) for c in cs):
        if use_kernel is None:
            use_kernel = cs[0].size >= KERNEL_MIN_POINTS
        kernel = _numba_quartic_kernel() if len(cs) == 5 and cs[0].ndim == 1 and use_kernel else None
        if kernel is not None:
            rad = np.empty(cs[0].shape)
            flag = np.empty(cs[0].shape, dtype=bool)
            ill = np.empty(cs[0].shape, dtype=bool)
            kernel(*[np.ascontiguousarray(c, dtype=float) for c in cs], float(cluster_tol), rad, flag, ill)
        else:
            rad, flag, ill = _real_top_modulus([c.astype(float) for c in cs], cluster_tol)
        if ill.any():  # Ferrari ill-conditioned: Newton-polished roots there
            sub = [np.asarray(c)[ill] if np.ndim(c) else c for c in cs]
            r2, f2 = _from_roots(poly_roots(sub), cluster_tol)
            rad, flag = rad.copy(), flag.copy()
            rad[ill], flag[ill] = r2, f2
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
    return rad, near.sum(axis=-1) > 1
