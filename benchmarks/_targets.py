"""The issue-11 target rows of ``bench_sweep.py`` (one function per target; see that file's docstring)."""
from __future__ import annotations

import math
import resource
import time
import tracemalloc

import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.linearize import augmented_matrix
from gametheory.sweep import choose_path, sweep_radius

ALT = gt.methods.get("momentum", order="alternating")
SIM = gt.methods.get("momentum")


def rss_mb() -> float:
    """The process's peak resident memory so far (MB; ``ru_maxrss``, monotone)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def traced(fn):
    """``(seconds, result, tracemalloc peak MB)`` of ``fn()`` (Python and NumPy allocations)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    t = time.perf_counter()
    try:
        res = fn()
        dt = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return dt, res, peak / 2**20


def timed(fn):
    t = time.perf_counter()
    res = fn()
    return time.perf_counter() - t, res


def say(row):
    keys = [k for k in row if k not in ("case", "target") and not isinstance(row[k], (dict, list))]
    print(f"[{row['target']}] {row['case']}: " + ", ".join(
        f"{k}={row[k]:.6g}" if isinstance(row[k], float) else f"{k}={row[k]}" for k in keys), flush=True)
    return row


def int_matrix(rng, n, m=None):
    return rng.integers(-3, 4, size=(n, m or n))


