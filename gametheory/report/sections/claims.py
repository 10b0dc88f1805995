"""The paper checks: one row per claim, with the toolkit's value next to the published one."""
from __future__ import annotations

from ...claims import summary_text
from ...io import to_json
from ..markup import VERDICT_COLORS, e, short, status_line

ANCHOR, TITLE = "claims", "Paper checks"


def markdown(results) -> str:
    s = results.get("claims_summary", {})
    lines = [f"## {TITLE}", "",
             f"{summary_text(s)}. "
             "A refuted claim is a finding (the counterexample is given), not an error.", ""]
    claims = results["parts"].get("claims", {})
    if claims.get("status") != "done":
        return "\n".join(lines + [status_line(claims)])
    lines += ["| id | verdict | toolkit | published | citation |", "|---|---|---|---|---|"]
    for r in claims["value"]["claims"]:
        cell = lambda t, n=300: short(t, n).replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines.append(f"| `{r['id']}` | **{r['verdict']}** | {cell(r['ours'])} | {cell(r['published'])} | "
                     f"{cell(r['citation'], 160)} |")
    notes = [r for r in claims["value"]["claims"] if r.get("counterexample") or r.get("reason")]
    if notes:
        lines += ["", "### Counterexamples and reasons", ""]
        for r in notes:
            what = "counterexample" if r.get("counterexample") else "reason"
            lines.append(f"- `{r['id']}` ({what}): {short(r.get('counterexample') or r.get('reason'), 600)}")
    return "\n".join(lines)


def html(results) -> str:
    s = results.get("claims_summary", {})
    h = [f'<h2 id="{ANCHOR}">{TITLE}</h2>',
         '<p class="summary">' + "".join(
             f'<span style="color:{VERDICT_COLORS[k]}">{s.get(k, 0)} {k}</span>' for k in VERDICT_COLORS) +
         "</p><p>Each claim is checked by the toolkit's own computation (exact where the claim is exact); the "
         "published value is quoted as the source states it. A refuted claim is a finding, with its "
         "counterexample.</p>"]
    claims = results["parts"].get("claims", {})
    if claims.get("status") != "done":
        h.append(f'<p class="status">{e(status_line(claims))}</p>')
        return "\n".join(h)
    h.append('<table id="claims-table" class="claims"><thead><tr><th>id</th><th>verdict</th><th>claim</th>'
             "<th>toolkit (ours)</th><th>published</th><th>citation</th></tr></thead><tbody>")
    for r in claims["value"]["claims"]:
        extra = ""
        if r.get("counterexample"):
            extra = f"<p><b>Counterexample:</b> {e(r['counterexample'])}</p>"
        elif r.get("reason"):
            extra = f"<p><b>Reason:</b> {e(r['reason'])}</p>"
        color = VERDICT_COLORS.get(r["verdict"], "#59636e")
        h.append(
            f'<tr class="claim" data-id="{e(r["id"])}" data-verdict="{e(r["verdict"])}">'
            f"<td><code>{e(r['id'])}</code></td>"
            f'<td><span class="verdict" style="background:{color}">{e(r["verdict"])}</span>'
            f"<br><small>{e(r.get('method'))}, {r.get('seconds', 0):.2f} s</small></td>"
            f"<td>{e(r['statement'])}<br><small><code>{e(r['math'])}</code></small></td>"
            f"<td>{e(r['ours'])}{extra}<details><summary>all numbers</summary><pre>"
            f"{e(short(to_json(r.get('details')), 4000))}</pre></details></td>"
            f"<td>{e(r['published'])}</td><td>{e(r['citation'])}</td></tr>")
    h.append("</tbody></table>")
    return "\n".join(h)
