"""The report as an HTML page and a Markdown document, assembled from :mod:`.sections`."""
from __future__ import annotations

from .markup import e
from .sections import SECTIONS

__all__ = ["render_html", "render_markdown", "CSS"]

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


def _meta(results) -> str:
    env = results["environment"]
    return (f"Scale **{results['scale']}**, seed {results['seed']}, wall time {results.get('wall_seconds', 0):.1f} s, "
            f"gametheory {env.get('gametheory')} (code {results['code_fingerprint']}), Python {env.get('python')}, "
            f"{env.get('platform')}, {env.get('cpu_count')} CPUs, {env.get('time_utc')}.")


def render_markdown(results) -> str:
    lines = [f"# {results['title']}", "", _meta(results), ""]
    for section in SECTIONS:
        lines += [section.markdown(results), ""]
    return "\n".join(lines)


def render_html(results) -> str:
    env = results["environment"]
    nav = " &middot; ".join(f'<a href="#{s.ANCHOR}">{e(s.TITLE)}</a>' for s in SECTIONS)
    h = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>{e(results['title'])}</title><style>{CSS}</style></head><body>",
         f"<h1>{e(results['title'])}</h1>",
         f'<p class="meta">Scale <b>{e(results["scale"])}</b> &middot; seed {e(results["seed"])} &middot; wall time '
         f'{results.get("wall_seconds", 0):.1f} s &middot; gametheory {e(env.get("gametheory"))} (code '
         f'{e(results["code_fingerprint"])}) &middot; Python {e(env.get("python"))} &middot; '
         f'{e(env.get("platform"))} &middot; {e(env.get("cpu_count"))} CPUs &middot; {e(env.get("time_utc"))}</p>',
         f"<nav>{nav}</nav>"]
    h += [section.html(results) for section in SECTIONS]
    h.append("</body></html>")
    return "\n".join(h)
