"""The general sweep path: games and methods without a closed-form reduction.

Non-bilinear games with alternating methods, CGD, consensus, ... Two routes,
by the size ``N`` of the augmented state:

* ``N <= GENERAL_POLY_MAX_DIM`` and large grids with numba: the
  characteristic polynomial ``det(mu I - M(params))`` once per game, its
  coefficients exact polynomials in the grid parameters, interpolated from
  FLINT characteristic polynomials at integer points and factored over QQ
  (:mod:`gametheory.sweep.charpoly`); per grid point only the coefficients
  (one Horner pass in the grid's last parameter per coefficient, from
  partial sums kept along each grid line) and the top root of each factor,
  both in one generic warm-started Aberth kernel, compiled once and cached on
  disk (:func:`gametheory.sweep.kernels.aberth_rows`). Where the top root is
  ill-conditioned in float64 (small step sizes: the roots crowd near 1 and
  the polynomial's condition number reaches 1e15 at state 20), the roots are
  found again in ``w = mu - 1`` from the exactly shifted polynomial
  (:meth:`~gametheory.sweep.charpoly.ParametricCharpoly.shifted_table`), whose
  small coefficients carry their own small errors; where that is still
  ill-conditioned, the
  coefficients are re-evaluated in double-double from the exact table and the
  roots polished with compensated residuals
  (:func:`gametheory.sweep.kernels.aberth_polish`, error bounds from
  Newton inclusion discs); points whose top root is clustered, or that the
  polish cannot resolve to :data:`~gametheory.sweep.kernels.ILL_CONDITIONED`,
  are recomputed by ``eigvals`` (clusters exactly).
* small grids, no numba, or ``N <= EXACT_FLOAT_MAX_DIM``: the symbolic
  augmented Jacobian compiled, batched ``eigvals``, clusters exactly.
* larger ``N``: the augmented Jacobian built numerically at each point by
  running the rule on the game's linear part (:mod:`gametheory.linearize`, no
  symbolic derivation), its eigenvalues taken in batches on a thread pool
  (LAPACK releases the GIL), clusters refined by their geometric mean
  (:func:`refine_clusters`).
"""
from __future__ import annotations

import os

import numpy as np

from ..backends import lambdify_matrix
from ..derive import PARAM_SYMBOLS, symbolic_derivation
from ..exact import charpoly, radius_mp
from ..linearize import NotLinearizable, augmented_matrix, linear_part
from ..validation import exact_number, fail
from .roots import CLUSTER_TOL

GENERAL_CHUNK_ENTRIES = 1 << 21     # matrix entries per eigvals batch on the general path
EXACT_FLOAT_MAX_DIM = 40            # above this, clustered radii use the cluster's geometric mean
FLAGGED_SWITCH = 0.5                # see _interpolated_sweep
GENERAL_POLY_MAX_DIM = 40           # up to this state size: the characteristic polynomial's coefficients per point

__all__ = ["eig_radius", "refine_clusters", "refined_radius", "general_sweep", "EXACT_FLOAT_MAX_DIM"]


def refined_radius(d, exact_vals) -> float:
    """The radius of ``d.jacobian`` at exact parameter values, from its exact polynomial (50 digits)."""
    J = d.jacobian.xreplace(exact_vals)
    return float(radius_mp(charpoly(J)))


def eig_radius(M):
    """``(radius, moduli, near)`` of a stack of matrices by batched ``eigvals`` (NumPy only, thread-safe).

    ``near[i, j]``: eigenvalue ``j`` of matrix ``i`` lies in the cluster of the top one.
    """
    ev = np.linalg.eigvals(M)
    mod = np.abs(ev)
    top = np.argmax(mod, axis=-1)
    lead = np.take_along_axis(ev, top[:, None], axis=-1)
    rad = mod.max(axis=-1)
    near = np.abs(ev - lead) <= CLUSTER_TOL * np.maximum(1.0, rad)[:, None]
    return rad, mod, near


def refine_clusters(rad, mod, near, d, flat_vals, syms=None):
    """Recompute the radius where the top eigenvalue is clustered (exactly when the state is small)."""
    clustered = near.sum(axis=-1) > 1
    if clustered.any():
        idx = np.nonzero(clustered)[0]
        if d is not None and len(d.state) <= EXACT_FLOAT_MAX_DIM:
            for i in idx:
                vals = {s: exact_number(str(s), float(v[i])) for s, v in zip(syms, flat_vals)}
                rad[i] = refined_radius(d, vals)
        else:
            # the geometric mean of a cluster's moduli is well conditioned
            logs = np.where(near[idx], np.log(np.maximum(mod[idx], 1e-300)), 0.0)
            rad[idx] = np.exp(logs.sum(axis=-1) / near[idx].sum(axis=-1))
    return rad


