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
from ..methods import PARAMETERS
from .polynomials import LAMBDA, CompiledPolynomial, bilinear_polynomials, scalar_polynomial
from .roots import KERNEL_MIN_POINTS, max_root_modulus

__all__ = ["modes_max", "spectral_modes", "eigenvalue_modes", "bilinear_modes"]


def modes_max(modes, grid, chunk_points, out, tol):
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


def _grid_name(name: str) -> str:
    """The grid axis of a shared symbol: ``eta`` -> ``eta_x`` (the players' values are equal here)."""
    q = PARAMETERS.get(name)
    return f"{name}_x" if q is not None and q.per_player and name == q.name else name


def spectral_modes(game, method, params, at):
    J = np.array(game.jacobian_at(at).tolist(), dtype=float)
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
