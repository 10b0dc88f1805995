"""The negative-momentum table of the slides, derived, and extended to every method.

S. Lacoste-Julien's slides "Extragradient and Negative Momentum to Optimize
GANs" (DALI 2019; table "Momentum on games", from Gidel et al., AISTATS 2019)
show for ``min_theta max_phi theta' A phi``:

=============  ======  =======  =========
Method         beta    Bounded  Converges
=============  ======  =======  =========
Simultaneous   any     no       no
Alternated     > 0     no       no
Alternated     0       yes      no
Alternated     < 0     yes      yes
=============  ======  =======  =========

Nothing here is typed in: :func:`bilinear_table` asks
:func:`gametheory.analyses.conditions.decide_existence` for every method in
``gametheory.methods.registry()`` (and, for momentum, every sign of
``beta``) whether some step size makes the method converge / stay bounded,
decided exactly from the derived characteristic polynomial. The rendered
tables and the comparisons below are computed on each call.

Comparisons (:func:`comparisons`). A statement is quoted as *published*
only where its source's text is at hand: the momentum rows quote the
slides' table above. Zhang & Yu (ICLR 2020, "Convergence of gradient
methods on bilinear zero-sum games") and Mescheder, Nowozin & Geiger
(NeurIPS 2017, "The Numerics of GANs", Lemma 4) state conditions for these
methods, but their text was not available to this toolkit: those rows are
labelled *the toolkit's own derivation* (``"source": "derived"``), a closed
form worked out by hand for the toolkit's parametrisation (one step size
``eta``, ``s = eta * sigma`` per singular value; OGD as
``z+ = z - 2 eta v(z) + eta v(z_prev)``; EG with equal steps), and compared
with the exact analysis: the Schur-Cohn conditions of the per-singular-value
polynomial (:func:`_schur_cohn_set`), the interval analysis and exact
verdicts at sample points. The hand derivations:

* Jacobi GD: ``mu = 1 +- i s``, ``|mu|^2 = 1 + s^2 > 1``: diverges for every ``s``.
* Gauss-Seidel GD: ``mu^2 - (2 - s^2) mu + 1``: the roots multiply to 1; a
  complex pair on the circle iff ``0 < s < 2`` (bounded, never converging),
  a double root ``-1`` (a Jordan block) at ``s = 2``, a real root outside beyond.
* Jacobi EG: ``mu = 1 - s^2 -+ i s``, ``|mu|^2 = 1 - s^2 + s^4 < 1`` iff ``s < 1``.
* Jacobi OGD: ``mu^2 - (1 - 2 i s) mu - i s``, ``mu = (1 - 2 i s +- sqrt(1 - 4 s^2)) / 2``:
  for ``s <= 1/2`` ``|mu|^2 = (1 +- r)/2 < 1``; for ``s > 1/2``
  ``|mu|^2 = (1 + (2 s + t)^2)/4`` (``t = sqrt(4 s^2 - 1)``), ``< 1`` iff ``s < 1/sqrt(3)``.
* Gauss-Seidel OGD: ``mu^3 + (4 s^2 - 2) mu^2 + (1 - 4 s^2) mu + s^2``; Jury's
  conditions ``1 - s^4 > 0``, ``2 - 2 s^2 - 5 s^4 > 0``, ``(1 - s^2)(4 - 9 s^2) > 0``
  hold together iff ``s < 2/3``.

Examples
--------
>>> rows = bilinear_table()
>>> [r for r in rows if r["method"] == "momentum" and r["order"] == "alternating" and r["beta_sign"] == "<0"][0]["converges"]
True
"""
from __future__ import annotations

import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.derive import S
from gametheory.analyses.conditions import (bilinear_region, bilinear_verdict, decide_existence, describe_intervals,
                                            irreducible_factors, merge_intervals, rational_between, real_roots_between,
                                            region_parameter, stability_intervals)

__all__ = ["bilinear_table", "to_markdown", "to_latex", "comparisons", "report_data", "slides_table"]


def _fmt_point(point):
    return ", ".join(f"{k}={v}" for k, v in point.items()) if point else ""


