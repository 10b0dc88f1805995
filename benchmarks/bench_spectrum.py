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
* ``selections`` / ``selections_init``: at ``n ~ 2000`` (equilibrium and
  initialisation) every ARPACK selection (``"LM"``, ``"LR"``, ``"SR"``,
  ``"imag"``, ``"imag_off_kernel"``) against the dense spectrum (products,
  seconds, the largest distance to the dense selection over ``max |lambda|``),
  and the spectral transformation tried for the smallest real parts,
  ARPACK's largest moduli of ``exp(-t J)`` (``|exp(-t lambda)| = exp(-t Re
  lambda)``, ``t = 5 / max |lambda|``, ``exp(-t J) u`` by a 20-step Arnoldi
  approximation), to compare with ARPACK's plain ``"SR"``;
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


def _select(lam, k, which):
    from gametheory.neural.spectrum import _select as select

    return select(lam, k, which)


def _multiset_error(got, want):
    """max over ``want`` of the distance to the nearest of ``got`` (and back): 0 when the two sets agree."""
    import numpy as np

    got, want = np.asarray(got), np.asarray(want)
    return float(max(np.max(np.min(np.abs(got[:, None] - want[None, :]), axis=0)),
                     np.max(np.min(np.abs(got[:, None] - want[None, :]), axis=1))))


def _exp_transform_sr(J, k, t, m):
    """The ``k`` eigenvalues of smallest real part of ``J`` as ARPACK's largest moduli of ``exp(-t J)``."""
    import numpy as np
    from scipy.linalg import expm
    from scipy.sparse.linalg import LinearOperator, eigs

    L = J.linear_operator()

    def expmv(u):
        n = len(u)
        V = np.zeros((n, m + 1))
        H = np.zeros((m + 1, m))
        beta = np.linalg.norm(u)
        V[:, 0] = u / beta
        mm = m
        for j in range(m):
            w = L.matvec(V[:, j])
            for _ in range(2):  # Gram-Schmidt twice
                c = V[:, :j + 1].T @ w
                H[:j + 1, j] += c
                w = w - V[:, :j + 1] @ c
            H[j + 1, j] = np.linalg.norm(w)
            if H[j + 1, j] < 1e-14 * beta:
                mm = j + 1
                break
            V[:, j + 1] = w / H[j + 1, j]
        return beta * V[:, :mm] @ expm(-t * H[:mm, :mm])[:, 0]

    n = J.n
    op = LinearOperator((n, n), matvec=expmv, dtype=np.float64)
    _, vec = eigs(op, k=k, which="LM", v0=np.random.default_rng(0).standard_normal(n), ncv=max(2 * k + 1, 20),
                  tol=1e-12)
    return np.array([(vec[:, i].conj() @ (L.matvec(vec[:, i].real) + 1j * L.matvec(vec[:, i].imag)))
                     / (vec[:, i].conj() @ vec[:, i]) for i in range(k)])


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
        J4 = GameJacobian(gan.field, x, y)  # the ten nearest the imaginary axis off the kernel
        t = time.perf_counter()
        near = J4.eigenvalues(k=10, which="imag_off_kernel", dense=False)
        out["imag_off_kernel"] = {"seconds": time.perf_counter() - t, "products": J4.products,
                                  "eigenvalues": [[float(l.real), float(l.imag)] for l in near]}
        out["repeatable"] = bool(np.allclose(np.sort(np.abs(lam)), np.sort(np.abs(lam2)), rtol=1e-8))
    elif name == "arpack_init":  # the initialisation: J has full rank, a harder case than the equilibrium's
        J0 = GameJacobian(gan.field, gan.x0, gan.y0)
        t = time.perf_counter()
        lam = J0.eigenvalues(k=10, which="LM", dense=False)
        out["cold"] = time.perf_counter() - t
        out["products_cold"] = J0.products
        out["top10"] = [[float(l.real), float(l.imag)] for l in lam]
    elif name in ("selections", "selections_init"):  # every ARPACK selection against the dense spectrum (n ~ 2000)
        if name == "selections_init":
            J = GameJacobian(gan.field, gan.x0, gan.y0)
        t = time.perf_counter()
        D = J.dense()
        full = np.linalg.eigvals(D)
        out["dense_seconds"] = time.perf_counter() - t
        R = float(np.max(np.abs(full)))
        out["max_abs"] = R
        for which in ("LM", "LR", "SR", "imag", "imag_off_kernel"):
            Jw = GameJacobian(gan.field, J.x, J.y)
            t = time.perf_counter()
            try:
                lam = Jw.eigenvalues(k=10, which=which, dense=False)
                ok = True
            except Exception as exc:  # ArpackNoConvergence: reported, not hidden
                lam, ok = np.zeros(0), f"{type(exc).__name__}"
            sec = time.perf_counter() - t
            want = _select(full, 10, which)
            out[which] = {"seconds": sec, "products": Jw.products, "converged": ok,
                          "max_error_over_max_abs": _multiset_error(lam, want) / R if len(lam) else None}
        # the spectral transformation tried for the smallest real parts: ARPACK's largest moduli of exp(-t J)
        # (|exp(-t lambda)| = exp(-t Re lambda)), exp(-t J) u by an m-step Arnoldi approximation, eigenvalues of J
        # from the Ritz vectors' Rayleigh quotients
        for T, m in ((5.0, 20),):
            Jw = GameJacobian(gan.field, J.x, J.y)
            t = time.perf_counter()
            lam = _exp_transform_sr(Jw, 10, T / R, m)
            sec = time.perf_counter() - t
            out[f"SR_exp_T{T:g}_m{m}"] = {"seconds": sec, "products": Jw.products,
                                         "max_error_over_max_abs": _multiset_error(lam, _select(full, 10, "SR")) / R}
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
    ap.add_argument("--skip-big", action="store_true", help="only the small network's phases")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "spectrum.json"))
    a = ap.parse_args(argv)
    ctx = mp.get_context("spawn")
    rows = {}
    for name, hidden, scale in (("products", a.hidden, "paper"), ("arpack", a.hidden, "paper"),
                                ("arpack_init", a.hidden, "paper"), ("small", a.small_hidden, "paper"),
                                ("selections", a.small_hidden, "paper"), ("selections_init", a.small_hidden, "paper")):
        if a.skip_big and hidden == a.hidden:
            continue
        with ctx.Pool(1) as pool:
            rows[name] = pool.apply(_phase, ((name, hidden, a.device, a.threads, scale),))
        print(json.dumps(rows[name])[:400], flush=True)
    sel = {ph: {w: rows[ph][w] for w in ("LM", "LR", "SR", "imag", "imag_off_kernel", "SR_exp_T5_m20")}
           for ph in ("selections", "selections_init")}
    if a.skip_big:
        out = {"summary": {"small_selections": sel}, "rows": rows}
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        from gametheory.io import atomic_write_json

        atomic_write_json(a.out, out)
        print(json.dumps(out["summary"], indent=1))
        return
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
        "imag_off_kernel_seconds": ar["imag_off_kernel"]["seconds"],
        "imag_off_kernel_products": ar["imag_off_kernel"]["products"],
        "small_selections": sel,
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
