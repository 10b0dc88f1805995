"""The regenerated figures, each with its caption and source."""
from __future__ import annotations

from ..markup import e, status_line

ANCHOR, TITLE = "figures", "Figures"


def markdown(results) -> str:
    lines = [f"## {TITLE}", ""]
    fg = results["parts"].get("figures", {})
    if fg.get("status") != "done":
        return "\n".join(lines + [status_line(fg)])
    for f in fg["value"]["figures"]:
        png = [x for x in f["files"] if x.endswith(".png")]
        lines.append(f"### {f['id']}\n")
        if png:
            lines.append(f"![{f['id']}]({png[0]})\n")
        lines.append(f"{f['caption']} *Source: {f['source']}*\n")
    return "\n".join(lines)


def html(results) -> str:
    h = [f'<h2 id="{ANCHOR}">{TITLE}</h2>']
    fg = results["parts"].get("figures", {})
    if fg.get("status") != "done":
        return "\n".join(h + [f'<p class="status">{e(status_line(fg))}</p>'])
    for f in fg["value"]["figures"]:
        png = [x for x in f["files"] if x.endswith(".png")]
        img = f'<img src="{e(png[0])}" alt="{e(f["id"])}" loading="lazy">' if png else ""
        h.append(f'<figure id="fig-{e(f["id"])}">{img}<figcaption><b>{e(f["id"])}.</b> {e(f["caption"])} '
                 f"<i>Source: {e(f['source'])}</i></figcaption></figure>")
    return "\n".join(h)