def _iv_text(iv) -> str:
    c, b = iv["converges"], iv["bounded"]
    conv = f"converges iff {describe_intervals(c, 's')}" if c else "never converges"
    bnd = f"bounded iff {describe_intervals(b, 's')}" if b else "never bounded"
    return f"{conv}; {bnd}"


def _condition(method, sign, dec) -> str:
    reg = bilinear_region(method)
    if len(reg.variables) == 1 or sign == "=0":
        extra = None if len(reg.variables) == 1 else 0
        iv = stability_intervals(method, extra)
        pre = "" if len(reg.variables) == 1 else f"{reg.variables[1]} = 0: "
        return f"{pre}{_iv_text(iv)} (s = eta*sigma, every singular value)"
    w = reg.variables[1]
    if dec["converges"]:
        ineq = " & ".join(f"{D} > 0" for D in reg.conditions)
        where = "sigma = 1, s = eta" if reg.notes else "s = eta*sigma"
        return (f"{w} {sign[0]} 0: converges iff {ineq} (Schur-Cohn, {where}); "
                f"e.g. at {_fmt_point(dec['witness_converges'])}")
    if dec["bounded"]:
        return (f"{w} {sign[0]} 0: never converges; bounded only on a boundary set, e.g. at "
                f"{_fmt_point(dec['witness_bounded'])}")
    if not dec["complete"]:
        first = dec["undecided"][0]
        return (f"{w} {sign[0]} 0: no converging or bounded cell found, but {len(dec['undecided'])} cell(s) are "
                f"undecided (e.g. {_fmt_point({k: v for k, v in first.items() if k != 'reason'})}: "
                f"{first['reason']})")
    return f"{w} {sign[0]} 0: diverges for every step size"


def bilinear_table(methods=None) -> list:
    """Records ``{method, order, beta_sign, bounded, converges, condition, complete}`` for bilinear games.

    ``bounded`` / ``converges``: for *some* step size (as in the slides),
    decided exactly (:func:`gametheory.analyses.conditions.decide_existence`);
    None (shown as "undecided") when no witness was found and some cells
    could not be decided (``complete`` False, the cells in ``undecided``).
    Methods with a signed second parameter get one record per sign class of
    their spec (momentum's ``beta``: ``<0``, ``=0``, ``>0``); consensus /
    SGA are examined with ``gamma > 0`` / ``lam > 0`` (``beta_sign`` null;
    their condition says so).
    """
    methods = gt.methods.registry() if methods is None else methods
    rows = []
    for m in methods:
        q, _ = region_parameter(m)
        for sign in q.signs if q is not None else (None,):
            dec = decide_existence(m, sign)

            def decided(found):
                return True if found else (False if dec["complete"] else None)

            rows.append({"method": m.name, "order": m.order,
                         "beta_sign": sign if q is not None and q.name == "beta" else None,
                         "bounded": decided(dec["bounded"]), "converges": decided(dec["converges"]),
                         "condition": _condition(m, sign, dec), "complete": dec["complete"],
                         "undecided": dec["undecided"]})
    return rows


def slides_table(rows=None) -> list:
    """The slides' four rows, read off the derived records (momentum only)."""
    rows = bilinear_table([gt.methods.get("momentum"), gt.methods.get("momentum", order="alternating")]) \
        if rows is None else rows
    mom = [r for r in rows if r["method"] == "momentum"]
    sim = [r for r in mom if r["order"] == "simultaneous"]
    out = [{"order": "simultaneous", "beta": "any", "bounded": any(r["bounded"] for r in sim),
            "converges": any(r["converges"] for r in sim),
            "note": "; ".join(r["condition"] for r in sim if r["bounded"] or r["converges"])}]
    for sign in (">0", "=0", "<0"):
        r = [r for r in mom if r["order"] == "alternating" and r["beta_sign"] == sign][0]
        out.append({"order": "alternating", "beta": sign, "bounded": r["bounded"], "converges": r["converges"],
                    "note": ""})
    return out


