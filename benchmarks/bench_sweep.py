"""Benchmark: the fast sweep engine against the plain per-point baseline, in one run.

Baseline (per grid point, in a Python loop): the explicit augmented Jacobian,
built by running the method's own update rule on the NumPy backend over the
columns of the identity (``M = F(I) - F(0)``, exact for affine games), then
``numpy.linalg.eigvals``. Running it on 10^6 points would take hours, so it is
timed on a random sample of grid points and **extrapolated** linearly (the
cost per point does not depend on the point); the engine is timed on the full
grid. The engine's radii are compared with the baseline's on the sample.

Cases (as in issue 3):

1. heavy-ball momentum (simultaneous) on a bilinear game with a 50x50 ``A``
   (100-dimensional state, 200x200 augmented Jacobian), 1000x1000 (eta, beta);
2. the same for alternating momentum;
3. non-bilinear quadratic game ``1/2 x'Px + x'Ay - 1/2 y'Qy`` (50+50):
   simultaneous momentum (spectral path);
4. general path: alternating momentum on a small quadratic game (2+2; batched
   ``eigvals``), where per-point overhead is what batching removes;
5. closed forms alone: one mode, 10^6 points (simultaneous and alternating).

Peak memory: ``tracemalloc`` peak of the engine on a 200x1000 sub-grid, and
for a single-mode grid of 10^5 and 10^6 points (the working memory, peak
minus the 8-byte-per-point output, stays flat: chunking).

Targets (exact and fast at any size), run first, in the same process (``targets`` in the JSON;
each row has its goal and whether it was ``met``; peak memory per row:
``tracemalloc`` peak of a repetition and the process's ``ru_maxrss``):

i.   the public ``gt.spectral_radius`` cold: first grid call on a fresh 50x50
     bilinear game, alternating momentum, 1000x1000 (``--quick``: 200x200),
     game construction / derivation / kernel compilation included, against
     the per-point baseline above (>= 500x);
ii.  float ``spectral_radius`` at one point on a 100x100 game (cold, fresh
     game) against one ``numpy.linalg.eigvals`` of its augmented matrix
     (within 10x, same answer to 1e-8);
iii. ``gt.games.bilinear`` of a 500x500 matrix (< 2 s);
iv.  exact ``stability`` and exact ``spectral_radius`` on a 20x20 rational
     bilinear game, alternating momentum (< 20 s), and 50x50 (minutes; not
     with ``--quick``), and exact ``stability`` on a rational quadratic 50+50
     game (not with ``--quick``);
v.   the closed-form path (``sweep_radius``, warm) against the "limit": a
     hand-written numba kernel of the same formula (``_targets.limit_kernel``),
     same run (within 1.5x);
vi.  the general path (non-bilinear quadratic game, alternating momentum)
     against the per-point baseline (>= 200x): 2+2, 3+3 and 5+5 at 500x500
     (the interpolated characteristic polynomial and the generic compiled
     Aberth kernel; top roots ill-conditioned in float64 polished in
     double-double, clusters and what that cannot resolve by eigvals), 5+5 at 300x300
     (below the kernel's threshold: batched eigvals); ``--quick``: 2+2 at
     100x100 (the NumPy path);
vii. a Dask sweep (``executor="dask"``, a local ``distributed`` cluster of 2
     worker processes) of as many points as fit in ~1 minute (``--quick``:
     ~10 s); ``--dask-1e8`` runs 10^8 points into a memory map.

Usage: ``python3 benchmarks/bench_sweep.py [--out benchmarks/results/sweep.json] [--quick] [--dask-1e8]
[--no-targets] [--targets-only]``
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gametheory as gt  # noqa: E402
from gametheory.backends import NumPyOps  # noqa: E402
from gametheory.io import atomic_write_json  # noqa: E402
from gametheory.provenance import environment  # noqa: E402
from gametheory.sweep import choose_path, sweep_radius  # noqa: E402
from gametheory.sweep.roots import numba_available  # noqa: E402

import _targets  # noqa: E402  (benchmarks/_targets.py: the issue-11 target rows)


def explicit_matrix_fn(game, method):
    """``(eta, beta) -> M``: the augmented Jacobian from the method's rule on NumPy (affine games)."""
    field = game.field_function()
    nx, ny = len(game.x), len(game.y)
    sizes = [nx if gt.methods.BLOCK_PLAYER[k] == "x" else ny for k in method.state_keys]
    N = sum(sizes)
    offsets = np.cumsum([0] + sizes)
    eye = np.eye(N)

    def blocks(Z):
        return {k: Z[offsets[i]:offsets[i + 1]] for i, k in enumerate(method.state_keys)}

    def apply(Z, p):
        new = method.step(blocks(Z), field, p, NumPyOps)
        return np.concatenate([new[k] for k in method.state_keys], axis=0)

    def M(eta, beta):
        p = method.params({"eta": float(eta), "beta": float(beta)}, mode="float")
        return apply(eye, p) - apply(np.zeros((N, 1)), p)

    return M, N


