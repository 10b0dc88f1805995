"""ACGD's ``eps``, chosen by measurement: step size and conjugate-gradient cost on the four-Gaussian GAN.

For each ``eps`` (the floor in ACGD's per-coordinate step size
``H = lr sqrt(1 - beta2^t) / (sqrt(s) + eps)``), the same GAN (Mangoubi,
Sachdeva & Vishnoi's 4-Gaussian GAN at the paper's sizes, zero-sum
cross-entropy, ``lr_x = 1e-3``, ``lr_y = 1e-4``, the same initialisation and
batches) takes ``--steps`` ACGD steps; printed per ``eps``: the largest move
of any weight in the first step and over all steps, in units of that
player's learning rate (a trustworthy default keeps it near 1), the mean and
largest number of conjugate-gradient iterations per step, the solves that
``cg_max_iter`` truncated, and the time per step relative to ``eps = 1e-5``
(the reference implementation's value, the baseline). Writes
``benchmarks/results/acgd_defaults.json``.

Usage: ``python3 benchmarks/bench_acgd_defaults.py [--steps 30] [--threads 1]``
"""
from __future__ import annotations

import argparse
import time

EPS = (1e-8, 1e-6, 1e-5, 1e-4)
BASELINE = 1e-5


def measure(eps, steps, lr_x=1e-3, lr_y=1e-4):
    import torch

    from gametheory.neural.data import mixture
    from gametheory.neural.experiments import gan_loss
    from gametheory.neural.models import discriminator, generator
    from gametheory.neural.optimizers import make_optimizer
    from gametheory.neural.tensors import flatten

    gen = torch.Generator().manual_seed(0)
    mix = mixture("gaussians4")
    g, d = generator(seed=0), discriminator()
    opt = make_optimizer("acgd", list(g.parameters()), list(d.parameters()), lr_x=lr_x, lr_y=lr_y, eps=eps)
    moves, iters, t0 = [], [], time.perf_counter()
    for _ in range(steps):
        real, z = mix.sample(512, gen), torch.randn(512, 256, generator=gen)
        x0, y0 = flatten(g.parameters()), flatten(d.parameters())
        iters.append(opt.step(gan_loss(g, d, real, z, loss="minimax")).cg_iterations)
        moves.append((float((flatten(g.parameters()) - x0).abs().max()) / lr_x,
                      float((flatten(d.parameters()) - y0).abs().max()) / lr_y))
    seconds = (time.perf_counter() - t0) / steps
    return {"eps": eps, "parameters": sum(p.numel() for p in list(g.parameters()) + list(d.parameters())),
            "first_step_move_over_lr": {"generator": moves[0][0], "discriminator": moves[0][1]},
            "max_move_over_lr": {"generator": max(m[0] for m in moves), "discriminator": max(m[1] for m in moves)},
            "mean_cg_iterations": sum(iters) / steps, "max_cg_iterations": max(iters),
            "cg_truncated": opt.totals.cg_truncated, "seconds_per_step": seconds}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    import torch

    from gametheory.io import atomic_write_json
    from gametheory.provenance import environment

    torch.set_num_threads(args.threads)
    rows = [measure(eps, args.steps) for eps in EPS]
    base = next(r for r in rows if r["eps"] == BASELINE)["seconds_per_step"]
    for r in rows:
        r["time_ratio_to_eps_1e-5"] = r["seconds_per_step"] / base
        f, m = r["first_step_move_over_lr"], r["max_move_over_lr"]
        print(f"eps {r['eps']:.0e}: first-step move / lr  G {f['generator']:7.2f}  D {f['discriminator']:7.2f}; "
              f"max over {args.steps} steps  G {m['generator']:7.2f}  D {m['discriminator']:7.2f}; CG iterations "
              f"mean {r['mean_cg_iterations']:.2f} max {r['max_cg_iterations']}, truncated {r['cg_truncated']}; "
              f"time {r['time_ratio_to_eps_1e-5']:.2f}x eps=1e-5")
    atomic_write_json("benchmarks/results/acgd_defaults.json",
                      {"environment": environment(), "steps": args.steps, "threads": args.threads, "rows": rows})


if __name__ == "__main__":
    main()
