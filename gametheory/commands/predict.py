"""``gametheory predict DATA METHOD [--order ORDER] NAME=V1,V2,... [--scale tiny|small|paper] [--seed N]
[--device D] [--json FILE] [--out DIR]``: the theory checked on a neural GAN.

Builds a small GAN on a fixed batch of ``DATA`` (``gaussians4``, ``ring8``,
``grid25``, ``digits01``; float64), finds a local equilibrium ``v(z*) = 0``
(``--start realizable``: the generator reproduces the batch and the
discriminator is constant, the equilibrium of Mescheder et al. 2018;
``--start trained``: a trained point, refined), reads the spectrum of ``J``,
and for every point of the Cartesian grid of the ``NAME=V1,V2,...`` values
predicts METHOD's local rate (closed form over the eigenvalues of ``J``, or
the JVP of one step of the registry rule) and measures it (the rule run from
``z* + delta``). Prints one line per point with both verdicts, the agreement
rate and, where they disagree, which assumption broke.

Example: ``gametheory predict gaussians4 momentum --order alternating eta=0.5,1 beta=-0.5,-0.2,0,0.2
--loss minimax --layout clean --batch 4 --out out/predict``. Needs PyTorch.
"""
from __future__ import annotations

from ..validation import ParameterError


def _grid(items, method) -> dict:
    """``NAME=V1,V2,...`` items as ``{name: [values]}`` (integers for the method's integer parameters)."""
    out = {}
    ints = set(method.spec.integer_params)
    for item in items:
        if "=" not in item:
            raise ParameterError(f"parameter {item!r}: expected NAME=V1,V2,... (e.g. eta=0.1,0.2)")
        k, v = item.split("=", 1)
        k = k.strip()
        if k not in method.param_names:
            raise ParameterError(f"parameter {k!r}: expected a parameter of {method.name!r}, one of "
                                 + ", ".join(method.param_names))
        vals = []
        for tok in v.split(","):
            tok = tok.strip()
            if not tok:
                continue
            try:
                vals.append(int(tok) if k in ints else float(tok))
            except ValueError:
                raise ParameterError(f"parameter {k!r}: expected numbers separated by commas, got {tok!r}")
        if not vals:
            raise ParameterError(f"parameter {k!r}: expected at least one value")
        out[k] = vals
    if not out:
        raise ParameterError("parameter 'NAME=V1,V2,...': expected at least one, e.g. eta=0.1,0.5")
    return out


