"""Do the fused Torch kernels pay? Each against the registry rule it fuses, in the same process.

A method's spec (:class:`gametheory.methods.MethodSpec`) may name a fused
Torch kernel (``torch_kernel``): the same formula with the Jacobian products
taken as reverse passes over the gradients' kept graph (consensus, SGA,
LCGD), autograd through the unrolled steps (unrolled), conjugate gradients
warm-started on the local game (CGD). The plain path is the registry rule
itself run through matrix-free ``torch.func`` operators
(``generic=True``). A fused copy is kept only where it is at least
:data:`KEEP` times faster; this benchmark times both on the 4-Gaussian GAN
at the paper's sizes (one thread; alternating blocks, fastest of
``--rounds`` kept, so load drift on a shared machine cancels) and prints
the verdict per method. Both paths are tested step for step against the
NumPy iteration of the rule (``tests/neural/test_neural_optimizers.py``).

Writes ``benchmarks/results/fused.json``.

Usage: ``python3 benchmarks/bench_fused.py [--steps 5] [--rounds 3] [--threads 1]``
"""
from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KEEP = 1.5
OPTIONS = {"consensus": {"gamma": 0.1}, "sga": {"lam": 0.1}, "lcgd": {}, "unrolled": {"k": 6}, "cgd": {}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=5, help="timed steps per block")
    ap.add_argument("--rounds", type=int, default=3, help="alternating blocks per path (fastest kept)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args(argv)

    import bench_neural as bn

    import gametheory as gt
    from gametheory.io import atomic_write_json
    from gametheory.neural.optimizers import make_optimizer
    from gametheory.provenance import environment

    sync, nets = bn._bench_gan(args.threads, args.device)
    rows = []
    for name, spec in gt.methods.REGISTRY.items():
        if spec.torch_kernel is None:
            continue
        fns = {}
        for generic in (False, True):
            g, d, loss = nets()
            opt = make_optimizer(name, list(g.parameters()), list(d.parameters()), lr=1e-2, generic=generic,
                                 **OPTIONS.get(name, {}))
            fns["generic" if generic else "fused"] = (lambda o=opt, f=loss: o.step(f))
        best, _ = bn._fastest_blocks(fns, args.steps, args.rounds, sync, warmup=1)
        ratio = best["generic"] / best["fused"]
        rows.append({"method": name, "kernel": spec.torch_kernel, "fused_seconds_per_step": best["fused"],
                     "generic_seconds_per_step": best["generic"], "speedup": ratio, "keep": ratio >= KEEP,
                     "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
        print(f"{name:<10} fused {best['fused']:.4f} s  registry rule {best['generic']:.4f} s  "
              f"speed-up {ratio:5.2f}x  {'keep' if ratio >= KEEP else 'DROP (< %.1fx)' % KEEP}", flush=True)
    out = ROOT / "results" / "fused.json"
    atomic_write_json(out, {"keep_threshold": KEEP, "rows": rows, "settings": vars(args), "environment": environment()})
    print(f"written {out}")


if __name__ == "__main__":
    main()
