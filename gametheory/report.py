"""The one-command report: analyses, figures, paper checks and neural experiments.

:func:`build_report` runs every part at a chosen scale and writes, into an
output folder,

* ``index.html``: a page to read in a browser (the figures, the claims table
  with verdicts and both numbers, the convergence tables, provenance);
* ``report.md``: the same in Markdown;
* ``results.json``: every number, the seeds, package versions, the machine
  (:func:`gametheory.provenance.environment`) and the wall time of each part.

Every file is written atomically (:mod:`gametheory.io`). Each part, and each
claim, is cached in ``<out>/cache`` by :class:`gametheory.io.ResultCache`,
keyed by a fingerprint of the source code and the parameters, so a re-run
after an interruption reuses the finished parts. The neural part without
Torch (or with ``neural=False``) is shown as "not available"; a part
that fails is reported with its error and the rest still runs.

Scales: ``"quick"`` (about a minute on 2 cores), ``"default"`` (about ten
minutes), ``"full"`` (the papers' scale).

Example
-------
>>> from gametheory.report import build_report
>>> res = build_report("out/report", scale="quick", neural=False)   # doctest: +SKIP
>>> sorted(res["claims_summary"])                                    # doctest: +SKIP
['confirmed', 'inconclusive', 'refuted']
"""
from __future__ import annotations

import html
import importlib.util
import json
import time
import traceback
from pathlib import Path

from .claims import SCALES, claims_summary
from .io import ResultCache, atomic_write_json, atomic_write_text, jsonable, to_json
from .validation import choice, fail

PARTS = ("analyses", "figures", "neural", "claims")
VERDICT_COLORS = {"confirmed": "#1a7f37", "refuted": "#cf222e", "inconclusive": "#9a6700"}


# --------------------------------------------------------------------- helpers


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


# ------------------------------------------------------------------- the parts
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
    if not ctx["neural"]:
        return None, "disabled for this run (--no-neural)"
    if not torch_available():
        return None, "not available: Torch is not installed"
    from gametheory.claims import CheckContext
    from gametheory.paper_checks import msv2020

    cctx = CheckContext(scale=ctx["scale"], seed=ctx["seed"], neural=True, cache=ctx["cache"],
                        progress=ctx["progress"])
    res = msv2020.gan_comparison(cctx)
    return {"gaussians4": res}, None


def _part_claims(ctx):
    from gametheory.claims import CheckContext
    from gametheory.paper_checks import select

    cctx = CheckContext(scale=ctx["scale"], seed=ctx["seed"], neural=ctx["neural"] and torch_available(),
                        cache=ctx["cache"], progress=False)
    claims = select(ctx.get("claim_ids"))
    rows, reused = [], 0
    it = claims
    if ctx["progress"]:
        from tqdm.auto import tqdm

        it = tqdm(claims, desc="paper checks", unit="claim", leave=False)
    for c in it:
        key = {"scale": ctx["scale"], "seed": ctx["seed"], "neural": cctx.neural}
        hit = ctx["cache"].get(f"claim-{c.id}", key)
        if hit is not None:
            hit["cached"] = True
            rows.append(hit)
            reused += 1
            continue
        row = jsonable(c.run(cctx))
        if "error" not in row:  # a crashed check is retried next time
            ctx["cache"].put(f"claim-{c.id}", key, row)
        row["cached"] = False
        rows.append(row)
    return {"claims": rows, "reused": reused}, None


PART_FUNCS = {"analyses": _part_analyses, "figures": _part_figures, "neural": _part_neural,
              "claims": _part_claims}


# ---------------------------------------------------------------- the driver
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
    from .provenance import environment

    choice("scale", scale, SCALES)
    parts = list(PARTS if parts is None else parts)
    for p in parts:
        choice("parts", p, PARTS)
    if claim_ids:  # bad ids are a usage error (exit 2), not a failed part
        from .paper_checks import select

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
           "cache": ResultCache(out / "cache"),
           "claim_ids": claim_ids, "figure_ids": figure_ids}
    results = {"title": "gametheory report", "scale": scale, "seed": int(seed), "neural_enabled": neural,
               "code_fingerprint": ctx["cache"].version,
               "environment": environment(), "parts": {}}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(parts), desc="report", unit="part")
    for name in PARTS:
        if name not in parts:
            continue
        if bar is not None:
            bar.set_postfix_str(name)
        results["parts"][name] = _run_part(name, ctx)
        # write what we have after every part: an interrupted run still leaves a readable report
        _write_all(out, results, time.perf_counter() - t_start)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    results["wall_seconds"] = round(time.perf_counter() - t_start, 2)
    _write_all(out, results, results["wall_seconds"])
    return results


