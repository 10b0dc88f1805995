"""Small HTML and Markdown helpers shared by the report's sections."""
from __future__ import annotations

import html
import json

from ..io import to_json

VERDICT_COLORS = {"confirmed": "#1a7f37", "refuted": "#cf222e", "inconclusive": "#9a6700",
                  "error": "#82071e"}  # a check that raised: not a verdict, shown in (dark) red

__all__ = ["VERDICT_COLORS", "short", "e", "status_line", "html_table", "markdown_of", "flat", "tables_in"]


def short(text, n=400):
    """``text`` cut to ``n`` characters (with an ellipsis)."""
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def e(x):
    """HTML-escaped text (None -> empty)."""
    return html.escape("" if x is None else str(x))


def status_line(part):
    """One line saying why a part shows no content (not run, error, not available)."""
    if not part:
        return "_not run_"
    if part.get("status") == "error":
        return f"_error: {part.get('error')}_"
    return f"_{part.get('status', 'not run')}: {part.get('reason', '')}_"


def html_table(rows, cls="data"):
    """An HTML table of a list of flat dicts (columns: every key, in order of appearance)."""
    keys = list(dict.fromkeys(k for r in rows for k in r))
    head = "".join(f"<th>{e(k)}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{e(short(r.get(k, ''), 200))}</td>" for k in keys) + "</tr>"
                   for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def markdown_of(obj) -> str:
    """A Markdown table for a list of flat dicts, else JSON in a code block."""
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        keys = list(dict.fromkeys(k for r in obj for k in r))
        lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        for r in obj:
            lines.append("| " + " | ".join(short(r.get(k, ""), 120).replace("|", "\\|") for k in keys) + " |")
        return "\n".join(lines)
    return "```\n" + to_json(obj) + "\n```"


def flat(row, prefix=""):
    """A dict with nested dicts flattened to dotted keys and lists shown as text."""
    out = {}
    for k, v in row.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flat(v, key + "."))
        elif isinstance(v, list):
            out[key] = ", ".join(str(x) for x in v) if all(not isinstance(x, (dict, list)) for x in v) else \
                json.dumps(v, default=str)
        elif isinstance(v, float):
            out[key] = f"{v:.6g}"
        else:
            out[key] = v
    return out


def tables_in(obj, path=""):
    """Every list of dicts inside ``obj`` (the convergence tables), flattened, with its path."""
    found = []
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        found.append((path or "table", [flat(r) for r in obj]))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            found += tables_in(v, f"{path}.{k}" if path else str(k))
    return found
