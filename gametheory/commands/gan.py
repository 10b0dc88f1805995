"""``gametheory gan``: train GANs over many seeds and count the modes each learned.

Example: ``gametheory gan --data gaussians4 --method gda --seeds 20 --iters 1500 --json gda.json``
(the Mangoubi-Sachdeva-Vishnoi setting). Prints the share of runs that learned
0, 1, 2, ... modes at the last iteration. Finished seeds are kept under
``--out DIR`` and reused after an interruption. Needs PyTorch.
"""
from __future__ import annotations

from ..validation import ParameterError


def register(sub):
    p = sub.add_parser("gan", help="train GANs over many seeds (Torch) and report the modes covered",
                       description=__doc__)
    p.add_argument("--data", default="gaussians4", help="gaussians4, ring8, grid25 or digits01")
    p.add_argument("--method", default="gda", help="gda, msv, or an optimizer name (eg, ogd, cgd, acgd, ...)")
    p.add_argument("--seeds", type=int, default=4, help="number of seeds (0 .. N-1)")
    p.add_argument("--iters", type=int, default=300, help="iterations per run (the paper: 1500)")
    p.add_argument("--json", default=None, metavar="FILE", help="write the result as JSON")
    p.add_argument("--out", default=None, metavar="DIR", help="folder for finished seeds (resumable) and gan.json")
    p.add_argument("--device", default="auto", help="auto (CUDA when present, else CPU), cpu or cuda")
    p.add_argument("--executor", default="local", help="local (processes), dask, or ensemble (torch.func.vmap)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    p.add_argument("--layout", default="faithful", help="faithful (0.4/0.2/0.2/0.2, the authors' notebook) or clean")
    p.add_argument("--scale", default="paper", help="paper, small, tiny or numerics (Mescheder et al. 2017's "
                   "mixture networks) network and batch sizes")
    p.add_argument("--loss", default="ns", help="ns (non-saturating), minimax, wgan or wgan-gp (gradient penalty)")
    p.add_argument("--gp", type=float, default=10.0, help="gradient penalty weight with --loss wgan-gp (Gulrajani "
                   "et al.: 10)")
    p.add_argument("--clip", type=float, default=None, help="clip the critic's weights to [-CLIP, CLIP] (WGAN: 0.01)")
    p.add_argument("--batch", type=int, default=None, help="batch size instead of the scale's")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: one per core)")
    p.add_argument("--mnist", default=None, metavar="DIR", help="folder with MNIST IDX files (for --data digits01)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args):
    try:
        from ..neural.experiments import run_gan
    except ImportError as exc:  # pragma: no cover - torch missing
        raise ParameterError(f"parameter 'method': the gan command needs PyTorch ({exc})")
    from ..io import atomic_write_json

    result = run_gan(data=args.data, method=args.method, seeds=args.seeds, iters=args.iters, out=args.out,
                     device=args.device, executor=args.executor, scheduler=args.scheduler,
                     progress=not args.no_progress, layout=args.layout, scale=args.scale, loss=args.loss,
                     workers=args.workers, mnist_path=args.mnist, clip=args.clip, batch=args.batch, gp=args.gp)
    s, st = result["summary"], result["settings"]
    print(f"{st['data']} ({st['dataset'].get('layout', st['dataset'].get('source'))}), method {st['method']}, "
          f"{s['n_runs']} seeds x {st['iters']} iterations, scale {st['scale']}, device {st['device']}")
    if s.get("n_diverged"):
        print(f"  {s['n_diverged']} of {s['n_runs']} runs diverged (seed: step) {s['diverged_at']}; "
              f"the shares and means below are over the {s['n_finished']} that finished")
    for k, share in s["share_by_modes"].items():
        print(f"  {k:>3} modes: {100 * share:5.1f}% of runs")
    mean = "-" if s["mean_modes"] is None else f"{s['mean_modes']:.2f}"
    print(f"  mean modes {mean}, mean high-quality share {s['mean_high_quality']}, mean KL {s['mean_kl']}")
    if args.json:
        atomic_write_json(args.json, result)
        print(f"wrote {args.json}")
    return 0