def general_sweep(game, method, params, at, grid, chunk_entries, out, workers=None, use_kernel=None,
                  span=None, cluster_tol=CLUSTER_TOL):
    """The general path over ``grid`` (see the module docstring), writing ``out``.

    ``span`` (start, stop) restricts the walk to those flat indices (a
    distributed chunk; ``out`` then holds ``stop - start`` values).
    """
    N = sum(method.block_sizes(len(game.x), len(game.y)))
    try:
        linear_part(game, at, method)
        linearizable = True
    except NotLinearizable:
        linearizable = False
    if N <= GENERAL_POLY_MAX_DIM and use_kernel:
        from .kernels import rows_kernel

        rows = rows_kernel()
        found = _parametric_charpoly(game, method, params, at, grid) if rows is not None else None
        if found is not None:
            return _interpolated_sweep(*found, grid, out, span, cluster_tol, rows)
    if N <= EXACT_FLOAT_MAX_DIM or not linearizable:
        return _lambdified_sweep(game, method, params, at, grid, chunk_entries, out, workers, span)
    return _numeric_sweep(game, method, params, at, grid, chunk_entries, out, workers, span)


def _distinct_axes(grid):
    """The grid's names with equal given arrays merged: ``(kept names, {dropped name: kept name})``."""
    kept, alias = [], {}
    for name in grid.names:
        a = grid._given[name]
        same = next((k for k in kept if grid._given[k].shape == a.shape and np.array_equal(grid._given[k], a)), None)
        if same is None:
            kept.append(name)
        else:
            alias[name] = same
    return kept, alias


def _parametric_charpoly(game, method, params, at, grid):
    """``(charpoly, derivation)``: the characteristic polynomial interpolated exactly in the grid's distinct axes, or None."""
    from .charpoly import parametric_charpoly

    d = symbolic_derivation(game, method, params, at)
    syms = {PARAM_SYMBOLS[n] for n in grid.names}
    missing = d.jacobian.free_symbols - syms
    if missing:
        fail(sorted(map(str, missing))[0], f"a value (a parameter of {method.name!r})")
    kept, alias = _distinct_axes(grid)
    key = ("parametric-charpoly", method.key, method.optional_given(params),
           None if at is None else tuple(map(str, at)), tuple(kept), tuple(sorted(alias.items())))
    if key not in game._cache:
        J = d.jacobian.xreplace({PARAM_SYMBOLS[a]: PARAM_SYMBOLS[b] for a, b in alias.items()})
        game._cache[key] = parametric_charpoly(J, kept)
    cps = game._cache[key]
    return None if not cps else (cps, d)


