"""The convergence tables of :mod:`gametheory.analyses.tables`."""
from __future__ import annotations

from ..markup import e, html_table, markdown_of, status_line, tables_in, transposed_table

ANCHOR, TITLE = "tables", "Convergence tables"
WIDE = 8  # more columns than this (and at most this many rows): the table is shown transposed

TABLE_TITLES = {
    "table": "Bilinear games: exact convergence conditions for every step size (gametheory.analyses.tables)",
    "slides_table": "The negative-momentum table (Gidel et al. 2019), derived",
    "comparisons.zhang_yu": "Comparison with Zhang & Yu (ICLR 2020)",
    "comparisons.mescheder2017": "Comparison with Mescheder, Nowozin, Geiger (NeurIPS 2017)",
    "optimal": "Optimal hyperparameters (gametheory.analyses.optimal)",
}


def markdown(results) -> str:
    lines = [f"## {TITLE}", ""]
    an = results["parts"].get("analyses", {})
    if an.get("status") != "done":
        return "\n".join(lines + [status_line(an)])
    lines.append(an["value"]["data"]["markdown"] + "\n")
    for path, rows in tables_in(an["value"]["data"]):
        if path == "table":
            continue  # already shown by the analyses' own Markdown
        lines += [f"### {TABLE_TITLES.get(path, path)}", "", markdown_of(rows), ""]
    return "\n".join(lines)


def html(results) -> str:
    h = [f'<h2 id="{ANCHOR}">{TITLE}</h2>']
    an = results["parts"].get("analyses", {})
    if an.get("status") != "done":
        return "\n".join(h + [f'<p class="status">{e(status_line(an))}</p>'])
    for path, rows in tables_in(an["value"]["data"]):
        keys = {k for r in rows for k in r}
        # a table with many columns and few rows reads better (and fits the page) on its side
        table = transposed_table(rows, "convergence") if len(keys) > WIDE and len(rows) <= WIDE else \
            html_table(rows, "convergence")
        h.append(f"<h3>{e(TABLE_TITLES.get(path, path))}</h3>" + table)
    return "\n".join(h)
