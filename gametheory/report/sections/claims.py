"""The paper checks: one row per claim, with the toolkit's value next to the published one.

Four columns that fit the page at common widths: the claim (statement,
formula, its id and its source under it), the verdict, the toolkit's value
(with the counterexample or reason and every number behind it) and the
published value. On a narrow screen each row becomes a card.
"""
from __future__ import annotations

from ...io import to_json
from ..markup import badge, color_of, e, short, status_counts, status_line

ANCHOR, TITLE = "claims", "Paper checks"


def _summary_text(results) -> str:
    return ", ".join(f"{n} {k}" for k, n in status_counts(results.get("claims_summary", {})))


def markdown(results) -> str:
    lines = [f"## {TITLE}", "",
             f"{_summary_text(results)}. A refuted claim is a finding (the counterexample is given), not an error.", ""]
    claims = results["parts"].get("claims", {})
    if claims.get("status") != "done":
        return "\n".join(lines + [status_line(claims)])
    lines += ["| claim | verdict | toolkit (ours) | published |", "|---|---|---|---|"]
    for r in claims["value"]["claims"]:
        cell = lambda t, n=300: short(t, n).replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines.append(f"| {cell(r['statement'])}<br>`{r['id']}`; source: {cell(r['citation'], 200)} | "
                     f"**{r['verdict']}** | {cell(r['ours'])} | {cell(r['published'])} |")
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
             f'<span style="color:{color_of(k)}">{n} {e(k)}</span>' for k, n in status_counts(s)) +
         "</p><p>Each claim is checked by the toolkit's own computation (exact where the claim is exact); the "
         "published value is quoted as the source states it. A refuted claim is a finding, with its "
         "counterexample.</p>"]
    claims = results["parts"].get("claims", {})
    if claims.get("status") != "done":
        h.append(f'<p class="status">{e(status_line(claims))}</p>')
        return "\n".join(h)
    h.append('<table id="claims-table" class="claims"><colgroup><col class="c-claim"><col class="c-verdict">'
             '<col class="c-ours"><col class="c-published"></colgroup><thead><tr><th scope="col">claim</th>'
             '<th scope="col">verdict</th><th scope="col">toolkit (ours)</th><th scope="col">published</th>'
             "</tr></thead><tbody>")
    for r in claims["value"]["claims"]:
        extra = ""
        if r.get("counterexample"):
            extra = f"<p><b>Counterexample:</b> {e(r['counterexample'])}</p>"
        elif r.get("reason"):
            extra = f"<p><b>Reason:</b> {e(r['reason'])}</p>"
        h.append(
            f'<tr class="claim" id="claim-{e(r["id"])}" data-id="{e(r["id"])}" data-verdict="{e(r["verdict"])}">'
            f'<td data-label="claim">{e(r["statement"])}<code class="math">{e(r["math"])}</code>'
            f'<span class="cid"><code>{e(r["id"])}</code></span>'
            f'<span class="source">Source: {e(r["citation"])}</span></td>'
            f'<td data-label="verdict">{badge(r["verdict"])}'
            f"<br><small>{e(r.get('method'))}, {r.get('seconds', 0):.2f} s</small></td>"
            f'<td data-label="toolkit (ours)">{e(r["ours"])}{extra}<details><summary>all numbers</summary><pre>'
            f"{e(short(to_json(r.get('details')), 4000))}</pre></details></td>"
            f'<td data-label="published">{e(r["published"])}</td></tr>')
    h.append("</tbody></table>")
    return "\n".join(h)
