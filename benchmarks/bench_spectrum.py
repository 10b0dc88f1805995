"""Benchmark of the local spectrum of a neural GAN: top-10 eigenvalues of J for a ~10^5-parameter GAN.

The game: the fixed-batch GAN of :mod:`gametheory.neural.fixed_batch` on the
four-Gaussian mixture at the paper's sizes with 160 hidden units (noise 256,
two hidden layers, batch 256: 93,603 parameters), float64, at its realizable
equilibrium (:func:`gametheory.neural.equilibrium.realizable_point`).

Rows (each phase in a fresh process, so ``ru_maxrss`` is that phase's peak):

* ``gradient``: one evaluation of ``v`` (the unit every other row is divided by);
* ``jvp`` / ``vjp``: one ``J @ u`` (forward over reverse) / ``J.T @ u``
  (reverse over reverse), warm;
* ``arpack_top10``: :meth:`GameJacobian.eigenvalues` ``(k=10, which="LM")``,
  cold (a fresh object, first call, set-up included) and warm; the number of
  products it made (at the equilibrium ``J`` has low rank, which ARPACK
  resolves in few products; ``arpack_init`` repeats it at the initialisation,
  where ``J`` has full rank);
* the same at ``n ~ 3000`` next to the **plain baseline**, the dense ``J``
  (``torch.func.jacfwd``) and ``numpy.linalg.eigvals``, which must agree;
* ``dense_limit``: the dense path extrapolated to the large GAN
  (``n^2 x 8`` bytes for ``J`` alone, ``O(n^3)`` for the eigenvalues, from the
  small case's measured time): the row that says why the matrix-free path exists.

Writes ``benchmarks/results/spectrum.json``. Target: about a minute for the
top-10 on 2 cores. Usage: ``python3 benchmarks/bench_spectrum.py [--hidden 160]
[--small-hidden 8] [--device auto] [--threads 2]``
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _game(hidden, device, scale="paper"):
    from gametheory.neural.equilibrium import realizable_point
    from gametheory.neural.fixed_batch import fixed_batch_gan

    gan = fixed_batch_gan("gaussians4", scale=scale, hidden=hidden, seed=0, loss="ns", device=device)
    x, y, info = realizable_point(gan, max_iter=50)
    return gan, x, y, info


def _phase(args):
    name, hidden, device, threads, scale = args
    import numpy as np
    import torch

    torch.set_num_threads(threads)
    from gametheory.neural.spectrum import GameJacobian

    t0 = time.perf_counter()
    gan, x, y, info = _game(hidden, device, scale)
    setup = time.perf_counter() - t0
    out = {"phase": name, "n": gan.n, "setup_seconds": setup, "fit_residual": info["fit_residual"],
           "device": str(x.device)}
    J = GameJacobian(gan.field, x, y)
    u = torch.randn(gan.n, dtype=torch.float64, device=x.device)
    if name == "products":
        def best(f, reps=5):
            f()
            ts = []
            for _ in range(reps):
                t = time.perf_counter()
                f()
                ts.append(time.perf_counter() - t)
            return min(ts)

        out["gradient"] = best(lambda: gan.field.v(x + 0.0, y))
        out["jvp"] = best(lambda: J.matvec(u))
        out["vjp"] = best(lambda: J.rmatvec(u))
    elif name == "arpack":
        t = time.perf_counter()
        lam = J.eigenvalues(k=10, which="LM", dense=False)
        out["cold"] = time.perf_counter() - t
        out["products_cold"] = J.products
        J2 = GameJacobian(gan.field, x, y)
        J2.eigenvalues(k=10, which="LM", dense=False)  # warm-up of the same object type
        J3 = GameJacobian(gan.field, x, y)
        t = time.perf_counter()
        lam2 = J3.eigenvalues(k=10, which="LM", dense=False)
        out["warm"] = time.perf_counter() - t
        out["products_warm"] = J3.products
        out["top10"] = [[float(l.real), float(l.imag)] for l in lam]
        out["repeatable"] = bool(np.allclose(np.sort(np.abs(lam)), np.sort(np.abs(lam2)), rtol=1e-8))
    elif name == "arpack_init":  # the initialisation: J has full rank, a harder case than the equilibrium's
        J0 = GameJacobian(gan.field, gan.x0, gan.y0)
        t = time.perf_counter()
        lam = J0.eigenvalues(k=10, which="LM", dense=False)
        out["cold"] = time.perf_counter() - t
        out["products_cold"] = J0.products
        out["top10"] = [[float(l.real), float(l.imag)] for l in lam]
    elif name == "small":
        t = time.perf_counter()
        lam = J.eigenvalues(k=10, which="LM", dense=False)
        out["arpack"] = time.perf_counter() - t
        out["products"] = J.products
        t = time.perf_counter()
        D = J.dense()
        out["dense_assembly"] = time.perf_counter() - t
        t = time.perf_counter()
        full = np.linalg.eigvals(D)
        out["dense_eigvals"] = time.perf_counter() - t
        want = np.sort(np.abs(full))[::-1][:10]
        out["max_rel_error_vs_dense"] = float(np.max(np.abs(np.sort(np.abs(lam))[::-1] - want)) / want[0])
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", type=int, default=160)
    ap.add_argument("--small-hidden", type=int, default=8)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "spectrum.json"))
    a = ap.parse_args(argv)
    ctx = mp.get_context("spawn")
    rows = {}
    for name, hidden, scale in (("products", a.hidden, "paper"), ("arpack", a.hidden, "paper"),
                                ("arpack_init", a.hidden, "paper"), ("small", a.small_hidden, "paper")):
        with ctx.Pool(1) as pool:
            rows[name] = pool.apply(_phase, ((name, hidden, a.device, a.threads, scale),))
        print(json.dumps(rows[name])[:400], flush=True)
    p, ar, sm = rows["products"], rows["arpack"], rows["small"]
    g = p["gradient"]
    n_big, n_small = ar["n"], sm["n"]
    dense_time = sm["dense_assembly"] * (n_big / n_small) ** 2 + sm["dense_eigvals"] * (n_big / n_small) ** 3
    summary = {
        "n_parameters": n_big, "device": ar["device"], "threads": a.threads,
        "gradient_seconds": g, "jvp_over_gradient": p["jvp"] / g, "vjp_over_gradient": p["vjp"] / g,
        "arpack_top10_cold_seconds": ar["cold"], "arpack_top10_warm_seconds": ar["warm"],
        "arpack_products": ar["products_warm"], "arpack_warm_over_gradient": ar["warm"] / g,
        "arpack_peak_mib": ar["peak_mib"],
        "arpack_top10_at_initialisation_seconds": rows["arpack_init"]["cold"],
        "arpack_products_at_initialisation": rows["arpack_init"]["products_cold"],
        "small": {"n": n_small, "arpack_seconds": sm["arpack"], "dense_seconds": sm["dense_assembly"] +
                  sm["dense_eigvals"], "dense_over_arpack": (sm["dense_assembly"] + sm["dense_eigvals"]) / sm["arpack"],
                  "max_rel_error_vs_dense": sm["max_rel_error_vs_dense"], "peak_mib": sm["peak_mib"]},
        "dense_limit": {"n": n_big, "J_bytes": 8 * n_big ** 2,
                        "extrapolated_seconds": dense_time,
                        "note": "assembly ~ n^2 products, eigvals ~ n^3, from the small case"},
        "target": "top-10 eigenvalues of a 1e5-parameter GAN in about a minute on 2 cores",
    }
    out = {"summary": summary, "rows": rows}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    from gametheory.io import atomic_write_json

    atomic_write_json(a.out, out)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
