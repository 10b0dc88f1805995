"""Small HTML and Markdown helpers shared by the report's sections."""
from __future__ import annotations

import html
import json

from ..io import to_json

VERDICT_COLORS = {"confirmed": "#1a7f37", "refuted": "#cf222e", "inconclusive": "#9a6700"}
OTHER_COLOR = "#59636e"  # a status without a colour of its own

# readable column headers for the keys of the analyses' records (flattened with dots by :func:`flat`)
HEADERS = {
    "beta_sign": "sign of beta", "bounded": "bounded (some step size)", "converges": "converges (some step size)",
    "condition": "exact condition", "beta": "momentum beta", "ours": "toolkit (ours)", "samples": "points checked",
    "sigma_range": "singular values (min, max)", "params.eta": "optimal eta", "params.beta": "optimal beta",
    "params.gamma": "optimal gamma", "radius": "radius at the optimum", "radius_check": "radius, dense re-check",
    "grid_best.params.eta": "grid's best eta", "grid_best.params.beta": "grid's best beta",
    "grid_best.radius": "grid's best radius", "success": "optimiser converged", "beta_negative": "optimal beta < 0",
    "fixed": "fixed parameters",
}

__all__ = ["VERDICT_COLORS", "HEADERS", "short", "e", "status_line", "html_table", "markdown_of", "flat",
           "tables_in", "transposed_table", "label", "color_of", "status_counts", "badge"]


def short(text, n=400):
    """``text`` cut to ``n`` characters (with an ellipsis)."""
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def e(x):
    """HTML-escaped text (None -> empty)."""
    return html.escape("" if x is None else str(x))


def label(key: str) -> str:
    """A readable column header for a (possibly dotted) record key.

    >>> label("grid_best.params.eta"), label("sigma_range"), label("mean_kl")
    ("grid's best eta", 'singular values (min, max)', 'mean kl')
    """
    if key in HEADERS:
        return HEADERS[key]
    parts = [p for p in key.split(".") if p != "params"]
    return " ".join(parts).replace("_", " ")


def color_of(status: str) -> str:
    """The colour of a verdict or status (any status: unknown ones get a neutral grey)."""
    return VERDICT_COLORS.get(status, OTHER_COLOR)


def status_counts(summary: dict) -> list:
    """``[(status, count), ...]``: every status of :data:`VERDICT_COLORS` (in its order), then any other.

    >>> status_counts({"confirmed": 2, "refuted": 0, "inconclusive": 1, "skipped": 1})
    [('confirmed', 2), ('refuted', 0), ('inconclusive', 1), ('skipped', 1)]
    """
    keys = list(VERDICT_COLORS) + [k for k in summary if k not in VERDICT_COLORS]
    return [(k, int(summary.get(k, 0))) for k in keys]


def badge(status: str) -> str:
    """A coloured verdict badge."""
    return f'<span class="verdict" style="background:{color_of(status)}">{e(status)}</span>'


def status_line(part):
    """One line saying why a part shows no content (not run, error, not available)."""
    if not part:
        return "_not run_"
    if part.get("status") == "error":
        return f"_error: {part.get('error')}_"
    return f"_{part.get('status', 'not run')}: {part.get('reason', '')}_"


def _cell(v) -> str:
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return "" if v is None else str(v)


