"""``gametheory analyze GAME METHOD [name=value ...]``: derive and decide one case.

Example: ``gametheory analyze bilinear momentum --order alternating eta=1/2 beta=-1/5``
prints the augmented Jacobian, the characteristic polynomial, the exact
spectral radius and the verdict (``--latex`` for LaTeX, ``--json`` for JSON).
"""
from __future__ import annotations

import json

import sympy as sp

from .. import games, methods
from ..derive import derive
from ..spectral import stability_report
from ..validation import ParameterError


def _pairs(items):
    out = {}
    for item in items:
        if "=" not in item:
            raise ParameterError(f"parameter {item!r}: expected name=value, e.g. eta=1/2")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def register(sub):
    p = sub.add_parser("analyze", help="derive a method's augmented Jacobian on a catalogue game and decide stability",
                       description=__doc__)
    p.add_argument("game", help="catalogue game: " + ", ".join(sorted(games.catalogue())))
    p.add_argument("method", help="method: " + ", ".join(methods.names()))
    p.add_argument("params", nargs="*", help="parameters as name=value (exact: 1/2, 0.25)")
    p.add_argument("--order", default=None, help="simultaneous or alternating")
    p.add_argument("--latex", action="store_true", help="print the derivation as LaTeX")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args):
    game = games.get(args.game)
    m = methods.get(args.method, order=args.order)
    params = _pairs(args.params)
    structural = {k: int(v) for k, v in params.items() if k in m.spec.integer_params}
    d = derive(game, m, **structural)
    out = {"game": game.name, "method": m.name, "order": m.order, "state": list(d.state_names),
           "jacobian": str(d.jacobian.tolist()), "charpoly": str(d.charpoly)}
    if d.reduced_charpoly is not None:
        out["per_singular_value_charpoly"] = str(d.reduced_charpoly)
    continuous = {k: v for k, v in params.items() if k not in m.spec.integer_params}
    if continuous or not d.free_params:
        rep = stability_report(game, m, **params)
        out.update(radius=str(rep.radius), radius_float=float(sp.N(rep.radius)), verdict=rep.verdict,
                   unit_circle_eigenvalues=rep.on_circle, defective=rep.defective)
    if args.json:
        print(json.dumps(out, indent=2))
    elif args.latex:
        print(d.latex())
    else:
        for k, v in out.items():
            print(f"{k:>30}: {v}")
    return 0
