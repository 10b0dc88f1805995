"""Double-double arithmetic by error-free transformations: sums, dot products and polynomial values at twice
the working precision, written once for Python and numba.

A double-double number is an unevaluated sum ``hi + lo`` of two floats with
``|lo| <= ulp(hi) / 2``: about 32 significant digits. Everything here rests on
two error-free transformations (Knuth, Dekker; Ogita, Rump & Oishi, *Accurate
sum and dot product*, SIAM J. Sci. Comput. 26, 2005):

* :func:`two_sum`: ``s + e == a + b`` exactly, ``s = fl(a + b)``;
* :func:`two_prod`: ``p + e == a * b`` exactly, ``p = fl(a * b)``, by one
  fused multiply-add ``e = fma(a, b, -p)``.

:func:`dot2` evaluates ``sum_j x_j y_j`` (double-double ``x``, ``y``) as if in
double-double (the errors of every product and sum are carried along, Dot2).
:func:`comp_horner` is the compensated Horner scheme (Graillat, Langlois &
Louvet, *Algorithms for accurate, validated and fast polynomial evaluation*,
Japan J. Indust. Appl. Math. 26, 2009) for a real double-double polynomial at a
complex float ``z``, with its derivative and a bound on the error of both.

``fma`` here is the exact definition (one rounding of the exact rational
``a * b + c``), for Python callers and the tests; compiled by numba (see
:func:`gametheory.sweep.kernels.rows_kernel`) it becomes the hardware
instruction (``llvm.fma.f64``). The functions below are the same source in
both cases.

Examples
--------
>>> hi, lo = two_prod(1.0 + 2.0**-30, 1.0 + 2.0**-30)   # (1 + 2^-30)^2 = 1 + 2^-29 + 2^-60
>>> hi == 1.0 + 2.0**-29, lo == 2.0**-60
(True, True)
>>> two_sum(1.0, 1e-17)
(1.0, 1e-17)
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["fma", "two_sum", "two_prod", "split", "dot2", "comp_horner", "compiled", "U", "gamma"]

#: the unit roundoff of float64
U = 2.0**-53


def fma(a, b, c):
    """``a * b + c`` rounded once (exact rational arithmetic; numba compiles it to the hardware instruction)."""
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def two_sum(a, b):
    """``(s, e)`` with ``s = fl(a + b)`` and ``s + e = a + b`` exactly (Knuth's TwoSum, no branch)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def two_prod(a, b):
    """``(p, e)`` with ``p = fl(a * b)`` and ``p + e = a * b`` exactly (one fused multiply-add)."""
    p = a * b
    return p, fma(a, b, -p)


def gamma(n):
    """``n u / (1 - n u)``: the classical bound on ``n`` accumulated roundings (Higham's ``gamma_n``)."""
    return n * U / (1.0 - n * U)


def split(q) -> tuple:
    """A rational (``fractions.Fraction``, ``fmpq``, int) as the double-double ``(hi, lo)`` nearest to it."""
    f = Fraction(int(q.p), int(q.q)) if hasattr(q, "q") else Fraction(q)
    hi = float(f)
    return hi, float(f - Fraction(hi))


def dot2(xh, xl, yh, yl):
    """``(hi, lo, a)``: ``sum_j (xh_j + xl_j)(yh_j + yl_j)`` as the double-double ``hi + lo`` (Dot2), and
    ``a = sum_j |xh_j yh_j|``.

    The error of ``hi + lo`` is at most ``(gamma(2n)^2 + 4u^2) a`` for ``n``
    terms (Ogita, Rump & Oishi, Prop. 5.5; the ``4u^2`` for the low parts'
    products, rounded, and the dropped ``xl yl``).

    >>> hi, lo, a = dot2(np.array([1e16, 1.0, -1e16]), np.zeros(3), np.ones(3), np.zeros(3))
    >>> float(hi), float(lo)    # plain float64 summation in this order gives 0.0
    (1.0, 0.0)
    """
    s = 0.0
    c = 0.0
    a = 0.0
    for j in range(xh.shape[0]):
        p, e = two_prod(xh[j], yh[j])
        s, f = two_sum(s, p)
        c += e + f + (xh[j] * yl[j] + xl[j] * yh[j])
        a += abs(p)
    return two_sum(s, c) + (a,)


def comp_horner(ch, cl, zr, zi):
    """Compensated Horner: ``p(z)`` and ``p'(z)`` of ``p(mu) = sum_k (ch_k + cl_k) mu^(d - k)`` at complex ``z``.

    Returns ``(pr, pi, dr, di, bound)``: ``p(z)`` and ``p'(z)`` (as accurate as
    if computed in double-double, then rounded) and ``bound``, at most
    ``gamma(4d + 4)^2 sum_k |c_k| |z|^(d - k)`` plus the rounding of the
    result, on the error of ``p(z)`` due to the evaluation (the coefficients
    taken as exact). Every product of the complex Horner step is split by
    :func:`two_prod`, every sum by :func:`two_sum`; their errors run through a
    second, plain Horner recurrence that is added at the end.

    >>> import numpy as np   # (mu - 3)^3 at mu = 3 + 1e-9: 1e-27, far below float64's rounding of the terms
    >>> ch = np.array([1.0, -9.0, 27.0, -27.0])
    >>> pr, pi, dr, di, b = comp_horner(ch, np.zeros(4), 3.0 + 1e-9, 0.0)
    >>> bool(abs(pr - (1e-9 + 3.0 - 3.0)**3) < 1e-30), bool(abs(dr - 3 * (1e-9 + 3.0 - 3.0)**2) < 1e-25)
    (True, True)
    """
    d = ch.shape[0] - 1
    sr = ch[0]
    si = 0.0
    er = cl[0]
    ei = 0.0
    tr = 0.0  # the derivative: its own compensated recurrence, fed by the value's
    ti = 0.0
    fr = 0.0
    fi = 0.0
    az = np.sqrt(zr * zr + zi * zi)
    absval = abs(ch[0])
    for k in range(1, d + 1):
        # derivative first (it uses the previous value): t = t z + s
        a1, e1 = two_prod(tr, zr)
        a2, e2 = two_prod(ti, zi)
        a3, e3 = two_prod(tr, zi)
        a4, e4 = two_prod(ti, zr)
        qr, g1 = two_sum(a1, -a2)
        qi, g2 = two_sum(a3, a4)
        tr2, h1 = two_sum(qr, sr)
        ti2, h2 = two_sum(qi, si)
        fr2 = fr * zr - fi * zi + (e1 - e2 + g1 + h1 + er)
        fi2 = fr * zi + fi * zr + (e3 + e4 + g2 + h2 + ei)
        tr, ti, fr, fi = tr2, ti2, fr2, fi2
        # value: s = s z + c_k
        a1, e1 = two_prod(sr, zr)
        a2, e2 = two_prod(si, zi)
        a3, e3 = two_prod(sr, zi)
        a4, e4 = two_prod(si, zr)
        qr, g1 = two_sum(a1, -a2)
        qi, g2 = two_sum(a3, a4)
        sr2, h1 = two_sum(qr, ch[k])
        er2 = er * zr - ei * zi + (e1 - e2 + g1 + h1 + cl[k])
        ei2 = er * zi + ei * zr + (e3 + e4 + g2)
        sr, si, er, ei = sr2, qi, er2, ei2
        absval = absval * az + abs(ch[k])
    pr = sr + er
    pi = si + ei
    g = gamma(4 * d + 4)
    bound = g * g * absval + 2.0 * U * np.sqrt(pr * pr + pi * pi)
    return pr, pi, tr + fr, ti + fi, bound


_COMPILED: dict = {}


def compiled() -> dict:
    """This module's functions compiled by numba (a namespace: ``fma`` the hardware instruction), or ``{}``.

    Each function's code object is re-bound to a namespace where its callees
    are the compiled ones (the pattern of
    :func:`gametheory.sweep.roots.compiled_formulas`): one source, two
    evaluations.
    """
    if _COMPILED:
        return _COMPILED
    from .roots import numba_available

    if not numba_available():
        return {}
    import types

    import numba
    from numba.core import types as nt
    from numba.extending import intrinsic

    @intrinsic
    def _fma(typingctx, a, b, c):
        def codegen(context, builder, signature, args):
            return builder.fma(*args)
        return nt.float64(nt.float64, nt.float64, nt.float64), codegen

    jit = numba.njit(error_model="numpy", cache=False)  # LLVM inlines them (numba's own inlining compiles slowly)

    @jit
    def fma_jit(a, b, c):
        return _fma(float(a), float(b), float(c))

    ns = {"np": np, "U": U, "fma": fma_jit}
    for f in (gamma, two_sum, two_prod, dot2, comp_horner):
        ns[f.__name__] = jit(types.FunctionType(f.__code__, ns, f.__name__, f.__defaults__, f.__closure__))
    _COMPILED.update(ns)
    return _COMPILED