def html_table(rows, cls="data", headers=None):
    """An HTML table of a list of flat dicts (columns: every key, in order of appearance, with readable headers).

    The table sits in a ``div.table-wrap`` (it scrolls there, never the page, on a phone).
    """
    keys = list(dict.fromkeys(k for r in rows for k in r))
    headers = headers or {}
    head = "".join(f'<th scope="col">{e(headers.get(k) or label(k))}</th>' for k in keys)
    body = "".join("<tr>" + "".join(f'<td data-label="{e(headers.get(k) or label(k))}">'
                                    f"{e(short(_cell(r.get(k)), 300))}</td>" for k in keys) + "</tr>"
                   for r in rows)
    return (f'<div class="table-wrap"><table class="{cls}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def markdown_of(obj, headers=None) -> str:
    """A Markdown table for a list of flat dicts (readable headers), else JSON in a code block."""
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        keys = list(dict.fromkeys(k for r in obj for k in r))
        headers = headers or {}
        lines = ["| " + " | ".join(headers.get(k) or label(k) for k in keys) + " |", "|" + "---|" * len(keys)]
        for r in obj:
            lines.append("| " + " | ".join(short(_cell(r.get(k)), 120).replace("|", "\\|").replace("\n", " ")
                                           for k in keys) + " |")
        return "\n".join(lines)
    return "```\n" + to_json(obj) + "\n```"


def _text(v) -> str:
    """A nested value as one line of text: ``{"eta": 1, "sigma": 2}`` -> ``eta=1, sigma=2``."""
    if isinstance(v, dict):
        return ", ".join(f"{k}={_text(x)}" for k, x in v.items()) or "-"
    if isinstance(v, list):
        return ", ".join(_text(x) for x in v)
    if isinstance(v, float):
        return f"{v:.6g}"
    return "" if v is None else str(v)


def flat(row, prefix="", nested=None):
    """A dict with nested dicts flattened to dotted keys and lists shown as text.

    ``nested``: the keys to flatten (default: every dict); the others' dicts
    become one ``k=v, ...`` text cell.

    >>> flat({"a": 1, "p": {"eta": 0.5}, "c": {"x": 1}}, nested={"p"})
    {'a': 1, 'p.eta': '0.5', 'c': 'x=1'}
    """
    out = {}
    for k, v in row.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and (nested is None or key in nested) and v:
            out.update(flat(v, key + ".", nested))
        elif isinstance(v, dict):
            out[key] = _text(v) if v else ""
        elif isinstance(v, list):
            out[key] = ", ".join(str(x) for x in v) if all(not isinstance(x, (dict, list)) for x in v) else \
                json.dumps(v, default=str)
        elif isinstance(v, float):
            out[key] = f"{v:.6g}"
        else:
            out[key] = v
    return out


def _always_dicts(rows, prefix="") -> set:
    """The (dotted) keys that hold a non-empty dict in every row: a table's regular structure."""
    keys = set.intersection(*[{k for k, v in r.items() if isinstance(v, dict) and v} for r in rows]) if rows else set()
    out = {prefix + k for k in keys}
    for k in keys:
        out |= _always_dicts([r[k] for r in rows], prefix + k + ".")
    return out


def tables_in(obj, path=""):
    """Every list of dicts inside ``obj`` (the convergence tables), flattened, with its path.

    Nested dicts present in every row become columns with dotted keys
    (``grid_best.params.eta``, shown as "grid's best eta" by :func:`label`);
    the others (a counterexample that only some rows have) stay one column.
    """
    found = []
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        nested = _always_dicts(obj)
        found.append((path or "table", [flat(r, nested=nested) for r in obj]))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            found += tables_in(v, f"{path}.{k}" if path else str(k))
    return found


def transposed_table(rows, cls="data", title_keys=("method", "order")):
    """A wide table turned on its side: one row per field, one column per record (headed by ``title_keys``)."""
    keys = list(dict.fromkeys(k for r in rows for k in r))
    titles = [" ".join(str(r.get(k)) for k in title_keys if r.get(k) is not None) or f"#{i + 1}"
              for i, r in enumerate(rows)]
    head = '<th scope="col"></th>' + "".join(f'<th scope="col">{e(t)}</th>' for t in titles)
    body = "".join(f'<tr><th scope="row">{e(label(k))}</th>' + "".join(
        f"<td>{e(short(_cell(r.get(k)), 300))}</td>" for r in rows) + "</tr>" for k in keys if k not in title_keys)
    return (f'<div class="table-wrap"><table class="{cls} transposed"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
