"""``gametheory check [--only ID ...] [--json]``: check the published claims and print the verdicts.

Each claim of the :mod:`paper_checks` modules is checked by the toolkit's own
computation; the table shows the verdict (confirmed / refuted / inconclusive)
with the toolkit's value next to the published one. ``--only`` takes claim
ids or module prefixes (``--only icr2019``); ``--list`` lists the ids.
Exit status 0 whatever the verdicts (a refuted claim is a finding).

Scale: ``check`` runs the numeric and neural checks at the *quick* scale by
default (seconds), while ``gametheory reproduce`` uses the *default* scale;
``--scale default`` gives the report's numbers, ``--scale full`` the papers'.
"""
from __future__ import annotations

import shutil
import sys
import textwrap


def register(sub):
    from ..claims import SCALES

    p = sub.add_parser("check", help="check published claims and print the verdict table", description=__doc__)
    p.add_argument("--only", nargs="+", metavar="ID", help="claim ids or module prefixes")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--list", action="store_true", help="list the claim ids and citations")
    p.add_argument("--scale", choices=SCALES, default="quick",
                   help="scale of the numeric and neural checks (default: quick)")
    p.add_argument("--no-neural", action="store_true", help="skip the neural (Torch) checks")
    p.add_argument("--seed", type=int, default=0, help="base seed of the random checks")
    p.add_argument("--progress", action="store_true", help="show a progress bar")
    p.set_defaults(func=run)


def _rows_text(rows, width):
    keys = ("ours", "published", "counterexample", "reason", "citation")
    label = max(len(k) for k in keys) + 2  # "counterexample: " (the colon, then a space)
    indent = " " * (2 + label)
    out = []
    for r in rows:
        out.append(f"{r['verdict'].upper():<13} {r['id']}  ({r['seconds']:.2f} s)")
        for key in keys:
            if r.get(key):
                out.append(textwrap.fill(str(r[key]), width=max(60, width), initial_indent=f"  {key + ':':<{label}}",
                                         subsequent_indent=indent))
        if r.get("error"):
            out.append(f"  {'error:':<{label}}" + r["error"].strip().splitlines()[-1])
    return "\n".join(out)


def run(args):
    from ..claims import claims_summary
    from ..paper_checks import registry, run_checks

    if args.list:
        for cid, c in registry().items():
            print(f"{cid:<55} {c.citation}")
        return 0
    rows = run_checks(ids=args.only, scale=args.scale, seed=args.seed, neural=not args.no_neural,
                      progress=args.progress)
    if args.json:
        from ..io import to_json

        print(to_json(rows))
        return 0
    width = shutil.get_terminal_size((110, 20)).columns
    print(_rows_text(rows, width))
    counts = claims_summary(rows)
    print(f"\n{len(rows)} claims at the {args.scale} scale: " + ", ".join(f"{n} {v}" for v, n in counts.items())
          + ("" if args.scale != "quick" else " (gametheory reproduce uses the default scale: --scale default)"),
          file=sys.stdout)
    return 0
