"""``gametheory analyze GAME METHOD [name=value ...]``: derive and decide one case.

GAME is a catalogue name (``bilinear``, ``dirac_gan``, ...: see ``--list``)
or your own zero-sum objective ``f(x, y)`` as an expression, ``min_x max_y f``::

    gametheory analyze bilinear momentum --order alternating eta=1/2 beta=-1/5
    gametheory analyze "x**2*y - y**2" gd eta=1/10
    gametheory analyze "x1*y1 + x2*y2 + x1**2" eg --x "x1 x2" --y "y1 y2" eta=1/4
    gametheory analyze --lx "x**2/2 + 2*x*y" --ly "y**2/2 - x*y" gd eta=1/5
    gametheory analyze --matrix "[[1, 2], [0, 1]]" gd --order alternating eta=1/2

``--lx``/``--ly`` give a general-sum game (each player minimises its own
loss) and ``--matrix A`` the bilinear game ``x'A y``; GAME is then left out.
Expressions are parsed safely (numbers, ``+ - * / **``, the variables, pi, E and
functions such as exp, log, sin, tanh, sigmoid). Parameters are exact
(``1/2``, ``0.25`` is 1/4); the output says which ones took their defaults.

Prints the augmented Jacobian, the characteristic polynomial, the exact
spectral radius and the verdict (``--latex`` for LaTeX, ``--json`` for
JSON). On a nonlinear game whose linearisation has eigenvalues on the unit
circle (and none outside) the verdict is ``undecided``: the linear analysis
does not decide stability there.
"""
from __future__ import annotations

import ast
import json

import sympy as sp

from .. import games, methods
from ..derive import derive
from ..expressions import parse_expression
from ..spectral import stability_report
from ..validation import ParameterError, fail


def _pairs(items):
    out = {}
    for item in items:
        if "=" not in item:
            raise ParameterError(f"parameter {item!r}: expected name=value, e.g. eta=1/2")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def register(sub):
    p = sub.add_parser("analyze", help="derive a method's augmented Jacobian on a game (catalogue or your own) "
                                       "and decide stability", description=__doc__)
    p.add_argument("game", nargs="?", default=None,
                   help="a catalogue game (" + ", ".join(sorted(games.catalogue())) + ") or an expression "
                        "f(x, y) such as \"x**2*y - y**2\"; leave it out with --lx/--ly or --matrix")
    p.add_argument("method", nargs="?", default=None, help="method: " + ", ".join(methods.names()))
    p.add_argument("params", nargs="*", help="parameters as name=value (exact: 1/2, 0.25)")
    p.add_argument("--order", default=None, help="simultaneous or alternating")
    p.add_argument("--x", default="x", metavar="NAMES", help="the min player's variables (default: x), e.g. \"x1 x2\"")
    p.add_argument("--y", default="y", metavar="NAMES", help="the max player's variables (default: y)")
    p.add_argument("--lx", default=None, metavar="EXPR", help="general-sum: the loss x minimises (with --ly)")
    p.add_argument("--ly", default=None, metavar="EXPR", help="general-sum: the loss y minimises (with --lx)")
    p.add_argument("--matrix", default=None, metavar="A", help="the bilinear game x'A y, e.g. \"[[1, 2], [0, 1]]\"")
    p.add_argument("--at", default=None, metavar="POINT",
                   help="the equilibrium to analyse, e.g. \"0, 1/2\" (default: the first one found)")
    p.add_argument("--list", action="store_true", help="list the catalogue games and the methods, and exit")
    p.add_argument("--latex", action="store_true", help="print the derivation as LaTeX")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def parse_matrix(text: str) -> sp.Matrix:
    """A matrix typed as nested lists, ``"[[1, 2], [0, 1/2]]"``, each entry parsed exactly (no ``eval``)."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        tree = None
    if not isinstance(tree, ast.List) or not tree.elts or not all(isinstance(r, ast.List) for r in tree.elts):
        fail("matrix", "nested lists of numbers, e.g. \"[[1, 2], [0, 1]]\"", text)
    rows = [[parse_expression(ast.unparse(v), {}, f"matrix[{i}][{j}]") for j, v in enumerate(r.elts)]
            for i, r in enumerate(tree.elts)]
    if len({len(r) for r in rows}) != 1 or not rows[0]:
        fail("matrix", "a rectangular matrix (rows of equal length)", text)
    return sp.Matrix(rows)


def _point(text):
    items = [t for t in text.replace("(", " ").replace(")", " ").replace(",", " ").split() if t]
    return [parse_expression(t, {}, "at") for t in items]


def game_and_method(args):
    """The game, the method name and the ``name=value`` items from the positional arguments."""
    custom = args.lx is not None or args.ly is not None or args.matrix is not None
    items = [a for a in (args.game, args.method) if a is not None] + list(args.params)
    if custom:
        if (args.lx is None) != (args.ly is None):
            fail("lx/ly", "both --lx and --ly (the loss each player minimises)")
        if args.matrix is not None and args.lx is not None:
            fail("matrix", "either --matrix or --lx/--ly, not both")
        head = [a for a in items if "=" not in a]
        if len(head) != 1:
            fail("method", "exactly one METHOD after --lx/--ly or --matrix (no GAME)", " ".join(head) or None)
        rest = [a for a in items if "=" in a]
        if args.matrix is not None:
            return games.bilinear(parse_matrix(args.matrix)), head[0], rest
        game = games.from_expression(L_x=args.lx, L_y=args.ly, x=args.x, y=args.y)
        return game, head[0], rest
    if len(items) < 2 or "=" in items[0] or "=" in items[1]:
        fail("game", "GAME METHOD [name=value ...] (or --lx/--ly, --matrix and METHOD)", " ".join(items) or None)
    spec, method, rest = items[0], items[1], items[2:]
    if spec in games.catalogue():
        return games.get(spec), method, rest
    names = {n for n in f"{args.x} {args.y}".replace(",", " ").split()}
    if spec.isidentifier() and spec not in names:
        fail("game", "a catalogue name (" + ", ".join(sorted(games.catalogue())) + ") or an expression in the "
             f"variables {sorted(names)}", spec)
    return games.from_expression(spec, x=args.x, y=args.y), method, rest


def defaulted(m, given: dict) -> dict:
    """The method's parameters that were not given and took their default (as text)."""
    from ..methods import REQUIRED

    bound = dict(m.bound)
    out = {}
    for q in m.spec.params:
        if any(n in given or n in bound for n in q.names) or q.default is REQUIRED:
            continue
        out[q.name] = str(q.default) if q.default is not None else q.doc
    return out