# ---------------------------------------------------------------- (i) public API cold vs per-point baseline
def public_cold(n_grid, rng, baseline, n_sample=20):
    """First ``gt.spectral_radius`` grid call on a fresh 50x50 bilinear game (alternating momentum), set-up
    (game construction, polynomial derivation, kernel compilation) included."""
    A = int_matrix(rng, 50)
    eta = np.linspace(1e-3, 0.5, n_grid) / np.linalg.norm(A, 2) * 2
    beta = np.linspace(-1.0, 1.0, n_grid)
    t_cold, R = timed(lambda: gt.spectral_radius(gt.games.bilinear(A.tolist()), ALT,
                                                 eta=eta[:, None], beta=beta[None, :]))
    game = gt.games.bilinear(A.tolist())
    gt.spectral_radius(game, ALT, eta=eta[:2, None], beta=beta[None, :2])
    t_warm, _ = timed(lambda: gt.spectral_radius(game, ALT, eta=eta[:, None], beta=beta[None, :]))
    per_point, ii, jj, ref, N, _ = baseline(game, ALT, eta, beta, n_sample, rng)
    n = eta.size * beta.size
    err = float(np.max(np.abs(R[ii, jj] - ref) / ref))
    sub = max(2, n_grid // 10)
    _, _, peak = traced(lambda: gt.spectral_radius(gt.games.bilinear(A.tolist()), ALT,
                                                   eta=eta[:sub, None], beta=beta[None, :]))
    return say({"target": "i", "case": f"public spectral_radius cold, bilinear 50x50, alternating momentum, "
                                        f"{n_grid}x{n_grid} grid", "points": n, "state_dim": N,
                "cold_s": t_cold, "warm_s": t_warm, "baseline_per_point_ms": per_point * 1e3,
                "baseline_s_extrapolated": per_point * n, "speedup_cold": per_point * n / t_cold,
                "speedup_warm": per_point * n / t_warm, "goal": ">= 500x (cold)",
                "met": per_point * n / t_cold >= 500, "max_rel_diff_vs_baseline": err,
                "peak_MB_traced_cold_subgrid": peak, "subgrid_points": sub * n_grid, "rss_MB": rss_mb()})


# ---------------------------------------------------------------- (ii) one float point vs one eigvals
def one_point(rng, kind="bilinear"):
    """Float ``gt.spectral_radius`` at one point on a 100x100 game (fresh object, cold) vs one
    ``numpy.linalg.eigvals`` of its augmented matrix (the matrix built outside the timing)."""
    if kind == "bilinear":
        A = int_matrix(rng, 100)
        make = lambda: gt.games.bilinear(A.tolist())  # noqa: E731
        prm = {"eta": 0.5 / float(np.linalg.norm(A, 2)), "beta": -0.1}
        label = "bilinear 100x100 (state 400)"
    else:
        B = rng.normal(size=(50, 50))
        P = np.round(B @ B.T / 50, 2).tolist()
        A = np.round(rng.normal(size=(50, 50)), 2).tolist()
        make = lambda: gt.games.quadratic(P, A, P)  # noqa: E731
        prm = {"eta": 0.05, "beta": -0.1}
        label = "quadratic 50+50 (state 200)"
    # the machine is shared: the best of three, each cold (a fresh game object, its construction included)
    colds = [timed(lambda: gt.spectral_radius(make(), ALT, **prm)) for _ in range(3)]
    t_cold, r = min(colds, key=lambda c: c[0])
    t_build = min(timed(make)[0] for _ in range(3))
    game = make()
    gt.spectral_radius(game, ALT, **prm)
    t_warm = min(timed(lambda: gt.spectral_radius(game, ALT, **prm))[0] for _ in range(3))
    M = augmented_matrix(make(), ALT, prm, exact=False)
    np.linalg.eigvals(M)
    times = []
    for _ in range(3):
        t, ev = timed(lambda: np.linalg.eigvals(M))
        times.append(t)
    t_eig = min(times)
    ref = float(np.abs(ev).max())
    _, _, peak = traced(lambda: gt.spectral_radius(make(), ALT, **prm))
    return say({"target": "ii", "case": f"float spectral_radius at one point, {label}, alternating momentum",
                "cold_s": t_cold, "game_build_s": t_build, "warm_s": t_warm, "eigvals_s": t_eig,
                "ratio_cold": t_cold / t_eig,
                "ratio_warm": t_warm / t_eig, "radius": float(r), "radius_eigvals": ref,
                "rel_diff": abs(float(r) - ref) / ref, "goal": "within 10x of one eigvals, same to 1e-8",
                "met": t_cold / t_eig <= 10 and abs(float(r) - ref) <= 1e-8 * ref,
                "peak_MB_traced_cold": peak, "rss_MB": rss_mb()})


# ---------------------------------------------------------------- (iii) bilinear(500x500)
def build_500(rng):
    A = int_matrix(rng, 500)
    t_np, _ = timed(lambda: gt.games.bilinear(A))
    t_list, g = timed(lambda: gt.games.bilinear(A.tolist()))
    _, _, peak = traced(lambda: gt.games.bilinear(A))
    return say({"target": "iii", "case": "gt.games.bilinear(500x500 integer matrix)", "ndarray_s": t_np,
                "list_s": t_list, "goal": "< 2 s", "met": max(t_np, t_list) < 2,
                "peak_MB_traced": peak, "rss_MB": rss_mb()})


# ---------------------------------------------------------------- (iv) exact at scale
def exact_at_scale(rng, n):
    """Exact ``stability`` and exact ``spectral_radius`` on an n x n rational bilinear game (alternating
    momentum, state 4n), each on a fresh game object."""
    A = int_matrix(rng, n)
    eta = sp.Rational(1, 2 * math.ceil(float(np.linalg.norm(A, 2))))
    beta = sp.Rational(-1, 10)
    t_stab, verdict = timed(lambda: gt.stability(gt.games.bilinear(A.tolist()), ALT, eta=eta, beta=beta))
    t_rad, rad = traced(lambda: gt.spectral_radius(gt.games.bilinear(A.tolist()), ALT, eta=eta, beta=beta))[:2]
    # plain float reference for the value
    M = augmented_matrix(gt.games.bilinear(A.tolist()), ALT, {"eta": float(eta), "beta": float(beta)}, exact=False)
    ref = float(np.abs(np.linalg.eigvals(M)).max())
    limit = 20 if n <= 20 else 600
    return say({"target": "iv", "case": f"exact stability / spectral_radius, rational bilinear {n}x{n}, "
                                         f"alternating momentum (state {4 * n}), eta={eta}, beta={beta}",
                "stability_s": t_stab, "verdict": verdict, "spectral_radius_s": t_rad,
                "radius_type": type(rad).__name__, "radius_float": float(rad), "radius_eigvals": ref,
                "goal": "< 20 s" if n <= 20 else "minutes (< 10 min here)",
                "met": max(t_stab, t_rad) < limit, "rss_MB": rss_mb()})


# ---------------------------------------------------------------- (v) closed-form path vs the limit kernel
def limit_kernel():
    """A hand-written numba kernel of the bilinear path's formula: per singular value the quartic of heavy
    ball (``eta^2 sigma^2 mu^2``: simultaneous, ``mu^3``: alternating) rooted by the same compiled ``top4``;
    no flags, no refinement, no generated code."""
    import numba

    from gametheory.sweep.roots import compiled_formulas

    top4 = compiled_formulas()["top4"]

    @numba.njit(parallel=True, error_model="numpy")
    def kernel(eta, beta, sig, alternating, out):
        for i in numba.prange(eta.size):
            e = eta[i]
            for j in range(beta.size):
                b = beta[j]
                best = 0.0
                for k in range(sig.size):
                    es2 = e * e * sig[k] * sig[k]
                    c3 = -2.0 - 2.0 * b + (es2 if alternating else 0.0)
                    c2 = 1.0 + 4.0 * b + b * b + (0.0 if alternating else es2)
                    r, _ = top4(1.0, c3, c2, -2.0 * b - 2.0 * b * b, b * b, 1e-7)
                    if r > best:
                        best = r
                out[i, j] = best

    return kernel


def closed_form_vs_limit(rng, n_grid, method, label, reps=3):
    A = int_matrix(rng, 50)
    sig = np.linalg.svd(A.astype(float), compute_uv=False)
    eta = np.linspace(1e-3, 0.5, n_grid) / sig.max() * 2
    beta = np.linspace(-1.0, 1.0, n_grid)
    game = gt.games.bilinear(A.tolist())
    kern = limit_kernel()
    out = np.empty((n_grid, n_grid))
    alternating = method.order == "alternating"
    kern(eta[:3], beta[:3], sig, alternating, out[:3, :3])  # compile
    sweep_radius(game, method, eta=eta[:3, None], beta=beta[None, :3])
    # same path through the public function (kernels cached: warm)
    from gametheory.sweep import modes

    refined = [0]
    plain = modes._refine_point

    def counting(*a, **k):  # points the engine recomputes exactly (clusters, suspect magnitudes)
        refined[0] += 1
        return plain(*a, **k)

    # interleaved repetitions (the machine is shared): the best of each
    t_limit, t_engine = [], []
    modes._refine_point = counting
    try:
        for _ in range(reps):
            t_limit.append(timed(lambda: kern(eta, beta, sig, alternating, out))[0])
            t_engine.append(timed(lambda: sweep_radius(game, method, eta=eta[:, None], beta=beta[None, :]))[0])
    finally:
        modes._refine_point = plain
    t_limit, t_engine = min(t_limit), min(t_engine)
    t_public, R = timed(lambda: gt.spectral_radius(game, method, eta=eta[:, None], beta=beta[None, :]))
    diff = float(np.max(np.abs(R - out) / out))
    _, _, peak = traced(lambda: sweep_radius(game, method, eta=eta[:, None], beta=beta[None, :]))
    return say({"target": "v", "case": f"closed-form path vs limit kernel, {label}, bilinear 50x50, "
                                        f"{n_grid}x{n_grid}", "points": n_grid * n_grid, "engine_s": t_engine,
                "public_s": t_public, "limit_s": t_limit, "ratio_engine_over_limit": t_engine / t_limit,
                "max_rel_diff_vs_limit": diff, "refined_points_per_call": refined[0] / reps,
                "goal": "within 1.5x of the limit kernel",
                "met": t_engine / t_limit <= 1.5, "peak_MB_traced_engine": peak, "rss_MB": rss_mb()})


# ---------------------------------------------------------------- (vi) general path vs per-point baseline
def general_vs_baseline(rng, n, n_grid, baseline, n_sample=300):
    """Alternating momentum on a non-bilinear quadratic n+n game (the general path) vs the per-point baseline."""
    P = np.diag(rng.integers(1, 3, n)).tolist()
    Q = np.diag(rng.integers(1, 3, n)).tolist()
    A = rng.integers(-2, 3, (n, n)).tolist()
    game = gt.games.quadratic(P, A, Q)
    eta = np.linspace(1e-3, 0.3, n_grid)
    beta = np.linspace(-0.9, 0.9, n_grid)
    path = choose_path(game, ALT, eta=0.1, beta=0.1)
    t_cold, _ = timed(lambda: gt.spectral_radius(gt.games.quadratic(P, A, Q), ALT, eta=eta[:, None],
                                                 beta=beta[None, :]))
    # warm: the same grid again on a game that has run it once (its polynomial interpolated, the kernel loaded;
    # a 2 x 2 warm-up would leave numba's first-use set-up, about a second per process, inside the warm time)
    t_first, _ = timed(lambda: gt.spectral_radius(game, ALT, eta=eta[:, None], beta=beta[None, :]))
    t_warm, R = timed(lambda: gt.spectral_radius(game, ALT, eta=eta[:, None], beta=beta[None, :]))
    per_point, ii, jj, ref, N, _ = baseline(game, ALT, eta, beta, n_sample, rng)
    npts = n_grid * n_grid
    err = float(np.max(np.abs(R[ii, jj] - ref) / ref))
    sub = max(2, n_grid // 10)
    _, _, peak = traced(lambda: gt.spectral_radius(game, ALT, eta=eta[:sub, None], beta=beta[None, :]))
    return say({"target": "vi", "case": f"general path ({path}), quadratic {n}+{n} (state {N}), alternating "
                                         f"momentum, {n_grid}x{n_grid}", "points": npts, "cold_s": t_cold,
                "first_call_on_game_s": t_first, "warm_s": t_warm, "baseline_per_point_ms": per_point * 1e3,
                "speedup_warm": per_point * npts / t_warm, "speedup_cold": per_point * npts / t_cold,
                "goal": ">= 200x", "met": per_point * npts / t_warm >= 200, "max_rel_diff_vs_baseline": err,
                "peak_MB_traced_subgrid": peak, "rss_MB": rss_mb()})


# ---------------------------------------------------------------- (vii) dask
def dask_sweep_row(rng, seconds, points=None, memmap_dir=None):
    """``executor="dask"`` on a local distributed cluster (2 worker processes, 1 thread each): as many
    points as fit in about ``seconds`` (measured rate), or exactly ``points``; results compared with the
    local path on a slice."""
    import distributed

    A = int_matrix(rng, 4)
    game = gt.games.bilinear(A.tolist())
    smax = float(np.linalg.norm(A, 2))
    row = {"target": "vii", "case": "dask sweep, bilinear 4x4, alternating momentum, LocalCluster(2 processes)"}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        def run(n_eta, n_beta, out=None):
            eta = np.linspace(1e-3, 1.0, n_eta) / smax * 2
            beta = np.linspace(-1.0, 1.0, n_beta)
            return timed(lambda: sweep_radius(game, ALT, eta=eta[:, None], beta=beta[None, :], executor="dask",
                                              scheduler=client, out=out))

        run(100, 1000)  # workers import, compile
        n_cal = 1000 if seconds is None or seconds >= 30 else 200
        t_cal, _ = run(n_cal, 1000)
        rate = n_cal * 1000 / t_cal
        if points is None:
            points = int(min(max(rate * seconds, 1e6), 1e8))
        n_beta = 1000
        n_eta = max(1, points // n_beta)
        out = None
        if memmap_dir is not None:
            out = np.lib.format.open_memmap(f"{memmap_dir}/dask_sweep.npy", mode="w+", shape=(n_eta, n_beta))
        t, R = run(n_eta, n_beta, out)
        eta = np.linspace(1e-3, 1.0, n_eta) / smax * 2
        beta = np.linspace(-1.0, 1.0, n_beta)
        k = min(n_eta, 200)
        local = sweep_radius(game, ALT, eta=eta[:k, None], beta=beta[None, :])
        same = bool(np.array_equal(np.asarray(R[:k]), local))
    row.update(points=n_eta * n_beta, seconds=t, points_per_s=n_eta * n_beta / t,
               calibration_points_per_s=rate, identical_to_local_on_first_rows=same, local_rows_checked=k,
               out="memmap" if memmap_dir is not None else "ndarray", goal="~1 minute of points on 2 cores; "
               "10^8 behind --dask-1e8", met=same, rss_MB=rss_mb())
    return say(row)


def exact_quadratic(rng, n):
    """Exact ``stability`` (alternating momentum) on a rational quadratic n+n game, fresh game object."""
    B = rng.integers(-2, 3, (n, n))
    C = rng.integers(-2, 3, (n, n))
    P = (B @ B.T // n + np.eye(n, dtype=int)).tolist()
    Q = (C @ C.T // n + np.eye(n, dtype=int)).tolist()
    A = rng.integers(-3, 4, (n, n)).tolist()
    eta, beta = sp.Rational(1, 50), sp.Rational(-1, 10)
    t, verdict = timed(lambda: gt.stability(gt.games.quadratic(P, A, Q), ALT, eta=eta, beta=beta))
    M = augmented_matrix(gt.games.quadratic(P, A, Q), ALT, {"eta": float(eta), "beta": float(beta)}, exact=False)
    ref = float(np.abs(np.linalg.eigvals(M)).max())
    return say({"target": "iv", "case": f"exact stability, rational quadratic {n}+{n}, alternating momentum "
                                         f"(state {4 * n}), eta={eta}, beta={beta}", "stability_s": t,
                "verdict": verdict, "radius_eigvals": ref, "goal": "exact verdicts for quadratic 50+50 games",
                "met": verdict in ("converges", "diverges", "bounded") and t < 600, "rss_MB": rss_mb()})
