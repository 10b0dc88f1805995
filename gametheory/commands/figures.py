"""``gametheory figures [--only ID ...] [--out DIR] [--format png,pdf] [--dpi N]``: regenerate the figures.

Renders the modules of the ``figures`` package (one per regenerated figure of
the source documents) with a progress bar and writes ``index.md`` and
``index.json`` listing each file with its caption and source.

Example: ``gametheory figures --only fig02 fig11 --format png,pdf --out out/figures``
"""
from __future__ import annotations


def register(sub):
    p = sub.add_parser("figures", help="regenerate the source documents' figures (PNG, PDF, SVG) with an index",
                       description=__doc__)
    p.add_argument("--only", nargs="+", metavar="ID", default=None,
                   help="figure ids (fig01, 1, 01 or the module name); default: all")
    p.add_argument("--out", default="out/figures", help="output folder (default: out/figures)")
    p.add_argument("--format", default="png", help="comma-separated formats among png, pdf, svg (default: png)")
    p.add_argument("--dpi", type=int, default=None, help="PNG resolution, 10 to 1200 (default: 110)")
    p.add_argument("--list", action="store_true", help="list the figures and exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from gametheory import figures

    if args.list:
        for m in figures.registry():
            print(f"{m.ID}  {m.SOURCE}\n       {m.CAPTION}")
        return 0
    entries = figures.generate(args.only, out=args.out, formats=args.format, progress=not args.quiet, dpi=args.dpi)
    for e in entries:
        print(f"{e['id']}  {e['seconds']:6.2f} s  " + ", ".join(str(f) for f in e["files"]))
    print(f"index: {args.out}/index.md")
    return 0