def _run_part(name, ctx):
    # what each cacheable part depends on (besides the code, which ResultCache keys by)
    key = {"analyses": {"quick": ctx["scale"] == "quick"},
           "figures": {"figure_ids": ctx.get("figure_ids")}}.get(name)
    cacheable = key is not None
    t0 = time.perf_counter()
    if cacheable:
        hit = ctx["cache"].get(f"part-{name}", key)
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


# ---------------------------------------------------------------- rendering
def _short(text, n=400):
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _markdown_of(obj) -> str:
    """A Markdown table for a list of flat dicts, else JSON in a code block."""
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        keys = list(dict.fromkeys(k for r in obj for k in r))
        lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        for r in obj:
            lines.append("| " + " | ".join(_short(r.get(k, ""), 120).replace("|", "\\|") for k in keys) + " |")
        return "\n".join(lines)
    return "```\n" + to_json(obj) + "\n```"


TABLE_TITLES = {
    "table": "Bilinear games: exact convergence conditions for every step size (gametheory.analyses.tables)",
    "slides_table": "The negative-momentum table (Gidel et al. 2019), derived",
    "comparisons.zhang_yu": "Comparison with Zhang & Yu (ICLR 2020)",
    "comparisons.mescheder2017": "Comparison with Mescheder, Nowozin, Geiger (NeurIPS 2017)",
    "optimal": "Optimal hyperparameters (gametheory.analyses.optimal)",
}


def _flat(row, prefix=""):
    """A dict with nested dicts flattened to dotted keys and lists shown as text."""
    out = {}
    for k, v in row.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        elif isinstance(v, list):
            out[key] = ", ".join(str(x) for x in v) if all(not isinstance(x, (dict, list)) for x in v) else \
                json.dumps(v, default=str)
        elif isinstance(v, float):
            out[key] = f"{v:.6g}"
        else:
            out[key] = v
    return out


def _tables_in(obj, path=""):
    """Every list of dicts inside ``obj`` (the convergence tables), flattened, with its path."""
    found = []
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        found.append((path or "table", [_flat(r) for r in obj]))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            found += _tables_in(v, f"{path}.{k}" if path else str(k))
    return found


def render_markdown(results) -> str:
    env = results["environment"]
    lines = [f"# {results['title']}", "",
             f"Scale **{results['scale']}**, seed {results['seed']}, wall time {results.get('wall_seconds', 0):.1f} s, "
             f"gametheory {env.get('gametheory')} (code {results['code_fingerprint']}), Python {env.get('python')}, "
             f"{env.get('platform')}, {env.get('cpu_count')} CPUs, {env.get('time_utc')}.", ""]
    s = results.get("claims_summary", {})
    lines += ["## Paper checks", "",
              f"{s.get('confirmed', 0)} confirmed, {s.get('refuted', 0)} refuted, "
              f"{s.get('inconclusive', 0)} inconclusive. "
              "A refuted claim is a finding (the counterexample is given), not an error.", ""]
    claims = results["parts"].get("claims", {})
    if claims.get("status") == "done":
        lines += ["| id | verdict | toolkit | published | citation |", "|---|---|---|---|---|"]
        for r in claims["value"]["claims"]:
            cell = lambda t, n=300: _short(t, n).replace("|", "\\|").replace("\n", " ")  # noqa: E731
            lines.append(f"| `{r['id']}` | **{r['verdict']}** | {cell(r['ours'])} | {cell(r['published'])} | "
                         f"{cell(r['citation'], 160)} |")
        notes = [r for r in claims["value"]["claims"] if r.get("counterexample") or r.get("reason")]
        if notes:
            lines += ["", "### Counterexamples and reasons", ""]
            for r in notes:
                what = "counterexample" if r.get("counterexample") else "reason"
                lines.append(f"- `{r['id']}` ({what}): {_short(r.get('counterexample') or r.get('reason'), 600)}")
    else:
        lines.append(_status_line(claims))
    lines += ["", "## Convergence tables", ""]
    an = results["parts"].get("analyses", {})
    if an.get("status") == "done":
        lines.append(an["value"]["data"]["markdown"] + "\n")
        for path, rows in _tables_in(an["value"]["data"]):
            if path == "table":
                continue  # already shown by the analyses' own Markdown
            lines += [f"### {TABLE_TITLES.get(path, path)}", "", _markdown_of(rows), ""]
    else:
        lines.append(_status_line(an))
    lines += ["", "## Figures", ""]
    fg = results["parts"].get("figures", {})
    if fg.get("status") == "done":
        for f in fg["value"]["figures"]:
            png = [x for x in f["files"] if x.endswith(".png")]
            lines.append(f"### {f['id']}\n")
            if png:
                lines.append(f"![{f['id']}]({png[0]})\n")
            lines.append(f"{f['caption']} *Source: {f['source']}*\n")
    else:
        lines.append(_status_line(fg))
    lines += ["", "## Neural experiments", ""]
    nn = results["parts"].get("neural", {})
    if nn.get("status") == "done":
        g = nn["value"]["gaussians4"]
        lines.append(f"Four-Gaussian mixture, settings {g.get('settings')}:")
        for m in ("gda", "msv"):
            lines.append(f"- {m}: summary {json.dumps(g.get(m, {}).get('summary'), default=str)[:800]}")
    else:
        lines.append(_status_line(nn))
    lines += ["", "## Timing", ""] + [f"- {k}: {v} s" for k, v in results.get("timing", {}).items()]
    lines.append("")
    return "\n".join(lines)