def run(args):
    if args.list:
        print("catalogue games: " + ", ".join(sorted(games.catalogue())))
        print("methods: " + ", ".join(methods.names()))
        return 0
    game, method_name, rest = game_and_method(args)
    m = methods.get(method_name, order=args.order)
    params = _pairs(rest)
    at = None if args.at is None else _point(args.at)
    structural = {k: int(v) for k, v in params.items() if k in m.spec.integer_params}
    d = derive(game, m, at=at, **structural)
    out = {"game": game.name, "method": m.name, "order": m.order, "state": list(d.state_names),
           "jacobian": str(d.jacobian.tolist()), "charpoly": str(d.charpoly)}
    if d.reduced_charpoly is not None:
        out["per_singular_value_charpoly"] = str(d.reduced_charpoly)
    continuous = {k: v for k, v in params.items() if k not in m.spec.integer_params}
    defaults = ({"order": m.order} if args.order is None and len(m.spec.orders) > 1 else {}) | defaulted(m, params)
    if not (continuous or not d.free_params):  # symbolic only: continuous defaults are not used
        defaults = {k: v for k, v in defaults.items() if k in m.spec.integer_params}
        free = sorted({str(p) for p in d.free_params})
        out["stability"] = "symbolic in " + ", ".join(free) + "; give values (e.g. " + \
            " ".join(f"{p}=1/10" for p in free) + ") for the exact radius and verdict"
    else:
        eq = game.equilibrium(at)
        out["equilibrium"] = "(" + ", ".join(map(str, eq)) + ")"
        if at is None and len(game.equilibria) > 1:
            out["equilibrium"] += f" (the first of {len(game.equilibria)}; choose one with --at)"
        rep = stability_report(game, m, at=at, **params)
        out.update(radius=str(rep.radius), radius_float=float(sp.N(rep.radius)), verdict=rep.verdict,
                   linear_verdict=rep.linear_verdict, decided_by_linearisation=rep.decided,
                   unit_circle_eigenvalues=rep.on_circle, defective=rep.defective)
        if rep.note:
            out["note"] = rep.note
    out["defaulted"] = defaults
    if args.json:
        print(json.dumps(out, indent=2))
    elif args.latex:
        print(d.latex())
    else:
        for k, v in out.items():
            if k == "defaulted":
                v = ", ".join(f"{n} = {val}" for n, val in v.items()) or "none"
            print(f"{k:>30}: {v}")
    return 0
