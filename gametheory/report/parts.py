"""The report's parts: what each computes, and how finished parts are reused.

Each part is a function ``part(ctx) -> (value, why_not)`` in :data:`PART_FUNCS`
(``value`` JSON-able; ``why_not`` the reason when a part is not available).
:func:`run_part` runs one with its cache and its error handling: a part that
raises is reported with its error, and the others still run.
"""
from __future__ import annotations

import importlib.util
import time
import traceback
from pathlib import Path

from ..io import jsonable

PARTS = ("analyses", "figures", "neural", "theory", "claims")

__all__ = ["PARTS", "PART_FUNCS", "run_part", "torch_available"]


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def _part_analyses(ctx):
    from gametheory.analyses import tables

    data = jsonable(tables.report_data(quick=ctx["scale"] == "quick"))
    return {"data": data}, None


def _part_figures(ctx):
    from gametheory import figures

    items = figures.generate(ids=ctx.get("figure_ids"), out=ctx["out"] / "figures", formats=("png",),
                             progress=ctx["progress"])
    rows = []
    for it in items:
        files = [_relative(f, ctx["out"]) for f in it.get("files", [])]
        rows.append({"id": it.get("id"), "caption": it.get("caption", ""), "source": it.get("source", ""),
                     "files": files, **{k: v for k, v in it.items() if k not in ("id", "caption", "source", "files")}})
    return {"figures": jsonable(rows)}, None


def _relative(f, out):
    """``f`` relative to the output folder (so index.html can link it), else as given."""
    try:
        return Path(f).resolve().relative_to(Path(out).resolve()).as_posix()
    except ValueError:
        return str(f)


def _part_neural(ctx):
    if not torch_available():
        return None, "not available: Torch is not installed (pip install -e \".[torch]\")"
    if not ctx["neural"]:
        return None, "disabled for this run (--no-neural)"
    from gametheory.claims import CheckContext
    from gametheory.paper_checks import msv2020

    cctx = CheckContext(scale=ctx["scale"], seed=ctx["seed"], neural=True, cache=ctx["cache"],
                        progress=ctx["progress"])
    from .pictures import neural_figures

    res = msv2020.gan_comparison(cctx)
    return {"gaussians4": res, "figures": neural_figures(res, ctx["out"] / "neural")}, None


def _part_claims(ctx):
    from gametheory.claims import CheckContext
    from gametheory.paper_checks import select

    from gametheory.progress import StepProgress

    # progress inside a claim too: the neural ones train GANs for minutes
    cctx = CheckContext(scale=ctx["scale"], seed=ctx["seed"], neural=ctx["neural"] and torch_available(),
                        cache=ctx["cache"], progress=ctx["progress"])
    claims = select(ctx.get("claim_ids"))
    rows, reused = [], 0
    bar = StepProgress([c.id for c in claims], timings=ctx.get("timings"), desc="paper checks",
                       prefix=f"{ctx['scale']}/neural={cctx.neural}/claim/", enabled=ctx["progress"], leave=False)
    try:
        for c in claims:
            bar.begin(c.id)
            key = {"scale": ctx["scale"], "seed": ctx["seed"], "neural": cctx.neural}
            hit = ctx["cache"].get(f"claim-{c.id}", key, valid=lambda row, c=c: _claim_row_ok(row, c.id))
            if hit is not None:
                hit["cached"] = True
                rows.append(hit)
                reused += 1
                bar.end(c.id, cached=True)
                continue
            row = jsonable(c.run(cctx))
            if "error" not in row:  # a crashed check is retried next time
                ctx["cache"].put(f"claim-{c.id}", key, row)
            row["cached"] = False
            rows.append(row)
            bar.end(c.id, row["seconds"])
    finally:
        bar.close()
    return {"claims": rows, "reused": reused}, None


def _claim_row_ok(row, cid) -> bool:
    """A cached claim row has the shape :meth:`gametheory.claims.Claim.run` gives it."""
    from gametheory.claims import STATUSES

    return (isinstance(row, dict) and row.get("id") == cid and row.get("verdict") in STATUSES
            and isinstance(row.get("details"), dict) and all(k in row for k in ("ours", "published", "citation")))


def _analyses_ok(value) -> bool:
    data = value.get("data") if isinstance(value, dict) else None
    return isinstance(data, dict) and isinstance(data.get("table"), list) and isinstance(data.get("comparisons"), dict)


def _figures_ok(value) -> bool:
    figs = value.get("figures") if isinstance(value, dict) else None
    return isinstance(figs, list) and all(isinstance(f, dict) and isinstance(f.get("id"), str) and
                                          isinstance(f.get("files"), list) and
                                          all(isinstance(x, str) for x in f["files"]) for f in figs)


# the shape a cached part must have to be reused (anything else is recomputed)
SHAPES = {"analyses": _analyses_ok, "figures": _figures_ok}

def _part_theory(ctx):
    """Theory vs neural GANs: predicted vs measured rates (:func:`gametheory.neural.overview.theory_overview`)."""
    if not torch_available():
        return None, "not available: Torch is not installed (pip install -e \".[torch]\")"
    if not ctx["neural"]:
        return None, "disabled for this run (--no-neural)"
    from gametheory.neural.overview import theory_overview
    from gametheory.neural.prediction_figures import save_prediction_figures

    key = {"scale": ctx["scale"], "seed": ctx["seed"]}
    value = ctx["cache"].get("part-theory", key)
    if value is None:
        value = ctx["cache"].put("part-theory", key, theory_overview(ctx["scale"], ctx["seed"], ctx["progress"]))
    paths = save_prediction_figures(value["grid"], ctx["out"] / "figures", stem="theory_momentum")
    value = dict(value, figures=[_relative(f, ctx["out"]) for f in paths])
    return value, None


PART_FUNCS = {"analyses": _part_analyses, "figures": _part_figures, "neural": _part_neural,
              "theory": _part_theory, "claims": _part_claims}


def run_part(name, ctx):
    # what each cacheable part depends on (besides the code, which ResultCache keys by)
    key = {"analyses": {"quick": ctx["scale"] == "quick"},
           "figures": {"figure_ids": ctx.get("figure_ids")}}.get(name)
    cacheable = key is not None
    t0 = time.perf_counter()
    if cacheable:
        hit = ctx["cache"].get(f"part-{name}", key, valid=SHAPES[name])
        if hit is not None and _files_exist(ctx["out"], hit):
            return {"status": "done", "cached": True, "seconds": round(time.perf_counter() - t0, 3), "value": hit}
    try:
        value, why_not = PART_FUNCS[name](ctx)
    except Exception as exc:
        return {"status": "error", "cached": False, "seconds": round(time.perf_counter() - t0, 3),
                "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=6)}
    secs = round(time.perf_counter() - t0, 3)
    if value is None:
        return {"status": "not available", "cached": False, "seconds": secs, "reason": why_not}
    if cacheable:
        ctx["cache"].put(f"part-{name}", key, value)
    cached = bool(name == "claims" and value.get("claims") and value["reused"] == len(value["claims"]))
    return {"status": "done", "cached": cached, "seconds": secs, "value": value}


def _files_exist(out, value):
    for fig in (value or {}).get("figures", []):
        for f in fig.get("files", []):
            if not (Path(out) / f).exists():
                return False
    return True