def _interpolated_sweep(cps, d, grid, out, span, tol, rows):
    """Coefficients per point from the interpolated polynomial and top roots, both in the
    generic compiled Aberth kernel (warm-started along the grid, ill-conditioned ones polished in double-double);
    points still flagged by ``eigvals`` of the augmented Jacobian, clusters exactly.

    The characteristic polynomial's roots can be far worse conditioned than
    the matrix's eigenvalues (state 20, alternating momentum on a quadratic
    game: relative errors ~1e-1 from coefficients exact to 1e-16; about
    1e-17 once the coefficients and residuals are in double-double); should
    a chunk still have more than :data:`FLAGGED_SWITCH` of its points
    flagged, the remaining chunks go to ``eigvals`` directly.
    """
    syms = [PARAM_SYMBOLS[n] for n in grid.names]
    compiled = []

    def f(*values):  # the augmented Jacobian compiled on first use (most grids flag no point: 40 ms saved)
        if not compiled:
            compiled.append(lambdify_matrix(d.jacobian, syms))
        return compiled[0](*values)

    offset = 0 if span is None else span[0]
    chunk = max(256, min(1 << 15, (1 << 21) // max(1, max(cp.exponents.shape[0] for cp in cps))))
    direct = False
    for sl, vals in grid.chunks(chunk, span):
        n = sl.stop - sl.start
        if direct:
            out[sl.start - offset:sl.stop - offset] = _recompute(f, d, [np.asarray(vals[nm]) for nm in grid.names], syms)
            continue
        R, F = np.empty((len(cps), n)), np.empty((len(cps), n), dtype=bool)
        for k, cp in enumerate(cps):  # the radius: the largest over the irreducible factors
            rows(cp.points(vals, n), cp.exponents, cp.table, cp.table_lo, cp.shifted_table(), cp.total_degree,
                 float(tol), R[k], F[k])
        with np.errstate(invalid="ignore"):
            rad = R.max(axis=0)
            near = R >= (rad - tol * np.maximum(1, rad))[None, :]
        flag = (near & F).any(axis=0) | ~np.isfinite(rad)
        idx = np.nonzero(flag)[0]
        if idx.size:
            rad[idx] = _recompute(f, d, [np.asarray(vals[nm])[idx] for nm in grid.names], syms)
        direct = idx.size > FLAGGED_SWITCH * n
        out[sl.start - offset:sl.stop - offset] = rad
    return out


def _recompute(f, d, flat, syms):
    """Radii at a few points from ``eigvals`` of the compiled augmented Jacobian, clusters exactly."""
    N = len(d.state)
    M = f(*flat)
    M = np.broadcast_to(M if M.ndim == 3 else M[..., None], (N, N, flat[0].size))
    r2, mod, near = eig_radius(np.ascontiguousarray(np.moveaxis(M, -1, 0)))
    return refine_clusters(r2, mod, near, d, flat, syms)


def _batches(grid, chunk, workers, span):
    from itertools import islice

    chunks = grid.chunks(chunk, span)
    while batch := list(islice(chunks, workers)):
        yield batch


def _numeric_sweep(game, method, params, at, grid, chunk_entries, out, workers, span):
    """Large states: the augmented Jacobian built numerically per point from the rule, batched ``eigvals``."""
    from concurrent.futures import ThreadPoolExecutor

    N = sum(method.block_sizes(len(game.x), len(game.y)))
    fixed = {k: v for k, v in params.items() if k in method.spec.integer_params}
    chunk = max(1, chunk_entries // max(N * N, 1))
    workers = max(1, workers or os.cpu_count() or 1)
    offset = 0 if span is None else span[0]

    def build(sl, vals):
        n = sl.stop - sl.start
        M = np.empty((n, N, N))
        for i in range(n):
            point = {name: float(vals[name][i]) for name in grid.names}
            M[i] = augmented_matrix(game, method, {**fixed, **point}, at, exact=False)
        return M

    def eig(M):
        return eig_radius(M)

    with ThreadPoolExecutor(workers) as pool:
        for batch in _batches(grid, chunk, workers, span):
            stacks = [build(sl, vals) for sl, vals in batch]  # Python: under the GIL
            for (sl, _), (rad, mod, near) in zip(batch, pool.map(eig, stacks)):
                out[sl.start - offset:sl.stop - offset] = refine_clusters(rad, mod, near, None, None)
    return out


def _lambdified_sweep(game, method, params, at, grid, chunk_entries, out, workers, span):
    """The unrolled method on general-sum non-affine games: the symbolic Jacobian, compiled, batched ``eigvals``."""
    from concurrent.futures import ThreadPoolExecutor

    d = symbolic_derivation(game, method, params, at)
    syms = [PARAM_SYMBOLS[n] for n in grid.names]
    missing = d.jacobian.free_symbols - set(syms)
    if missing:
        fail(sorted(map(str, missing))[0], f"a value (a parameter of {method.name!r})")
    f = lambdify_matrix(d.jacobian, syms)
    N = len(d.state)
    chunk = max(1, chunk_entries // max(N * N, 1))
    workers = max(1, workers or os.cpu_count() or 1)
    offset = 0 if span is None else span[0]

    def eig(item):
        sl, vals = item
        flat = [vals[nm] for nm in grid.names]
        M = f(*flat)
        M = np.broadcast_to(M if M.ndim == 3 else M[..., None], (N, N, sl.stop - sl.start))
        return sl, flat, eig_radius(np.ascontiguousarray(np.moveaxis(M, -1, 0)))

    with ThreadPoolExecutor(workers) as pool:
        for batch in _batches(grid, chunk, workers, span):
            for sl, flat, (rad, mod, near) in pool.map(eig, batch):
                out[sl.start - offset:sl.stop - offset] = refine_clusters(rad, mod, near, d, flat, syms)
    return out
