"""The report as an HTML page and a Markdown document, assembled from :mod:`.sections`."""
from __future__ import annotations

from .markup import e
from .sections import SECTIONS

__all__ = ["render_html", "render_markdown", "CSS"]

CSS = """
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;
color:#1f2328;line-height:1.45;overflow-wrap:break-word}
h1{margin-bottom:.2rem} .meta{color:#59636e;font-size:.9rem} nav a{white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:1rem 0}
table.claims{table-layout:fixed}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f6f8fa;font-weight:600} code{font-size:.85em;overflow-wrap:anywhere}
.table-wrap{max-width:100%;overflow-x:auto}
.table-wrap table{margin:0} .table-wrap{margin:1rem 0}
table.claims col.c-claim{width:34%} table.claims col.c-verdict{width:11%}
table.claims col.c-ours{width:33%} table.claims col.c-published{width:22%}
.claims code.math{display:block;margin-top:.3rem;color:#59636e}
.claims .cid{display:block;margin-top:.3rem;font-size:.8rem}
.claims .source{display:block;margin-top:.2rem;font-size:.75rem;color:#59636e}
.claims p{margin:.4rem 0}
.verdict{font-weight:600;padding:.1rem .4rem;border-radius:.3rem;color:#fff;white-space:nowrap;display:inline-block}
.summary span{margin-right:1rem;font-weight:600;display:inline-block}
figure{margin:1.5rem 0;border:1px solid #d0d7de;padding:.5rem;border-radius:.4rem}
figure img{max-width:100%;height:auto} figcaption{font-size:.85rem;color:#59636e}
details{font-size:.8rem;color:#59636e} pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:30rem;overflow-y:auto}
.status{color:#9a6700;font-style:italic}
@media screen and (max-width:760px){
 body{margin:1rem auto}
 table.claims,table.claims tbody,table.claims tr,table.claims td{display:block;width:auto}
 table.claims thead,table.claims colgroup{display:none}
 table.claims tr{border:1px solid #d0d7de;border-radius:.4rem;margin:0 0 .8rem;padding:.3rem}
 table.claims td{border:none;padding:.25rem .3rem}
 table.claims td::before{content:attr(data-label);display:block;font-size:.7rem;font-weight:600;color:#59636e;
  text-transform:uppercase}
}
@media print{
 @page{size:A4;margin:12mm}
 body{max-width:none;margin:0;padding:0;font-size:8.5pt;line-height:1.3}
 nav{display:none} a{color:inherit;text-decoration:none}
 table{font-size:7pt;width:100%;page-break-inside:auto}
 .table-wrap{overflow:visible}
 thead{display:table-header-group} tr,figure,img{break-inside:avoid;page-break-inside:avoid}
 h2,h3{break-after:avoid;page-break-after:avoid}
 th,td{padding:.15rem .25rem;overflow-wrap:anywhere;word-break:break-word}
 details{display:none}
 .verdict,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 figure img{max-height:85vh}
}
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
