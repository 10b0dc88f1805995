"""The negative-momentum table of the slides, derived, and extended to every method.

Lacoste-Julien's DALI 2019 slides ("Momentum on games": Gidel et
al., AISTATS 2019) show for ``min_theta max_phi theta' A phi``:

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

Comparisons with published statements (:func:`comparisons`). The statements
of Zhang & Yu (ICLR 2020, "Convergence of gradient methods on bilinear
zero-sum games") and Gidel et al. (AISTATS 2019) are *reconstructed* here
for the toolkit's parametrisation (one step size ``eta``; OGD as
``z+ = z - 2 eta v(z) + eta v(z_prev)``, i.e. their ``alpha = 2 beta = 2 eta``;
EG with equal extrapolation and update steps); they were not transcribed from
the papers' text and should be checked against it. Mescheder, Nowozin &
Geiger (NeurIPS 2017, "The Numerics of GANs", Lemma 4) is reconstructed as:
simultaneous GD converges locally iff ``|1 - eta lambda| < 1`` for every
eigenvalue ``lambda`` of ``J``, i.e. ``eta < 2 Re(lambda) / |lambda|^2``.
Our side of every comparison is *derived* (exact verdicts).

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
from gametheory.analyses.conditions import (bilinear_region, bilinear_verdict, decide_existence, describe_intervals,
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


def _zhang_yu():
    M = gt.methods.get
    out = [
        _interval_claim(M("gd"), "Jacobi GD diverges for every step size (A != 0)",
                        "Zhang & Yu (ICLR 2020), GD (reconstructed)", converges_upto=0, bounded_upto=0),
        _interval_claim(M("gd", order="alternating"),
                        "Gauss-Seidel GD never converges; it stays bounded iff 0 < eta*sigma_max < 2",
                        "Zhang & Yu (ICLR 2020), GD (reconstructed)", converges_upto=0, bounded_upto=2),
        _interval_claim(M("eg"), "Jacobi EG (equal steps) converges iff 0 < eta*sigma_i < 1 for all i",
                        "Zhang & Yu (ICLR 2020), EG (reconstructed)", converges_upto=1),
        _interval_claim(M("ogd"), "Jacobi OGD (alpha = 2 beta = 2 eta) converges iff 0 < eta*sigma_i < 1/sqrt(3)",
                        "Zhang & Yu (ICLR 2020), OGD (reconstructed from memory; check the paper)",
                        converges_upto=1 / sp.sqrt(3)),
        _interval_claim(M("ogd", order="alternating"),
                        "Gauss-Seidel OGD (alpha = 2 beta = 2 eta) converges iff 0 < eta*sigma_i < 2/3",
                        "Zhang & Yu (ICLR 2020), OGD (reconstructed from memory; check the paper)",
                        converges_upto=sp.Rational(2, 3)),
    ]
    # momentum (Gidel et al. 2019, Thm 3; restated by Zhang & Yu): Jacobi heavy ball never bounded
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
                "published": "Gidel et al. (AISTATS 2019), Thm 3 / the slides' table row 'Simultaneous, beta in R' "
                             "(reconstructed; the paper may restrict beta to (-1, 1))",
                "verdict": "agrees" if counter is None else "disagrees at the boundary beta = -1",
                "counterexample": counter, "samples": 13 * 11})
    alt = gt.methods.get("momentum", order="alternating")
    rows = {s: decide_existence(alt, s) for s in ("<0", "=0", ">0")}
    agree = rows["<0"]["converges"] and not rows["=0"]["converges"] and not rows[">0"]["bounded"] \
        and rows["=0"]["bounded"]
    out.append({"claim": "Gauss-Seidel heavy ball converges for some step size iff beta < 0; beta = 0 is bounded; "
                         "beta > 0 is unbounded",
                "ours": "; ".join(f"beta {k}: converges={v['converges']}, bounded={v['bounded']}"
                                  for k, v in rows.items()),
                "published": "Gidel et al. (AISTATS 2019), Thm 4-5; the slides' table (reconstructed)",
                "verdict": "agrees" if agree else "disagrees", "counterexample": None,
                "samples": sum(v["samples"] for v in rows.values())})
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
            "published": "Mescheder, Nowozin & Geiger (NeurIPS 2017), Lemma 4 (reconstructed)",
            "verdict": "agrees" if derived_ok and counter is None else "disagrees",
            "counterexample": counter, "samples": checked}


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
