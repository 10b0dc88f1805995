"""Provenance and timing: each part's status and wall time, the package versions."""
from __future__ import annotations

from ..markup import html_table

ANCHOR, TITLE = "provenance", "Provenance and timing"


def markdown(results) -> str:
    return "\n".join(["## Timing", ""] + [f"- {k}: {v} s" for k, v in results.get("timing", {}).items()])


def html(results) -> str:
    env = results["environment"]
    return "\n".join([
        f'<h2 id="{ANCHOR}">{TITLE}</h2>',
        html_table([{"part": k, "status": v.get("status"), "cached": v.get("cached"),
                     "seconds": v.get("seconds"), "note": v.get("reason") or v.get("error") or ""}
                    for k, v in results["parts"].items()], "timing"),
        html_table([{"package": k, "version": v} for k, v in env.get("packages", {}).items()], "packages"),
        "<p>Every number is in <a href=\"results.json\">results.json</a>; Markdown: "
        "<a href=\"report.md\">report.md</a>.</p>"])
