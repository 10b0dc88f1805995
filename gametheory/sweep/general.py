"""The general sweep path: batched ``eigvals`` of the compiled augmented Jacobian.

For games and methods without a closed form (non-bilinear games with
alternating methods, CGD, consensus, ...), the augmented Jacobian is
compiled with ``lambdify`` and its eigenvalues are taken in batches
(``numpy.linalg.eigvals`` on stacks, bounded-memory chunks, on a thread
pool: LAPACK releases the GIL). Where the top eigenvalue sits in a cluster
(a repeated or near-defective eigenvalue), the radius is recomputed from
the exact characteristic polynomial with mpmath (:func:`refine_clusters`).
"""
from __future__ import annotations

import os

import numpy as np

from ..backends import lambdify_matrix
from ..derive import PARAM_SYMBOLS, symbolic_derivation
from ..exact import charpoly, radius_mp
from ..validation import exact_number, fail
from .roots import CLUSTER_TOL

GENERAL_CHUNK_ENTRIES = 1 << 21     # matrix entries per eigvals batch on the general path
EXACT_FLOAT_MAX_DIM = 40            # above this, clustered radii use the cluster's geometric mean

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


def general_sweep(game, method, params, at, grid, chunk_entries, out, workers=None):
    """Batched ``eigvals`` of the compiled augmented Jacobian, chunk by chunk.

    LAPACK releases the GIL, so ``workers`` threads (default: the CPU count)
    each take a chunk; memory stays bounded (``workers`` chunks at a time).
    Clustered top eigenvalues are refined in this thread (mpmath's precision
    is global, so that part is not run concurrently).
    """
    from concurrent.futures import ThreadPoolExecutor
    from itertools import islice

    d = symbolic_derivation(game, method, params, at)
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
        return sl, flat, eig_radius(np.ascontiguousarray(np.moveaxis(M, -1, 0)))

    chunks = grid.chunks(chunk)
    with ThreadPoolExecutor(workers) as pool:
        while batch := list(islice(chunks, workers)):
            for sl, flat, (rad, mod, near) in pool.map(eig, batch):
                out[sl] = refine_clusters(rad, mod, near, d, flat, syms)
    return out