def register(sub):
    p = sub.add_parser("predict", help="predicted vs measured local rates of a method on a neural GAN (Torch)",
                       description=__doc__)
    p.add_argument("data", help="gaussians4, ring8, grid25 or digits01")
    p.add_argument("method", help="a registry method (gd, momentum, eg, ogd, past_eg, consensus, sga, cgd, lcgd, "
                                  "unrolled, n_inner)")
    p.add_argument("params", nargs="*", help="grid values as NAME=V1,V2,... (eta, eta_x, eta_y, beta, gamma, lam, "
                                             "eta_extrap, k, n, ...: the method's parameters)")
    p.add_argument("--order", default=None, help="simultaneous or alternating")
    p.add_argument("--scale", default="tiny", help="tiny, small or paper network sizes (default tiny)")
    p.add_argument("--seed", type=int, default=0, help="seed of the networks, the batch and the perturbation")
    p.add_argument("--device", default="auto", help="auto (CUDA when present, else CPU), cpu or cuda")
    p.add_argument("--json", default=None, metavar="FILE", help="write the result as JSON")
    p.add_argument("--out", default=None, metavar="DIR", help="draw the figures into DIR")
    p.add_argument("--loss", default="ns", help="ns (non-saturating), minimax (saturating) or wgan")
    p.add_argument("--r1", type=float, default=0.0, metavar="GAMMA", help="R1 penalty weight (Mescheder et al. 2018)")
    p.add_argument("--layout", default="faithful", help="faithful or clean (gaussians4)")
    p.add_argument("--batch", type=int, default=None, help="fixed batch size (default: the scale's)")
    p.add_argument("--start", default="realizable", help="realizable, or trained (then refined)")
    p.add_argument("--kernel", default="gap", help="gap (exact kernel and slow modes below the largest gap), exact, "
                                                   "or a relative threshold")
    p.add_argument("--steps", type=int, default=400, help="steps of each measured run (default 400)")
    p.add_argument("--delta", type=float, default=1e-5, help="relative size of the initial perturbation")
    p.add_argument("--no-measure", action="store_true", help="predictions only")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args):
    try:
        import torch  # noqa: F401
    except ImportError as exc:  # pragma: no cover - torch missing
        raise ParameterError(f"parameter 'method': the predict command needs PyTorch ({exc})")
    from .. import methods
    from ..io import atomic_write_json
    from ..neural.equilibrium import find_equilibrium
    from ..neural.fixed_batch import fixed_batch_gan
    from ..neural.prediction import predict

    m = methods.get(args.method, order=args.order)
    grid = _grid(args.params, m)
    kernel = args.kernel
    if kernel not in ("gap", "exact"):
        try:
            kernel = float(kernel)
        except ValueError:
            raise ParameterError(f"parameter 'kernel': expected gap, exact or a number, got {args.kernel!r}")
    gan = fixed_batch_gan(args.data, scale=args.scale, seed=args.seed, loss=args.loss, r1=args.r1,
                          layout=args.layout, batch=args.batch, device=args.device)
    eq = find_equilibrium(gan, start=args.start, kernel=kernel, seed=args.seed)
    s = eq.summary()
    print(f"{args.data} ({gan.settings['scale']}: {s['n_params']} parameters, loss {args.loss}"
          f"{f', R1 {args.r1:g}' if args.r1 else ''}, batch {gan.settings['batch']}, device "
          f"{gan.settings['device']}): equilibrium ({args.start}) |v| = {s['grad_norm']:.3g}, relative "
          f"{s['relative_grad_norm']:.3g}{'' if s['converged'] else ' (NOT converged: predictions are about a non-stationary point)'}")
    k = s["kernel"]
    ex = k["exact"]
    exact = (f"{ex['dim']} null vectors, zero eigenvalue of algebraic multiplicity {ex['algebraic_multiplicity']}"
             f"{' (DEFECTIVE: Jordan blocks ' + str(ex['jordan_blocks']) + ')' if ex['defective'] else ''}"
             if ex else "?")
    print(f"  {s['kind']}; kernel: {exact} + {k['slow_modes']} slow modes = {k['treated_as_kernel']} eigenvalues "
          f"set aside (|lambda| <= {k['threshold']:.3g}); off-kernel min Re lambda "
          f"{s['min_real_part_off_kernel']:.4g}, max |lambda| {s['max_abs_eigenvalue']:.4g}")
    res = predict(eq, m, grid, measure=not args.no_measure, steps=args.steps, delta=args.delta, seed=args.seed,
                  progress=not args.no_progress)
    names = list(grid)
    for p in res.points:
        label = " ".join(f"{n}={p.params[n]:g}" for n in names)
        line = f"  {label}: predicted {p.predicted_rho:.6f} ({p.predicted_verdict})"
        if p.measured_verdict is not None:
            line += f", measured {p.measured_rho:.6f} ({p.measured_verdict}){'' if p.agree else '  DISAGREE'}"
        print(line)
        if p.reason:
            print(f"      {p.reason}")
    sm = res.summary
    if sm["agreement_rate"] is not None:
        ex = sm["exponent_within_10pct_rate"]
        print(f"  verdicts agree on {sm['agreement_rate']:.0%} of {sm['measured']} points (target 90%); clearly "
              f"converging points: {sm['clearly_converging']}"
              + (f", decay exponent within 10% on {ex:.0%} (max error {sm['max_exponent_rel_error']:.1%})"
                 if ex is not None else ""))
    out = res.to_json()
    if args.out:
        from ..neural.prediction_figures import save_prediction_figures

        paths = save_prediction_figures(out, args.out, stem=f"predict_{args.data}_{m.name}")
        out["figures"] = [str(p) for p in paths]
        print(f"  figures: {', '.join(str(p) for p in paths)}")
    if args.json:
        atomic_write_json(args.json, out)
        print(f"wrote {args.json}")
    return 0
