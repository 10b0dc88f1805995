"""``gametheory glgd``: the GLGD identity with trained neural discriminators.

Trains a discriminator against a Gaussian generator of known density and
compares its generator-loss gradient with ``grad C(R)``,
``C(R) = E[(1 + R) log(1 + R)]`` (the slides "Computing the GAN Equilibrium"; Arjovsky & Bottou,
ICLR 2017, Theorem 2.5), as the discriminator trains longer. Needs PyTorch.
"""
from __future__ import annotations

from ..validation import ParameterError


def register(sub):
    p = sub.add_parser("glgd", help="check grad g(theta, f*) = grad C(R) on a neural discriminator (Torch)",
                       description=__doc__)
    p.add_argument("--json", default=None, metavar="FILE", help="write the result as JSON")
    p.add_argument("--dims", default="1,2", help="dimensions, e.g. 1,2")
    p.add_argument("--steps", default="0,25,100,400,1600", help="discriminator steps at which to compare")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def _ints(name, text):
    try:
        return tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise ParameterError(f"parameter {name!r}: expected comma-separated integers, got {text!r}")


def run(args):
    try:
        import torch  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        raise ParameterError(f"parameter 'glgd': needs PyTorch ({exc})")
    from ..io import atomic_write_json
    from ..neural.glgd import glgd_identity

    r = glgd_identity(dims=_ints("dims", args.dims), steps=_ints("steps", args.steps), seed=args.seed)
    ex = r["identity_with_bayes_discriminator"]
    print(f"with the Bayes discriminator f* = 1/(1+R): relative error {ex['relative_error']:.2e}, "
          f"cosine {ex['cosine']:.8f}")
    for run_ in r["runs"]:
        print(f"dimension {run_['dim']}:")
        for c in run_["curve"]:
            print(f"  {c['steps']:>6} discriminator steps: relative error {c['relative_error']:.4f}, "
                  f"cosine {c['cosine']:.5f}, mean |D - f*| {c['discriminator_error']:.4f}")
    print(f"best-trained discriminator: relative error {r['relative_error']:.4f}, cosine {r['cosine']:.5f}")
    if args.json:
        atomic_write_json(args.json, r)
        print(f"wrote {args.json}")
    return 0