def _mark(b, fmt):
    if b is None:
        return "undecided" if fmt == "md" else "?"
    if fmt == "md":
        return "✓" if b else "✗"
    return r"\cmark" if b else r"\xmark"


def to_markdown(rows) -> str:
    """A Markdown table of :func:`bilinear_table` records."""
    lines = ["| method | order | beta | bounded | converges | condition (exact) |", "|---|---|---|---|---|---|"]
    for r in rows:
        beta = r["beta_sign"] if r["beta_sign"] is not None else "–"
        cond = r["condition"].replace("|", "\\|")
        lines.append(f"| {r['method']} | {r['order']} | {beta} | {_mark(r['bounded'], 'md')} | "
                     f"{_mark(r['converges'], 'md')} | {cond} |")
    return "\n".join(lines) + "\n"


def _tex(s: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("_", r"\_"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"),
                 ("**", "^"), ("<", "$<$"), (">", "$>$")):
        s = s.replace(a, b)
    return s


def to_latex(rows, conditions: bool = False) -> str:
    """A LaTeX ``tabular`` (booktabs) of the records; define ``\\cmark`` / ``\\xmark`` (e.g. pifont)."""
    cols = "lllcc" + ("p{7cm}" if conditions else "")
    head = r"Method & Order & $\beta$ & Bounded & Converges" + (r" & Condition" if conditions else "") + r" \\"
    lines = [r"\begin{tabular}{" + cols + "}", r"\toprule", head, r"\midrule"]
    for r in rows:
        beta = "--" if r["beta_sign"] is None else "$" + r["beta_sign"].replace("=", "= ") + "$"
        cells = [_tex(r["method"]), r["order"], beta, _mark(r["bounded"], "tex"), _mark(r["converges"], "tex")]
        if conditions:
            cells.append(_tex(r["condition"]))
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------- comparisons
def _interval_claim(method, claim, published, converges_upto=None, bounded_upto=None, samples=None):
    """Compare a claimed interval ``0 < s < c`` with our exact intervals, and at sample points."""
    iv = stability_intervals(method)
    samples = samples or [sp.Rational(k, 20) for k in range(1, 60)]
    counter = None
    for s in samples:
        v = bilinear_verdict(method, s)
        if converges_upto is not None:
            claimed = converges_upto != 0 and s < converges_upto
            if (v == "converges") != claimed:
                counter = {"eta": str(s), "sigma": 1, "ours": v, "claimed_converges": claimed}
                break
        if bounded_upto is not None:
            claimed = bounded_upto != 0 and s < bounded_upto
            if (v in ("converges", "bounded")) != claimed:
                counter = {"eta": str(s), "sigma": 1, "ours": v, "claimed_bounded": claimed}
                break
    return {"claim": claim, "ours": _iv_text(iv) + " (s = eta*sigma)",
            "published": published, "verdict": "agrees" if counter is None else "disagrees",
            "counterexample": counter, "samples": len(samples)}


OWN = ("the toolkit's own derivation (by hand, for this parametrisation; see gametheory.analyses.tables): Zhang & "
       "Yu (ICLR 2020) state conditions for this method, but their text was not available to compare against")
SLIDES = ("S. Lacoste-Julien, slides 'Extragradient and Negative Momentum to Optimize GANs' (DALI 2019), table "
          "'Momentum on games' (Gidel et al., AISTATS 2019)")


def _schur_cohn_set(method) -> list:
    """The exact set of ``s > 0`` where every Schur-Cohn condition of the block polynomial holds (intervals).

    A second exact route, independent of the unit-circle crossings of
    :func:`gametheory.analyses.conditions.stability_intervals`.
    """
    reg = bilinear_region(method)
    D = reg.conditions if len(reg.variables) == 1 else [c.xreplace({reg.variables[1]: 0}) for c in reg.conditions]
    if any(sp.expand(c) == 0 for c in D):
        return []
    roots = real_roots_between([f for c in D for f in irreducible_factors(c)], S, sp.Integer(0), None)
    ends = [sp.Integer(0)] + roots + [None]
    cells = [(a, b) for a, b in zip(ends[:-1], ends[1:]) if all(c.xreplace({S: rational_between(a, b)}) > 0 for c in D)]
    return merge_intervals(cells)


def _derived_row(method, claim, converges_upto=None, bounded_upto=None):
    """The toolkit's own closed form against the exact analysis (Schur-Cohn set, intervals, sample verdicts)."""
    row = _interval_claim(method, claim, OWN, converges_upto=converges_upto, bounded_upto=bounded_upto)
    sc = _schur_cohn_set(method)
    want = [] if not converges_upto else [(sp.Integer(0), converges_upto)]
    sc_ok = len(sc) == len(want) and all(sp.simplify(a - c) == 0 and (b is None) == (d is None) and
                                         (b is None or sp.simplify(b - d) == 0) for (a, b), (c, d) in zip(sc, want))
    if converges_upto is not None and not sc_ok and row["verdict"] == "agrees":
        row.update(verdict="disagrees", counterexample={"schur_cohn_converges": describe_intervals(sc, "s")})
    row.update(source="derived", schur_cohn=describe_intervals(sc, "s") if converges_upto is not None else None)
    return row


def _zhang_yu():
    M = gt.methods.get
    out = [
        _derived_row(M("gd"), "Jacobi GD diverges for every step size (A != 0)", converges_upto=0, bounded_upto=0),
        _derived_row(M("gd", order="alternating"),
                     "Gauss-Seidel GD never converges; it stays bounded iff 0 < eta*sigma_max < 2",
                     converges_upto=0, bounded_upto=2),
        _derived_row(M("eg"), "Jacobi EG (equal steps) converges iff 0 < eta*sigma_i < 1 for all i", converges_upto=1),
        _derived_row(M("ogd"), "Jacobi OGD (alpha = 2 beta = 2 eta) converges iff 0 < eta*sigma_i < 1/sqrt(3)",
                     converges_upto=1 / sp.sqrt(3)),
        _derived_row(M("ogd", order="alternating"),
                     "Gauss-Seidel OGD (alpha = 2 beta = 2 eta) converges iff 0 < eta*sigma_i < 2/3",
                     converges_upto=sp.Rational(2, 3)),
    ]
    # momentum: the slides' table (at hand) says simultaneous heavy ball is never bounded, for every beta
    sim = gt.methods.get("momentum")
    counter = None
    for beta in [sp.Rational(k, 4) for k in range(-8, 5)]:
        for s in [sp.Rational(k, 4) for k in range(1, 12)]:
            v = bilinear_verdict(sim, s, beta)
            if v != "diverges":
                counter = {"eta": str(s), "beta": str(beta), "sigma": 1, "ours": v,
                           "radius": str(gt.spectral_radius(gt.games.bilinear([[1]]), sim, eta=s, beta=beta))}
                break
        if counter:
            break
    out.append({"claim": "Jacobi (simultaneous) heavy-ball momentum is unbounded for every eta > 0 and beta in R",
                "ours": "beta = -1 (z+ = z_prev - eta v(z), the leapfrog scheme): "
                        + _iv_text(stability_intervals(sim, -1)) + "; "
                        + "; ".join(f"beta {k}: converges={decide_existence(sim, k)['converges']}, "
                                    f"bounded={decide_existence(sim, k)['bounded']}" for k in ("<0", "=0", ">0")),
                "published": f"{SLIDES}: 'Simultaneous, beta in R: Bounded no, Converges no' (the paper may restrict "
                             "beta to (-1, 1); its text was not at hand)",
                "verdict": "agrees" if counter is None else "disagrees at the boundary beta = -1",
                "counterexample": counter, "samples": 13 * 11, "source": "published (slides)"})
    alt = gt.methods.get("momentum", order="alternating")
    rows = {s: decide_existence(alt, s) for s in ("<0", "=0", ">0")}
    agree = rows["<0"]["converges"] and not rows["=0"]["converges"] and not rows[">0"]["bounded"] \
        and rows["=0"]["bounded"]
    out.append({"claim": "Gauss-Seidel heavy ball converges for some step size iff beta < 0; beta = 0 is bounded; "
                         "beta > 0 is unbounded",
                "ours": "; ".join(f"beta {k}: converges={v['converges']}, bounded={v['bounded']}"
                                  for k, v in rows.items()),
                "published": f"{SLIDES}: 'Alternated, beta > 0: no, no; beta = 0: bounded, not converging; "
                             "beta < 0: bounded, converges'",
                "verdict": "agrees" if agree else "disagrees", "counterexample": None,
                "samples": sum(v["samples"] for v in rows.values()), "source": "published (slides)"})
    return out


def _mescheder(n_games: int = 6, seed: int = 0):
    """Simultaneous GD: ``eta < 2 Re(lambda)/|lambda|^2`` vs exact verdicts on random 2x2 games."""
    from gametheory.sweep import LAMBDA, scalar_polynomial
    from gametheory.derive import MU

    q = scalar_polynomial(gt.methods.get("gd"))
    root = sp.solve(q, MU)
    eta = sp.Symbol("eta", positive=True)
    derived_ok = len(root) == 1 and sp.simplify(root[0] - (1 - eta * LAMBDA)) == 0
    rng = np.random.default_rng(seed)
    counter, checked = None, 0
    m = gt.methods.get("gd")
    for _ in range(n_games):
        while True:
            J = rng.integers(-3, 4, size=(2, 2))
            lam = np.linalg.eigvals(J)
            if np.all(lam.real > 0):
                break
        g = gt.games.Game(["a"], ["b"], field=list(sp.Matrix(J.tolist()) * sp.Matrix(sp.symbols("a b", real=True))),
                          equilibria=[(0, 0)], name="linear field")
        # exact threshold: min over eigenvalues of 2 Re(lambda) / |lambda|^2
        lam_exact = list(sp.Matrix(J.tolist()).eigenvals())
        thr = min(sp.nsimplify(2 * sp.re(l) / sp.Abs(l) ** 2) for l in lam_exact)
        for f in (sp.Rational(1, 2), sp.Rational(9, 10), sp.Rational(11, 10), 2):
            e = sp.nsimplify(thr * f)
            v = gt.stability(g, m, eta=e)
            claimed = f < 1
            checked += 1
            if (v == "converges") != claimed:
                counter = {"J": J.tolist(), "eta": str(e), "ours": v, "claimed_converges": claimed}
        v = gt.stability(g, m, eta=thr)
        checked += 1
        if v == "converges":
            counter = {"J": J.tolist(), "eta": str(thr), "ours": v, "claimed_converges": False}
    return {"claim": "simultaneous GD converges locally iff |1 - eta*lambda| < 1 for every eigenvalue lambda of J, "
                     "i.e. eta < 2 Re(lambda)/|lambda|^2",
            "ours": "derived scalar polynomial q = " + str(q) + " (root 1 - eta*lambda); exact verdicts on "
                    f"{n_games} random 2x2 linear fields at 1/2, 9/10, 1, 11/10, 2 times the threshold",
            "published": "the toolkit's own statement of the condition (Mescheder, Nowozin & Geiger, NeurIPS 2017, "
                         "Lemma 4, state a condition of this kind; their text was not available to compare against)",
            "verdict": "agrees" if derived_ok and counter is None else "disagrees",
            "counterexample": counter, "samples": checked, "source": "derived"}


def comparisons() -> dict:
    """``{"zhang_yu": [...], "mescheder2017": [...]}``, each item ``{claim, ours, published, verdict, counterexample}``."""
    return {"zhang_yu": _zhang_yu(), "mescheder2017": [_mescheder()]}


def report_data(quick: bool = True) -> dict:
    """JSON-able data for the report: table, slides' rows, comparisons, optimal momentum.

    ``quick`` uses coarser optimiser grids (seconds instead of tens of seconds).
    """
    from gametheory.analyses.optimal import optimal_examples

    rows = bilinear_table()
    return {"table": rows, "slides_table": slides_table(rows), "markdown": to_markdown(rows),
            "comparisons": comparisons(), "optimal": optimal_examples(quick=quick)}
