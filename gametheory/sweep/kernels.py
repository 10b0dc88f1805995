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
"""
from __future__ import annotations

import cmath
import math

import numpy as np
import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from .roots import HUGE, TINY, compiled_formulas, numba_available, top_formula

prange = range  # numba.prange once aberth_rows is compiled (numba is imported lazily)

__all__ = ["modes_kernel", "kernel_applies", "rows_kernel", "aberth_top", "aberth_rows"]

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


def kernel_applies(comp, complex_modes: bool) -> bool:
    """A fused kernel exists: closed forms (degree 1-4 real, 1-2 complex), else Aberth up to degree 16."""
    return comp.degree >= 1 and (top_formula(comp.degree, complex_modes) is not None
                                 or comp.degree <= ABERTH_MAX_DEGREE)


def aberth_top(cs, ce, z, zb, warm, tol):
    """Aberth-Ehrlich iteration for the top root modulus of one polynomial (numba; warm-started).

    ``aberth_top(cs, ce, z, zb, warm, tol)``: ``cs`` the coefficients (highest
    first), ``ce`` bounds on their absolute errors, ``z`` the current root approximations (updated in place; started
    on a circle of Fujiwara's radius unless ``warm``, else first polished by
    Newton steps), ``zb`` scratch space. Returns ``(radius,
    flag)``; ``flag`` marks non-convergence in 100 sweeps, a top root
    within ``tol * max(1, radius)`` of another one, a top root whose
    sensitivity to the errors of the coefficients (``sum ce_k |z|^k /
    (|p'(z)| |z|)``) exceeds :data:`ILL_CONDITIONED`, or a suspect magnitude:
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
        for j in range(d):
            zj = z[j]
            ok = False
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
                zj = zj - p / dp
            z[j] = zj
            a2 = zj.real * zj.real + zj.imag * zj.imag
            if a2 > scale:
                scale = a2
            if not ok:
                converged = False
                break
        if converged:  # two approximations drawn to one root would lose another: check they stay apart
            sep = 1e-14 * scale  # (1e-7 relative)^2
            for j in range(d):
                for k in range(j + 1, d):
                    dz = z[j] - z[k]
                    if dz.real * dz.real + dz.imag * dz.imag <= sep:
                        converged = False
        if not converged:
            for j in range(d):
                z[j] = zb[j]
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
        a = abs(z[j])
        if a > rad:
            rad = a
            top = j
    gap = math.inf
    for j in range(d):
        if j != top:
            g = abs(z[j] - z[top])
            if g < gap:
                gap = g
    # the top root's sensitivity to rounding of the coefficients: eps * sum|c_k||z|^k / |p'(z)| (relative)
    zt = z[top]
    p = cs[0] + 0j
    dp = 0j
    bound = ce[0]
    for k in range(1, d + 1):
        dp = dp * zt + p
        p = p * zt + cs[k]
        bound = bound * rad + ce[k]
    ill = abs(dp) * rad * ILL_CONDITIONED <= bound  # the estimated relative error exceeds it
    flag = (not converged) or ill or gap <= tol * (rad if rad > 1.0 else 1.0)
    flag = flag or not math.isfinite(rad) or rad > HUGE or (0.0 < rad < TINY)
    return rad, flag


_ABERTH = {}


def _aberth():
    """The compiled :func:`aberth_top` and :func:`aberth_rows` (numba, cached on disk: compiled once per machine)."""
    if not _ABERTH:
        import numba

        g = globals()
        g["prange"] = numba.prange
        g["_aberth_top_jit"] = numba.njit(error_model="numpy", cache=True)(aberth_top)
        _ABERTH["top"] = g["_aberth_top_jit"]
        _ABERTH["rows"] = numba.njit(parallel=True, error_model="numpy", cache=True)(aberth_rows)
    return _ABERTH["top"]


def aberth_rows(C, E, tol, rad, flag):
    """:func:`aberth_top` on each row of ``C`` (coefficients, highest first; ``E`` their error bounds).

    Rows are taken in blocks of :data:`ABERTH_BLOCK` consecutive grid points,
    each warm-started from the previous point's roots; writes ``rad`` and
    ``flag``. Generic in the polynomial: compiled once (and cached on disk),
    not per game.
    """
    n = rad.shape[0]
    d = C.shape[1] - 1
    nb = (n + ABERTH_BLOCK - 1) // ABERTH_BLOCK
    for blk in prange(nb):
        z = np.empty(d, dtype=np.complex128)
        zb = np.empty(d, dtype=np.complex128)
        warm = False
        for i in range(blk * ABERTH_BLOCK, min(n, (blk + 1) * ABERTH_BLOCK)):
            r, f = _aberth_top_jit(C[i], E[i], z, zb, warm, tol)
            warm = math.isfinite(r)
            rad[i] = r
            flag[i] = f


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
             f"        zb = np.empty({d}, dtype=np.complex128)",
             f"        cs = np.empty({d + 1}, dtype=modes.dtype)",
             f"        ce = np.empty({d + 1})",
             "        warm = np.zeros(nm, dtype=np.bool_)",
             f"        for i in range(blk * {ABERTH_BLOCK}, min(n, (blk + 1) * {ABERTH_BLOCK})):"]
    lines += coeff_lines + [ind + t for t in _KEEP_TOP]
    lines += [f"{ind}    cs[{ci}] = {t}" for ci, t in enumerate(terms)]
    lines += [f"{ind}    for k in range({d + 1}):", f"{ind}        ce[k] = 2.2e-16 * abs(cs[k])"]
    lines += [f"{ind}    r, f = aberth_top(cs, ce, z[m], zb, warm[m], tol)", f"{ind}    warm[m] = math.isfinite(r)"]
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
