"""The one-command report: analyses, figures, paper checks and neural experiments.

:func:`build_report` runs every part at a chosen scale and writes, into an
output folder,

* ``index.html``: a page to read in a browser (the figures, the claims table
  with verdicts and both numbers, the convergence tables, provenance);
* ``report.md``: the same in Markdown;
* ``results.json``: every number, the seeds, package versions, the machine
  (:func:`gametheory.provenance.environment`) and the wall time of each part.

The package has one module per concern: :mod:`~gametheory.report.parts`
(what each part computes, cached), :mod:`~gametheory.report.render` (the
page and the Markdown document, assembled from the sections) and
:mod:`gametheory.report.sections` (one module per section of the page, each
with ``html(results)`` and ``markdown(results)``).

Every file is written atomically (:mod:`gametheory.io`). Each part, and each
claim, is cached in ``<out>/cache`` by :class:`gametheory.io.ResultCache`,
keyed by a fingerprint of the source code and the parameters, so a re-run
after an interruption reuses the finished parts. The neural part without
Torch (or with ``neural=False``) is shown as "not available"; a part
that fails is reported with its error and the rest still runs.

Scales: ``"quick"`` (about a minute on 2 cores), ``"default"`` (about ten
minutes), ``"full"`` (the papers' scale).

Examples
--------
>>> from gametheory.report import build_report
>>> res = build_report("out/report", scale="quick", neural=False)   # doctest: +SKIP
>>> sorted(res["claims_summary"])                                    # doctest: +SKIP
['confirmed', 'inconclusive', 'refuted']
"""
from __future__ import annotations

import time
from pathlib import Path

from ..claims import SCALES, claims_summary
from ..io import ResultCache, atomic_write_json, atomic_write_text
from ..progress import Timings, StepProgress
from ..validation import choice, fail
from .parts import PARTS, run_part, torch_available
from .render import render_html, render_markdown

__all__ = ["build_report", "render_html", "render_markdown", "claims_summary", "PARTS", "SCALES"]


def build_report(out="out/report", scale: str = "default", *, neural: bool | None = None, seed: int = 0,
                 progress: bool = True, parts=None, claim_ids=None, figure_ids=None) -> dict:
    """Run the parts and write ``index.html``, ``report.md`` and ``results.json`` into ``out``.

    Parameters
    ----------
    out : path
        Output folder (created; ``out/cache`` keeps finished parts).
    scale : {"quick", "default", "full"}
    neural : bool, optional
        Run the neural experiments (default: when Torch is installed).
    seed : int
        Base seed of every random part.
    parts : list of str, optional
        A subset of ``("analyses", "figures", "neural", "claims")``.
    claim_ids, figure_ids : list of str, optional
        Restrict the paper checks / figures.

    Returns
    -------
    dict
        The content of ``results.json``.
    """
    from ..provenance import environment

    choice("scale", scale, SCALES)
    parts = list(PARTS if parts is None else parts)
    for p in parts:
        choice("parts", p, PARTS)
    if claim_ids:  # bad ids are a usage error (exit 2), not a failed part
        from ..paper_checks import select

        select(claim_ids)
    if figure_ids:
        from gametheory import figures
        figures.resolve(figure_ids)
    out = Path(out)
    if out.exists() and not out.is_dir():
        fail("out", "a folder (it is an existing file)", str(out))
    out.mkdir(parents=True, exist_ok=True)
    neural = torch_available() if neural is None else bool(neural)
    t_start = time.perf_counter()
    ctx = {"out": out, "scale": scale, "seed": int(seed), "neural": neural, "progress": progress,
           "cache": ResultCache(out / "cache"), "timings": Timings(out / "cache" / "timings.json"),
           "claim_ids": claim_ids, "figure_ids": figure_ids}
    results = {"title": "gametheory report", "scale": scale, "seed": int(seed), "neural_enabled": neural,
               "code_fingerprint": ctx["cache"].version,
               "environment": environment(), "parts": {}}
    todo = [name for name in PARTS if name in parts]
    # the bar is weighted by each part's seconds in the last run at this scale (its ETA means something)
    bar = StepProgress(todo, timings=ctx["timings"], prefix=f"{scale}/neural={neural}/part/", desc="report",
                       enabled=progress)
    try:
        for name in todo:
            bar.begin(name)
            results["parts"][name] = part = run_part(name, ctx)
            # write what we have after every part: an interrupted run still leaves a readable report
            _write_all(out, results, time.perf_counter() - t_start)
            bar.end(name, part["seconds"], cached=bool(part.get("cached")))
    finally:
        bar.close()
    results["wall_seconds"] = round(time.perf_counter() - t_start, 2)
    _write_all(out, results, results["wall_seconds"])
    return results


def _write_all(out, results, wall):
    rows = ((results["parts"].get("claims") or {}).get("value") or {}).get("claims", [])
    results["claims_summary"] = claims_summary(rows)
    results["seeds"] = {"base": results["seed"],
                        "per_check": {r["id"]: r["details"]["seed"] for r in rows
                                      if isinstance(r.get("details"), dict) and "seed" in r["details"]}}
    results["wall_seconds"] = round(wall, 2)
    results["timing"] = {k: v.get("seconds") for k, v in results["parts"].items()}
    atomic_write_json(out / "results.json", results)
    atomic_write_text(out / "report.md", render_markdown(results))
    atomic_write_text(out / "index.html", render_html(results))
