"""The neural experiments (Torch): the four-Gaussian GAN with GDA and the MSV algorithm."""
from __future__ import annotations

import json

from ..markup import e, status_line

ANCHOR, TITLE = "neural", "Neural experiments"


def markdown(results) -> str:
    lines = [f"## {TITLE}", ""]
    nn = results["parts"].get("neural", {})
    if nn.get("status") != "done":
        return "\n".join(lines + [status_line(nn)])
    g = nn["value"]["gaussians4"]
    lines.append(f"Four-Gaussian mixture, settings {g.get('settings')}:")
    for m in ("gda", "msv"):
        lines.append(f"- {m}: summary {json.dumps(g.get(m, {}).get('summary'), default=str)[:800]}")
    return "\n".join(lines)


def html(results) -> str:
    h = [f'<h2 id="{ANCHOR}">{TITLE}</h2>']
    nn = results["parts"].get("neural", {})
    if nn.get("status") != "done":
        return "\n".join(h + [f'<p class="status">{e(status_line(nn))}</p>'])
    g = nn["value"]["gaussians4"]
    h.append(f"<p>Four-Gaussian mixture, settings {e(g.get('settings'))}.</p>")
    for m in ("gda", "msv"):
        summ = g.get(m, {}).get("summary")
        h.append(f"<h3>{e(m)}</h3><pre>{e(json.dumps(summ, indent=1, default=str)[:5000])}</pre>")
    return "\n".join(h)
