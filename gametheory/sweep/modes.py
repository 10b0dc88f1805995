"""The closed-form sweep paths: the radius as the largest root over a list of modes.

A *mode* is one small polynomial in ``mu`` (from
:mod:`gametheory.sweep.polynomials`) with one value fixed: an eigenvalue
``lambda`` of ``J`` (the ``"spectral"`` path) or a singular value ``sigma``
of ``A`` (the ``"bilinear"`` path). The spectral radius at a grid point is
the largest root modulus over all modes (:func:`modes_max`); points where
that root sits in a cluster are recomputed from the exact polynomial with
mpmath at 50 digits.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..derive import MU, PARAM_SYMBOLS, SIGMA
from ..linearize import linear_part
from ..methods import PARAMETERS
from ..rational import to_float_array
from .polynomials import LAMBDA, CompiledPolynomial, bilinear_polynomials, scalar_polynomial
from .kernels import kernel_applies, modes_kernel
from .roots import KERNEL_MIN_POINTS, max_root_modulus, numba_available

__all__ = ["modes_max", "spectral_modes", "eigenvalue_modes", "bilinear_modes"]


def _groups(modes):
    """Modes sharing a compiled polynomial: ``[(comp, [fixed dicts], [mode indices])]``."""
    out = {}
    for k, (comp, fixed) in enumerate(modes):
        g = out.setdefault(id(comp), (comp, [], []))
        g[1].append(fixed)
        g[2].append(k)
    return list(out.values())


def _mode_values(comp, fixeds):
    vals = [f[comp.mode_name] for f in fixeds]
    cplx = any(isinstance(v, complex) for v in vals)
    return np.array(vals, dtype=complex if cplx else float), cplx


def kernel_plan(modes):
    """The fused compiled kernels for these modes (one per shared polynomial), or None (NumPy path)."""
    plan = []
    for comp, fixeds, _ in _groups(modes):
        if comp.degree == 0:
            continue
        values, cplx = _mode_values(comp, fixeds)
        if not kernel_applies(comp, cplx):
            return None
        kern = modes_kernel(comp, cplx)
        if kern is None:
            return None
        plan.append((comp, values, kern))
    return plan


def _refine_point(modes, point, tol):
    """The radius at one grid point: float formulas per mode, the top ones (and suspect ones) exactly."""
    cache = {}
    one = {a: np.array([v]) for a, v in point.items()}
    rads, flags = np.zeros(len(modes)), np.zeros(len(modes), dtype=bool)
    for k, (comp, fixed) in enumerate(modes):
        if comp.degree == 0:
            continue
        r, f = max_root_modulus(comp.coeffs_at(one, fixed, 1, cache), tol)
        rads[k], flags[k] = r[0], f[0]
    finite = np.isfinite(rads)
    best = rads[finite].max() if finite.any() else 0.0
    near = ~finite | (rads >= best - tol * max(1.0, best))
    top = 0.0
    for k in np.nonzero(near)[0]:
        comp, fixed = modes[k]
        if comp.degree == 0:
            continue
        args = [fixed[a] if a in fixed else point[a] for a in comp.arg_names]
        top = max(top, comp.radius_mp(*args))
    rest = rads[~near]
    return max(top, rest.max() if rest.size else 0.0)


def modes_max(modes, grid, chunk_points, out, tol, use_kernel=None, span=None):
    """Max over modes of the top root modulus; flagged points refined exactly.

    ``modes`` is a list of ``(compiled, fixed_args)``. With ``use_kernel``
    (default: numba installed and points x modes >= ``KERNEL_MIN_POINTS``) each
    shared polynomial runs as one fused compiled kernel over the chunk
    (:mod:`gametheory.sweep.kernels`); otherwise NumPy evaluates the same
    formulas mode by mode (modes sharing a polynomial share its parameter-only
    coefficient parts per chunk). Working memory: about ``(number of modes +
    30) * chunk * 8`` bytes on the NumPy path, a few arrays of the chunk on
    the kernel path. ``span`` (start, stop) restricts the walk to those flat
    grid indices (a distributed chunk), writing ``out[0:stop-start]``.
    """
    if use_kernel is None:
        use_kernel = grid.size * max(1, len(modes)) >= KERNEL_MIN_POINTS and numba_available()
    plan = kernel_plan(modes) if use_kernel else None
    if plan is not None:
        chunk = max(256, chunk_points)
    else:
        chunk = max(256, min(chunk_points, (1 << 21) // max(1, len(modes))))
    offset = 0 if span is None else span[0]
    for sl, vals in grid.chunks(chunk, span):
        n = sl.stop - sl.start
        if plan is not None:
            best, flag = _kernel_chunk(plan, vals, n, tol)
        else:
            best, flag = _numpy_chunk(modes, vals, n, tol)
        for i in np.nonzero(flag)[0]:
            best[i] = _refine_point(modes, {a: v[i] for a, v in vals.items()}, tol)
        out[sl.start - offset:sl.stop - offset] = best
    return out


def _kernel_chunk(plan, vals, n, tol):
    rads, flags = [], []
    for comp, values, kern in plan:
        P = np.empty((len(comp.other_names), n))
        for j, name in enumerate(comp.other_names):
            P[j] = vals[name]
        r, f = np.empty(n), np.empty(n, dtype=bool)
        kern(P, values, float(tol), r, f)
        rads.append(r)
        flags.append(f)
    if not rads:
        return np.zeros(n), np.zeros(n, dtype=bool)
    if len(rads) == 1:
        return rads[0], flags[0]
    R, F = np.array(rads), np.array(flags)
    with np.errstate(invalid="ignore"):
        best = R.max(axis=0)
        near = R >= (best - tol * np.maximum(1, best))[None, :]
    return best, (near & F).any(axis=0) | ~np.isfinite(best)


def _numpy_chunk(modes, vals, n, tol):
    cache = {}
    rads = np.zeros((len(modes), n))
    flags = np.zeros((len(modes), n), dtype=bool)
    for k, (comp, fixed) in enumerate(modes):
        if comp.degree == 0:
            continue
        coeffs = comp.coeffs_at(vals, fixed, n, cache)
        rads[k], flags[k] = max_root_modulus(coeffs, tol)
    if not len(modes):
        return np.zeros(n), np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        best = rads.max(axis=0)
        near = rads >= (best - tol * np.maximum(1, best))[None, :]
    return best, (near & flags).any(axis=0) | ~np.isfinite(best)


def _grid_name(name: str) -> str:
    """The grid axis of a shared symbol: ``eta`` -> ``eta_x`` (the players' values are equal here)."""
    q = PARAMETERS.get(name)
    return f"{name}_x" if q is not None and q.per_player and name == q.name else name


def spectral_modes(game, method, params, at):
    """One mode per eigenvalue ``lambda`` of ``J`` (Im >= 0): the method's scalar polynomial ``q(mu, lambda)``."""
    J = linear_part(game, at).numeric()[0]
    return eigenvalue_modes(method, params, np.linalg.eigvals(J) if J.size else np.zeros(0))


def eigenvalue_modes(method, params, eigenvalues):
    """One mode per eigenvalue ``lambda`` of ``J`` (given; Im >= 0): the method's scalar polynomial ``q(mu, lambda)``.

    For a real ``J`` a conjugate pair has the same root moduli, so only
    ``Im >= 0`` is kept. The method must have a scalar polynomial
    (:func:`scalar_polynomial`; simultaneous, one step size).
    """
    q = scalar_polynomial(method, method.optional_given(params))
    if q is None:
        from ..validation import fail

        fail("method", f"a method that is a function of J (simultaneous, one step size); {method!r} is not")
    lam = np.asarray(eigenvalues, dtype=complex).reshape(-1)
    lam = np.unique(lam[lam.imag >= 0])  # a conjugate pair has the same moduli: keep Im >= 0
    names = sorted({str(s) for s in q.free_symbols} - {"mu", "lambda"})
    args = [LAMBDA] + [PARAM_SYMBOLS[n] for n in names]
    comp = CompiledPolynomial(q, args, ["lambda"] + [_grid_name(n) for n in names], LAMBDA, "lambda")
    return [(comp, {"lambda": complex(l) if abs(l.imag) > 0 else float(l.real)}) for l in lam]


def bilinear_modes(game, method, params):
    """One mode per distinct singular value of ``A``, and one per uncoupled coordinate."""
    bp = bilinear_polynomials(method, method.optional_given(params))
    if game.matrices is not None:  # exact rational blocks: no SymPy matrix
        A = to_float_array(game.matrices["A"])
        rank = game.matrices["A"].rank()
    else:
        A_exact = game.data["A"]
        A = np.array(A_exact.tolist(), dtype=float)
        from ..exact import domain_matrix

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
        comp = CompiledPolynomial(expr, args, names, *((SIGMA, "sigma") if has_sigma else (sp.Dummy("none"), "none")))
        if fixed_sv is None:
            modes += [(comp, {"sigma": float(s)}) for s in sv]
        else:
            modes.append((comp, {"none": 0.0}))
    return modes
