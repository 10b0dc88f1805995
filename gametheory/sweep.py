"""Fast spectral sweeps: spectral radii over parameter grids of any size.

:func:`sweep_radius` returns the same array as the grid path of
:func:`gametheory.spectral_radius` (explicit augmented matrix +
``numpy.linalg.eigvals``) but reduces the work per grid point from one
``N x N`` eigenvalue problem to a few roots of small scalar polynomials.
Three paths, chosen by :func:`choose_path`:

``"spectral"`` -- simultaneous linear methods (spectral mapping)
    For a method whose augmented Jacobian is a block matrix with blocks that
    are polynomials in ``J`` (GD, heavy ball, EG, OGD, past EG in the
    simultaneous order with one step size), the blocks commute, so
    ``det(mu I - M) = prod_{lambda in Sp(J)} q(mu, lambda)``. The scalar
    polynomial ``q`` is *derived*, not typed in: the method is run on the
    decoupled "game" ``v(a, b) = (l1 a, l2 b)`` and ``q(mu, l1)`` is the part of
    the characteristic polynomial that involves ``l1`` only. Whether ``M``
    really is a function of ``J`` is then checked exactly: the resultant
    ``Res_lambda(det(lambda I - J), q(mu, lambda))`` must equal the method's
    characteristic polynomial on two random non-normal affine games. Heavy
    ball gives ``q = mu^2 - (1 + beta - eta lambda) mu + beta`` (Gidel et al.,
    AISTATS 2019, Sec. 4; the slides' ``mu_pm``).
``"bilinear"`` -- bilinear games, every method and order
    ``min_x max_y x'Ay`` decouples into one ``2 x 2`` block per singular value
    ``sigma`` of ``A`` (every rule is equivariant under orthogonal changes of
    each player's coordinates), for alternating methods too. The block's
    characteristic polynomial is ``Derivation.singular_value_charpoly``
    (degree <= 4 here), compiled into coefficient arrays and rooted in closed
    form. A zero singular value or a non-square ``A`` leaves uncoupled
    coordinates with ``v == 0``; their modes are derived the same way, from the
    method on a ``2 x 1`` (``1 x 2``) game, divided by the ``sigma`` block.
``"general"`` -- everything else
    Batched ``eigvals`` of the compiled augmented Jacobian.

Every path works in chunks of grid points taken straight from the broadcast
parameter arrays (never materialised), so the working memory is bounded by
``chunk_points`` whatever the grid size; only the output array (8 bytes a
point, or an ``out=`` array you pass) grows with the grid.

Precision. Roots of degree <= 4 come from closed forms (quadratic formula,
Cardano, Ferrari through a real resolvent) polished by Newton steps, so simple
roots are accurate to rounding. At a repeated root any float method loses half
the digits; such points (top root in a cluster of relative width
``CLUSTER_TOL``) are recomputed from the exact polynomial with mpmath at 50
digits (as in :func:`gametheory.spectral._grid_radius`).

Example
-------
>>> import numpy as np, gametheory as gt
>>> from gametheory.sweep import sweep_radius
>>> g = gt.games.bilinear([[1, 0], [0, 2]])
>>> m = gt.methods.get("momentum", order="alternating")
>>> r = sweep_radius(g, m, eta=np.linspace(0.1, 1, 5)[:, None], beta=np.linspace(-0.9, 0.5, 7))
>>> r.shape
(5, 7)
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from .backends import lambdify_matrix
from .derive import MU, PARAM_SYMBOLS, SIGMA, derive
from .exact import mp_roots
from .methods import SIM, Method
from .spectral import CONTINUOUS, _eig_radius, _refine_clusters, _symbolic, continuous_values
from .validation import fail

LAMBDA = sp.Symbol("lambda")        # an eigenvalue of J (complex)
CHUNK_POINTS = 1 << 15              # grid points per chunk (working memory ~ a few MB per mode)
GENERAL_CHUNK_ENTRIES = 1 << 21     # matrix entries per eigvals batch on the general path
CLUSTER_TOL = 1e-6                  # relative root distance under which the top root is refined exactly
PATHS = ("auto", "spectral", "bilinear", "general")

__all__ = ["sweep_radius", "choose_path", "scalar_polynomial", "bilinear_polynomials",
           "poly_roots", "max_root_modulus", "LAMBDA", "PATHS"]


# ------------------------------------------------------------------ roots
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

    Example
    -------
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
    lead = np.asarray(cs[0])
    mon = [np.asarray(c) / lead for c in cs[1:]]
    comp = np.zeros(cs[0].shape + (d, d), dtype=np.result_type(*mon, float))
    for i, c in enumerate(mon):
        comp[..., 0, i] = -c
    if d > 1:
        idx = np.arange(d - 1)
        comp[..., idx + 1, idx] = 1
    return np.linalg.eigvals(comp)


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


# ------------------------------------------------------- derived polynomials
def _params_for(method):
    return {k: v for k, v in method.bound if k in method.spec.integer_params}


def _poly_in_mu(expr) -> sp.Poly:
    num, _ = sp.fraction(sp.together(sp.expand(expr)))
    return sp.Poly(sp.expand(num), MU)


def _linear_field_game(J):
    """A game with field ``v(z) = J z`` (exact ``J``, split ``nx`` / ``ny`` by rows)."""
    from .games import Game

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
        d = derive(method, game, _bilinear_block=False, **_params_for(method), **kw)
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
            full = derive(method, g, _bilinear_block=False, **_params_for(method), **kw).charpoly
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

    Example
    -------
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
    from .games import bilinear

    kw = {k: PARAM_SYMBOLS[k] for k in extras}
    st = _params_for(method)

    def cp(A):
        return derive(method, bilinear(A), two_timescale=True, _bilinear_block=False, **st, **kw).charpoly

    block = sp.factor(cp([[SIGMA]]))
    x_mode = sp.factor(sp.cancel(cp([[SIGMA], [0]]) / block))
    y_mode = sp.factor(sp.cancel(cp([[SIGMA, 0]]) / block))
    for e in (x_mode, y_mode):
        if SIGMA in e.free_symbols or sp.fraction(sp.together(e))[1].has(MU):  # pragma: no cover
            raise RuntimeError(f"{method!r}: uncoupled modes depend on sigma")
    return BilinearPolynomials(sp.expand(block), sp.expand(x_mode), sp.expand(y_mode))


def bilinear_polynomials(method: Method, extras=()) -> BilinearPolynomials:
    """Derived per-singular-value and uncoupled-mode polynomials (two step sizes ``eta_x``, ``eta_y``).

    Example
    -------
    >>> import gametheory as gt
    >>> bilinear_polynomials(gt.methods.get("gd", order="alternating")).x_mode
    mu - 1
    """
    return _bilinear_polynomials(method, tuple(sorted(extras)))


class _Compiled:
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
        # strip roots at zero (they never set the radius)
        while len(coeffs) > 1 and sp.simplify(coeffs[-1]) == 0:
            coeffs = coeffs[:-1]
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


# ------------------------------------------------------------ path choice
def _extras(params):
    return tuple(k for k in ("eta_extrap",) if params.get(k) is not None)


def _one_step_size(method, params):
    merged = {**dict(method.bound), **{k: v for k, v in params.items() if v is not None}}
    return "eta_x" not in merged and "eta_y" not in merged


def _spectral_applies(method, params) -> bool:
    return _one_step_size(method, params) and scalar_polynomial(method, _extras(params)) is not None


def _bilinear_applies(game) -> bool:
    return game.kind == "bilinear" and "A" in game.data and game.is_affine


def choose_path(game, method, **params) -> str:
    """The fastest exact-equivalent path for a sweep: ``"spectral"``, ``"bilinear"`` or ``"general"``.

    ``"spectral"`` for simultaneous methods that are functions of ``J`` with
    one step size (checked by :func:`scalar_polynomial`; any game, since such
    rules only evaluate ``v`` at points that coincide with the equilibrium
    there, so the augmented Jacobian depends on ``J(z*)`` alone);
    ``"bilinear"`` for bilinear games (any method); else ``"general"``.
    """
    if _spectral_applies(method, params):
        return "spectral"
    if _bilinear_applies(game):
        return "bilinear"
    return "general"


# ------------------------------------------------------------ grid walking
class _Grid:
    """Broadcast parameter arrays walked in flat chunks without materialising them."""

    def __init__(self, values: dict):
        self.names = list(values)
        arrs = [np.asarray(v, dtype=float) for v in values.values()]
        self.shape = np.broadcast_shapes(*[a.shape for a in arrs]) if arrs else ()
        self.size = int(np.prod(self.shape)) if self.shape else 1
        self._arrays = [np.broadcast_to(a, self.shape) for a in arrs]
        self._flat = [a.reshape(-1) if a.flags.c_contiguous and 0 not in a.strides else None
                      for a in self._arrays]

    def chunks(self, size):
        for start in range(0, self.size, size):
            stop = min(self.size, start + size)
            sl = slice(start, stop)
            idx = None
            vals = {}
            for name, a, flat in zip(self.names, self._arrays, self._flat):
                if flat is not None:
                    vals[name] = flat[sl]
                else:
                    if idx is None:
                        idx = np.unravel_index(np.arange(start, stop), self.shape)
                    vals[name] = a[idx]
            yield sl, vals


# ------------------------------------------------------------------ paths
def _modes_max(modes, grid, chunk_points, out, tol):
    """Max over modes of the top root modulus; clustered points refined exactly.

    ``modes`` is a list of ``(compiled, fixed_args)``; modes sharing a
    compiled polynomial share its parameter-only coefficient parts per chunk.
    Working memory: about ``(number of modes + 30) * chunk * 8`` bytes, the
    chunk shrinking with the number of modes.
    """
    chunk = max(256, min(chunk_points, (1 << 21) // max(1, len(modes))))
    # the compiled kernel pays off when the whole sweep is large, whatever the chunk size
    use_kernel = grid.size * max(1, len(modes)) >= KERNEL_MIN_POINTS
    for sl, vals in grid.chunks(chunk):
        n = sl.stop - sl.start
        cache = {}
        rads = np.zeros((len(modes), n))
        flags = np.zeros((len(modes), n), dtype=bool)
        for k, (comp, fixed) in enumerate(modes):
            if comp.degree == 0:
                continue
            coeffs = comp.coeffs_at(vals, fixed, n, cache)
            rads[k], flags[k] = max_root_modulus(coeffs, tol, use_kernel=use_kernel)
        best = rads.max(axis=0) if len(modes) else np.zeros(n)
        near = rads >= (best - tol * np.maximum(1, best))[None, :]
        flag = (near & flags).any(axis=0)
        for i in np.nonzero(flag)[0]:
            # recompute the modes near the top at this point from the exact polynomial
            point = {a: v[i] for a, v in vals.items()}
            top = 0.0
            for k in np.nonzero(near[:, i])[0]:
                comp, fixed = modes[k]
                args = [fixed[a] if a in fixed else point[a] for a in comp.arg_names]
                top = max(top, comp.radius_mp(*args))
            best[i] = max(top, max((rads[k, i] for k in range(len(modes)) if not near[k, i]), default=0.0))
        out[sl] = best
    return out


def _spectral_modes(game, method, params, at):
    extras = _extras(params)
    q = scalar_polynomial(method, extras)
    J = np.array(game.jacobian_at(at).tolist(), dtype=float)
    lam = np.linalg.eigvals(J) if J.size else np.zeros(0)
    lam = np.unique(lam[lam.imag >= 0])  # a conjugate pair has the same moduli: keep Im >= 0
    eta = PARAM_SYMBOLS["eta"]
    names = sorted({str(s) for s in q.free_symbols} - {"mu", "lambda"})
    sym_of = {"eta": eta, **{k: PARAM_SYMBOLS[k] for k in CONTINUOUS}}
    args = [LAMBDA] + [sym_of[n] for n in names]
    comp = _Compiled(q, args, ["lambda"] + ["eta_x" if n == "eta" else n for n in names], LAMBDA, "lambda")
    return [(comp, {"lambda": complex(l) if abs(l.imag) > 0 else float(l.real)}) for l in lam]


def _bilinear_modes(game, method, params):
    extras = _extras(params)
    bp = bilinear_polynomials(method, extras)
    A_exact = game.data["A"]
    A = np.array(A_exact.tolist(), dtype=float)
    from .exact import domain_matrix

    rank = domain_matrix(A_exact).rank() if not A_exact.free_symbols else A_exact.rank()
    sv = np.linalg.svd(A, compute_uv=False)[:rank] if rank else np.zeros(0)
    sv = np.unique(sv)
    nx, ny = A.shape
    modes = []
    for expr, count, fixed_sv in ((bp.block, len(sv), None), (bp.x_mode, nx - rank, 0), (bp.y_mode, ny - rank, 0)):
        if count == 0:
            continue
        syms = sorted(expr.free_symbols - {MU, SIGMA}, key=str)
        has_sigma = SIGMA in expr.free_symbols
        args = ([SIGMA] if has_sigma else []) + syms
        names = (["sigma"] if has_sigma else []) + [str(s) for s in syms]
        comp = _Compiled(expr, args, names, *((SIGMA, "sigma") if has_sigma else (sp.Dummy("none"), "none")))
        if fixed_sv is None:
            modes += [(comp, {"sigma": float(s)}) for s in sv]
        else:
            modes.append((comp, {"none": 0.0}))
    return modes


def _general(game, method, params, at, grid, chunk_entries, out, workers=None):
    """Batched ``eigvals`` of the compiled augmented Jacobian, chunk by chunk.

    LAPACK releases the GIL, so ``workers`` threads (default: the CPU count)
    each take a chunk; memory stays bounded (``workers`` chunks at a time).
    Clustered top eigenvalues are refined in this thread (mpmath's precision
    is global, so that part is not run concurrently).
    """
    from concurrent.futures import ThreadPoolExecutor
    from itertools import islice

    d = _symbolic(game, method, params, at)
    syms = [PARAM_SYMBOLS[n] for n in grid.names]
    missing = d.jacobian.free_symbols - set(syms)
    if missing:
        fail(sorted(map(str, missing))[0], f"a value (a parameter of {method.name!r})")
    f = lambdify_matrix(d.jacobian, syms)
    N = len(d.state)
    chunk = max(1, chunk_entries // max(N * N, 1))
    workers = max(1, workers or os.cpu_count() or 1)

    def eig(item):
        sl, vals = item
        flat = [vals[nm] for nm in grid.names]
        M = f(*flat)
        M = np.broadcast_to(M if M.ndim == 3 else M[..., None], (N, N, sl.stop - sl.start))
        return sl, flat, _eig_radius(np.ascontiguousarray(np.moveaxis(M, -1, 0)))

    chunks = grid.chunks(chunk)
    with ThreadPoolExecutor(workers) as pool:
        while batch := list(islice(chunks, workers)):
            for sl, flat, (rad, mod, near) in pool.map(eig, batch):
                out[sl] = _refine_clusters(rad, mod, near, d, flat, syms)
    return out


def sweep_radius(game, method, *, at=None, path: str = "auto", chunk_points: int = CHUNK_POINTS,
                 out=None, cluster_tol: float = CLUSTER_TOL, **params) -> np.ndarray:
    """Spectral radius of a method's augmented Jacobian over a parameter grid.

    Parameters
    ----------
    game : Game
    method : Method
    at : tuple, optional
        The equilibrium (default: the game's first).
    path : {"auto", "spectral", "bilinear", "general"}
        ``"auto"`` picks the fastest valid path (:func:`choose_path`); forcing
        a path that does not apply raises :class:`ParameterError`.
    chunk_points : int
        Grid points per chunk (bounds the working memory).
    out : numpy.ndarray, optional
        A float array of the broadcast shape to fill (e.g. ``float32`` or a
        memory map for 10^8-point sweeps).
    **params
        ``eta`` (or ``eta_x``, ``eta_y``), ``beta``, ``gamma``, ``lam``,
        ``eta_extrap``: floats or arrays (broadcast like NumPy); ``k``, ``n``:
        integers.

    Returns
    -------
    numpy.ndarray
        Radii, shape = broadcast shape of the parameters. Equal (to rounding,
        exactly at clusters) to :func:`gametheory.spectral_radius`'s plain
        grid path; the spectral mapping is Gidel et al. (AISTATS 2019),
        Sec. 4, the singular-value reduction their Sec. 3 / Zhang & Yu (ICLR
        2020), Sec. 3.

    Example
    -------
    >>> import gametheory as gt
    >>> g = gt.games.bilinear([[1]])
    >>> round(float(sweep_radius(g, gt.methods.get("gd"), eta=np.array([0.5]))[0]) ** 2, 12)
    1.25
    """
    from .games import Game

    if not isinstance(game, Game):
        fail("game", "a Game (e.g. gametheory.games.bilinear([[1]]))", type(game).__name__)
    if not isinstance(method, Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
    if path not in PATHS:
        fail("path", "one of " + ", ".join(PATHS), path)
    if not isinstance(chunk_points, (int, np.integer)) or chunk_points < 1:
        fail("chunk_points", "a positive integer", chunk_points)
    values = continuous_values(method, params, mode="float")
    grid = _Grid(values)
    if out is None:
        out = np.empty(grid.size)
    else:
        if not isinstance(out, np.ndarray) or out.size != grid.size:
            fail("out", f"a float array with {grid.size} elements", getattr(out, "shape", out))
    flat_out = out.reshape(-1)
    chosen = choose_path(game, method, **params) if path == "auto" else path
    key = ("sweep-modes", chosen, method.key, _extras(params), None if at is None else tuple(map(str, at)))
    if chosen == "spectral":
        if not _spectral_applies(method, params):
            fail("path", f"a path that applies to {method!r} on {game.name!r} (try 'auto')", path)
        if key not in game._cache:
            game._cache[key] = _spectral_modes(game, method, params, at)
        _modes_max(game._cache[key], grid, int(chunk_points), flat_out, cluster_tol)
    elif chosen == "bilinear":
        if not _bilinear_applies(game):
            fail("path", f"a path that applies to {game.name!r} (bilinear needs a bilinear game)", path)
        if key not in game._cache:
            game._cache[key] = _bilinear_modes(game, method, params)
        _modes_max(game._cache[key], grid, int(chunk_points), flat_out, cluster_tol)
    else:
        _general(game, method, params, at, grid, GENERAL_CHUNK_ENTRIES, flat_out)
    return flat_out.reshape(grid.shape) if out.shape != grid.shape else out