def _status_line(part):
    if not part:
        return "_not run_"
    if part.get("status") == "error":
        return f"_error: {part.get('error')}_"
    return f"_{part.get('status', 'not run')}: {part.get('reason', '')}_"


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;
color:#1f2328;line-height:1.45}
h1{margin-bottom:.2rem} .meta{color:#59636e;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:1rem 0}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa} code{font-size:.85em}
.verdict{font-weight:600;padding:.1rem .4rem;border-radius:.3rem;color:#fff;white-space:nowrap}
.summary span{margin-right:1rem;font-weight:600}
figure{margin:1.5rem 0;border:1px solid #d0d7de;padding:.5rem;border-radius:.4rem}
figure img{max-width:100%} figcaption{font-size:.85rem;color:#59636e}
details{font-size:.8rem;color:#59636e} pre{white-space:pre-wrap;word-break:break-word}
.status{color:#9a6700;font-style:italic}
"""


def _e(x):
    return html.escape("" if x is None else str(x))


def _html_table(rows, cls="data"):
    keys = list(dict.fromkeys(k for r in rows for k in r))
    head = "".join(f"<th>{_e(k)}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{_e(_short(r.get(k, ''), 200))}</td>" for k in keys) + "</tr>"
                   for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def render_html(results) -> str:
    env = results["environment"]
    s = results.get("claims_summary", {})
    h = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>{_e(results['title'])}</title><style>{CSS}</style></head><body>",
         f"<h1>{_e(results['title'])}</h1>",
         f'<p class="meta">Scale <b>{_e(results["scale"])}</b> &middot; seed {_e(results["seed"])} &middot; wall time '
         f'{results.get("wall_seconds", 0):.1f} s &middot; gametheory {_e(env.get("gametheory"))} (code '
         f'{_e(results["code_fingerprint"])}) &middot; Python {_e(env.get("python"))} &middot; '
         f'{_e(env.get("platform"))} &middot; {_e(env.get("cpu_count"))} CPUs &middot; {_e(env.get("time_utc"))}</p>',
         '<nav><a href="#claims">Paper checks</a> &middot; <a href="#tables">Convergence tables</a> &middot; '
         '<a href="#figures">Figures</a> &middot; <a href="#neural">Neural experiments</a> &middot; '
         '<a href="#provenance">Provenance</a></nav>']
    # claims
    h.append('<h2 id="claims">Paper checks</h2>')
    h.append('<p class="summary">' + "".join(
        f'<span style="color:{VERDICT_COLORS[k]}">{s.get(k, 0)} {k}</span>' for k in VERDICT_COLORS) +
        "</p><p>Each claim is checked by the toolkit's own computation (exact where the claim is exact); the "
        "published value is quoted as the source states it. A refuted claim is a finding, with its counterexample.</p>")
    claims = results["parts"].get("claims", {})
    if claims.get("status") == "done":
        h.append('<table id="claims-table" class="claims"><thead><tr><th>id</th><th>verdict</th><th>claim</th>'
                 "<th>toolkit (ours)</th><th>published</th><th>citation</th></tr></thead><tbody>")
        for r in claims["value"]["claims"]:
            extra = ""
            if r.get("counterexample"):
                extra = f"<p><b>Counterexample:</b> {_e(r['counterexample'])}</p>"
            elif r.get("reason"):
                extra = f"<p><b>Reason:</b> {_e(r['reason'])}</p>"
            color = VERDICT_COLORS.get(r["verdict"], "#59636e")
            h.append(
                f'<tr class="claim" data-id="{_e(r["id"])}" data-verdict="{_e(r["verdict"])}">'
                f"<td><code>{_e(r['id'])}</code></td>"
                f'<td><span class="verdict" style="background:{color}">{_e(r["verdict"])}</span>'
                f"<br><small>{_e(r.get('method'))}, {r.get('seconds', 0):.2f} s</small></td>"
                f"<td>{_e(r['statement'])}<br><small><code>{_e(r['math'])}</code></small></td>"
                f"<td>{_e(r['ours'])}{extra}<details><summary>all numbers</summary><pre>"
                f"{_e(_short(to_json(r.get('details')), 4000))}</pre></details></td>"
                f"<td>{_e(r['published'])}</td><td>{_e(r['citation'])}</td></tr>")
        h.append("</tbody></table>")
    else:
        h.append(f'<p class="status">{_e(_status_line(claims))}</p>')
    # convergence tables
    h.append('<h2 id="tables">Convergence tables</h2>')
    an = results["parts"].get("analyses", {})
    if an.get("status") == "done":
        for path, rows in _tables_in(an["value"]["data"]):
            h.append(f"<h3>{_e(TABLE_TITLES.get(path, path))}</h3>" + _html_table(rows, "convergence"))
    else:
        h.append(f'<p class="status">{_e(_status_line(an))}</p>')
    # figures
    h.append('<h2 id="figures">Figures</h2>')
    fg = results["parts"].get("figures", {})
    if fg.get("status") == "done":
        for f in fg["value"]["figures"]:
            png = [x for x in f["files"] if x.endswith(".png")]
            img = f'<img src="{_e(png[0])}" alt="{_e(f["id"])}" loading="lazy">' if png else ""
            h.append(f'<figure id="fig-{_e(f["id"])}">{img}<figcaption><b>{_e(f["id"])}.</b> {_e(f["caption"])} '
                     f"<i>Source: {_e(f['source'])}</i></figcaption></figure>")
    else:
        h.append(f'<p class="status">{_e(_status_line(fg))}</p>')
    # neural
    h.append('<h2 id="neural">Neural experiments</h2>')
    nn = results["parts"].get("neural", {})
    if nn.get("status") == "done":
        g = nn["value"]["gaussians4"]
        h.append(f"<p>Four-Gaussian mixture, settings {_e(g.get('settings'))}.</p>")
        for m in ("gda", "msv"):
            summ = g.get(m, {}).get("summary")
            h.append(f"<h3>{_e(m)}</h3><pre>{_e(json.dumps(summ, indent=1, default=str)[:5000])}</pre>")
    else:
        h.append(f'<p class="status">{_e(_status_line(nn))}</p>')
    # provenance
    h.append('<h2 id="provenance">Provenance and timing</h2>')
    h.append(_html_table([{"part": k, "status": v.get("status"), "cached": v.get("cached"),
                           "seconds": v.get("seconds"), "note": v.get("reason") or v.get("error") or ""}
                          for k, v in results["parts"].items()], "timing"))
    h.append(_html_table([{"package": k, "version": v} for k, v in env.get("packages", {}).items()], "packages"))
    h.append("<p>Every number is in <a href=\"results.json\">results.json</a>; Markdown: "
             "<a href=\"report.md\">report.md</a>.</p></body></html>")
    return "\n".join(h)


__all__ = ["build_report", "render_html", "render_markdown", "claims_summary", "PARTS", "SCALES"]
