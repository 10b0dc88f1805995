"""``gametheory reproduce [--out DIR] [--quick | --full]``: the one-command report.

Runs the analyses, the figures, the paper checks and (when Torch is
installed) the neural experiments, and writes ``index.html``, ``report.md``
and ``results.json`` into ``--out`` (default ``out/report``, git-ignored).
Default scale: about 10 minutes on 2 idle CPU cores; ``--quick``: about 75 s
(smaller numeric and neural checks, nothing skipped: see the README); ``--full``:
the papers' scale (20 GAN seeds per method, hours). Re-running reuses finished parts (cached in
``DIR/cache``, keyed by code version and parameters). Exit status 0 when the
run completed, whatever the verdicts; 1 when a part failed (the report shows
which); 2 on bad arguments.
"""
from __future__ import annotations

import sys
import time


def register(sub):
    from ..report import PARTS

    p = sub.add_parser("reproduce", help="run everything and write an HTML/Markdown/JSON report",
                       description=__doc__)
    p.add_argument("--out", default="out/report", help="output folder (default: out/report)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="a quick pass (about 75 s on 2 cores)")
    g.add_argument("--full", action="store_true", help="the papers' scale (long)")
    p.add_argument("--no-neural", action="store_true", help="skip the neural (Torch) experiments")
    p.add_argument("--seed", type=int, default=0, help="base seed")
    p.add_argument("--parts", nargs="+", choices=PARTS,
                   help="run only these parts")
    p.add_argument("--only", nargs="+", metavar="ID", help="only these claims (ids or module prefixes)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(func=run)


def run(args):
    from ..report import build_report

    scale = "quick" if args.quick else "full" if args.full else "default"
    t0 = time.perf_counter()
    try:
        res = build_report(args.out, scale=scale, neural=False if args.no_neural else None, seed=args.seed,
                           progress=not args.no_progress, parts=args.parts, claim_ids=args.only)
    except OSError as exc:
        print(f"gametheory reproduce: error: cannot write the report to {args.out!r}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\ngametheory reproduce: interrupted; finished parts and claims are cached in {args.out}/cache, "
              "run the same command again to resume", file=sys.stderr)
        return 130
    wall = time.perf_counter() - t0
    s = res.get("claims_summary", {})
    print(f"report written to {args.out}/index.html ({scale} scale, {wall:.1f} s)")
    for name, part in res["parts"].items():
        note = part.get("reason") or part.get("error") or ""
        print(f"  {name:<9} {part['status']:<14} {'(cached) ' if part.get('cached') else ''}{part['seconds']:.1f} s"
              f"  {note}")
    print("  claims: " + ", ".join(f"{n} {k}" for k, n in s.items()))
    failed = [n for n, p in res["parts"].items() if p["status"] == "error"]
    if failed:
        print(f"gametheory reproduce: error: part(s) {', '.join(failed)} failed; see {args.out}/results.json",
              file=sys.stderr)
        return 1
    return 0
