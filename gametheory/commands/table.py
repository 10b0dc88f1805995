"""``gametheory table bilinear [--json | --latex]``: the derived convergence table.

For every method in the registry (and every sign of the momentum ``beta``),
whether some step size makes it converge / stay bounded on bilinear games,
decided exactly (see ``gametheory.analyses.tables``; the slides' negative-momentum table
is the momentum rows). ``--json`` prints the list of records
``{"method", "order", "beta_sign", "bounded", "converges", "condition"}``.
"""
from __future__ import annotations

from ..io import to_json
from ..validation import choice

FAMILIES = ("bilinear",)


def register(sub):
    p = sub.add_parser("table", help="print the exact convergence table of every method on a game family",
                       description=__doc__)
    p.add_argument("family", help="game family: " + ", ".join(FAMILIES))
    p.add_argument("--json", action="store_true", help="print the records as JSON")
    p.add_argument("--latex", action="store_true", help="print a LaTeX tabular")
    p.set_defaults(func=run)


def run(args):
    choice("family", args.family, FAMILIES)
    from gametheory.analyses.tables import bilinear_table, to_latex, to_markdown

    rows = bilinear_table()
    if args.json:
        print(to_json(rows))
    elif args.latex:
        print(to_latex(rows, conditions=False), end="")
    else:
        print(to_markdown(rows), end="")
    return 0