def baseline(game, method, eta, beta, n_sample, rng):
    f, N = explicit_matrix_fn(game, method)
    ii = rng.integers(0, eta.size, n_sample)
    jj = rng.integers(0, beta.size, n_sample)
    out = np.empty(n_sample)
    times = np.empty(n_sample)
    np.linalg.eigvals(f(eta[0], beta[0]))  # warm-up (first call compiles / allocates)
    for k, (i, j) in enumerate(zip(ii, jj)):
        t = time.perf_counter()
        out[k] = np.abs(np.linalg.eigvals(f(eta[i], beta[j]))).max()
        times[k] = time.perf_counter() - t
    # the median per point: robust to other processes sharing the machine (conservative for the ratio)
    return float(np.median(times)), ii, jj, out, N, float(times.mean())


def engine(game, method, eta, beta):
    sweep_radius(game, method, eta=eta[:2, None], beta=beta[None, :2])  # compile / cache the modes
    t = time.perf_counter()
    R = sweep_radius(game, method, eta=eta[:, None], beta=beta[None, :])
    return time.perf_counter() - t, R


def peak_memory(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def case(name, game, method, eta, beta, n_sample, rng, target):
    path = choose_path(game, method, eta=0.1, beta=0.1)
    t_engine, R = engine(game, method, eta, beta)
    per_point, ii, jj, ref, N, mean_point = baseline(game, method, eta, beta, n_sample, rng)
    n = eta.size * beta.size
    t_base = per_point * n
    err = float(np.max(np.abs(R[ii, jj] - ref) / np.maximum(ref, 1e-300)))
    sub = max(1, eta.size // 5)
    peak = peak_memory(lambda: sweep_radius(game, method, eta=eta[:sub, None], beta=beta[None, :]))
    row = {"case": name, "path": path, "state_dim": N, "points": n, "engine_s": t_engine,
           "baseline_per_point_ms": per_point * 1e3, "baseline_per_point_mean_ms": mean_point * 1e3,
           "baseline_s_extrapolated": t_base,
           "baseline_sample_points": n_sample, "speedup": t_base / t_engine, "target_speedup": target,
           "meets_target": t_base / t_engine >= target, "max_rel_diff_vs_baseline": err,
           "peak_mem_MB_engine_subgrid": peak / 2**20, "subgrid_points": sub * beta.size}
    print(f"{name:<58} {path:<9} N={N:<4} engine {t_engine:8.2f} s | baseline {per_point * 1e3:7.3f} ms/pt "
          f"-> {t_base:9.0f} s (extrapolated) | x{t_base / t_engine:8.0f} (target {target}) | "
          f"diff {err:.1e} | peak {peak / 2**20:6.1f} MB")
    return row


def run_targets(args):
    """The issue-11 target rows (i)-(vii), in one run; the cold row first (nothing compiled yet)."""
    rng = np.random.default_rng(args.seed)
    q = args.quick
    print("targets (exact and fast at any size)\n")
    rows = [_targets.public_cold(200 if q else 1000, rng, baseline, n_sample=10 if q else 20)]
    rows.append(_targets.one_point(rng, "bilinear"))
    rows.append(_targets.one_point(rng, "quadratic"))
    rows.append(_targets.build_500(rng))
    rows.append(_targets.exact_at_scale(rng, 20))
    if not q:
        rows.append(_targets.exact_at_scale(rng, 50))
        rows.append(_targets.exact_quadratic(rng, 50))
    for m, label in ((gt.methods.get("momentum"), "simultaneous heavy ball"),
                     (gt.methods.get("momentum", order="alternating"), "alternating heavy ball")):
        rows.append(_targets.closed_form_vs_limit(rng, 300 if q else 1000, m, label, reps=2 if q else 3))
    # the compiled charpoly kernel runs from KERNEL_MIN_POINTS (2*10^5) points: --quick stays below it (NumPy
    # path, no compilation); the full run times the kernel (500x500) and batched eigvals (state 20, 300x300)
    for n, g in (((2, 100),) if q else ((2, 500), (3, 500), (5, 500), (5, 300))):
        rows.append(_targets.general_vs_baseline(rng, n, g, baseline, n_sample=200 if q else 500))
    rows.append(_targets.dask_sweep_row(rng, 5 if q else 60))
    if args.dask_1e8:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            rows.append(_targets.dask_sweep_row(rng, None, points=10**8, memmap_dir=tmp))
    print()
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="benchmarks/results/sweep.json")
    ap.add_argument("--quick", action="store_true", help="smaller grids (a smoke run)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dask-1e8", action="store_true", help="the 10^8-point Dask sweep (into a memory map)")
    ap.add_argument("--no-targets", action="store_true", help="skip the issue-11 target rows")
    ap.add_argument("--targets-only", action="store_true", help="only the issue-11 target rows")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    targets = [] if args.no_targets else run_targets(args)
    if args.targets_only:
        atomic_write_json(args.out, {"benchmark": "sweep", "targets": targets, "quick": args.quick,
                                     "total_s": time.perf_counter() - t_start, "environment": environment()})
        print(f"\nwritten {args.out}")
        return 0
    rng = np.random.default_rng(args.seed)
    n_grid = 200 if args.quick else 1000
    eta = np.linspace(1e-3, 0.5, n_grid)
    beta = np.linspace(-1.0, 1.0, n_grid)
    rows = []
    print(f"cores: {os.cpu_count()}; grid {n_grid}x{n_grid}; baseline extrapolated from samples\n")

    if args.quick and not args.no_targets:
        # the target rows cover these cases at --quick sizes: keep --quick under 2 minutes
        print("(--quick: the per-case rows below are left out; --quick --no-targets runs them)")
        return _finish(args, t_start, n_grid, targets, [], [], [], {})
    t = time.perf_counter()
    A = rng.integers(-3, 4, size=(50, 50))
    big = gt.games.bilinear(A.tolist())
    setup_bilinear = time.perf_counter() - t
    eta_b = eta / np.linalg.norm(A, 2) * 2
    rows.append(case("heavy ball, simultaneous, bilinear 50x50", big, gt.methods.get("momentum"),
                     eta_b, beta, 30, rng, 1000))
    alt = gt.methods.get("momentum", order="alternating")
    rows.append(case("heavy ball, alternating, bilinear 50x50", big, alt, eta_b, beta, 30, rng, 1000))
    rows[-1]["numba_kernel"] = numba_available()
    if rows[-1]["numba_kernel"]:
        os.environ["GAMETHEORY_NO_NUMBA"] = "1"  # time the NumPy path too (same formulas on arrays)
        try:
            rows.append(case("heavy ball, alternating, bilinear 50x50 (NumPy, no numba)", big, alt, eta_b, beta,
                             30, rng, 1000))
            rows[-1]["numba_kernel"] = False
        finally:
            del os.environ["GAMETHEORY_NO_NUMBA"]

    t = time.perf_counter()
    B = rng.normal(size=(50, 50))
    P = np.round(B @ B.T / 50, 2)
    C = rng.normal(size=(50, 50))
    Q = np.round(C @ C.T / 50, 2)
    Aq = np.round(rng.normal(size=(50, 50)), 2)
    quad = gt.games.quadratic(P.tolist(), Aq.tolist(), Q.tolist())
    setup_quadratic = time.perf_counter() - t
    rows.append(case("heavy ball, simultaneous, quadratic 50+50", quad, gt.methods.get("momentum"),
                     eta * 0.2, beta, 30, rng, 1000))
    small = gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]])
    rows.append(case("heavy ball, alternating, quadratic 2+2 (general)", small,
                     gt.methods.get("momentum", order="alternating"), eta, beta, 2000, rng, 20))

    # closed forms alone: one mode, 10^6 points
    one = gt.games.bilinear([[1]])
    e1, b1 = np.linspace(1e-3, 2.5, 1000), np.linspace(-1, 1, 1000)
    single = []
    for order in ("simultaneous", "alternating"):
        m = gt.methods.get("momentum", order=order)
        t_e, _ = engine(one, m, e1, b1)
        path = choose_path(one, m, eta=0.1, beta=0.1)
        single.append({"case": f"one singular value, {order} momentum, 10^6 points", "engine_s": t_e,
                       "path": path})
        print(f"one mode, {order:<12} momentum, 10^6 points: {t_e:.3f} s ({path} path)")

    # working memory does not grow with the grid
    mem = []
    m = gt.methods.get("momentum", order="alternating")
    for n in (10**5, 10**6):
        k = int(np.sqrt(n))
        peak = peak_memory(lambda: sweep_radius(one, m, eta=np.linspace(0.01, 2, k)[:, None],
                                                beta=np.linspace(-1, 1, k)[None, :]))
        mem.append({"points": k * k, "peak_MB": peak / 2**20, "output_MB": k * k * 8 / 2**20,
                    "working_MB": (peak - k * k * 8) / 2**20})
        print(f"memory, {k * k:>8} points: peak {peak / 2**20:7.1f} MB (output {k * k * 8 / 2**20:6.1f} MB, "
              f"working {(peak - k * k * 8) / 2**20:6.1f} MB)")
    return _finish(args, t_start, n_grid, targets, rows, single, mem,
                   {"bilinear_50x50_game": setup_bilinear, "quadratic_50x50_game": setup_quadratic})


def _finish(args, t_start, n_grid, targets, rows, single, mem, setup):
    result = {"benchmark": "sweep", "grid": [n_grid, n_grid], "targets": targets, "cases": rows,
              "single_mode": single, "quick": args.quick, "total_s": time.perf_counter() - t_start,
              "memory": mem, "setup_s": setup,
              "notes": ["baseline times are extrapolated from the sampled points (median time per point x number of points; the mean is recorded too)",
                        "timings on a shared 2-core machine: other processes were running",
                        "engine times exclude the one-off game construction and mode compilation"],
              "environment": environment()}
    atomic_write_json(args.out, result)
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
