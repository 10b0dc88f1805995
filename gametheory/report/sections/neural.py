"""The neural experiments (Torch): the four-Gaussian GAN with GDA and the MSV algorithm.

The comparison behind the claim ``msv2020.gaussians4_modes`` (Mangoubi,
Sachdeva, Vishnoi): pictures (the share of runs per number of modes learned,
next to the published shares; modes and KL over the iterations; the final
samples), the settings, one summary row per method and one row per seed.
"""
from __future__ import annotations

from ..markup import e, html_table, markdown_of, status_line, transposed_table

ANCHOR, TITLE = "neural", "Neural experiments"

METHODS = {"gda": "GDA (one discriminator step per generator step)",
           "msv": "MSV (Mangoubi-Sachdeva-Vishnoi: 6 discriminator steps, accept/reject)"}


def _pct(x) -> str:
    return "" if x is None else f"{100 * float(x):.0f}%"


def _num(x, fmt=".3g") -> str:
    return "" if x is None else format(float(x), fmt)


def settings_rows(g) -> list:
    """The settings that tell two runs apart, as ``{"setting", "value"}`` rows."""
    st = (g.get("gda") or {}).get("settings", {})
    ds = st.get("dataset", {})
    rows = [("data", f"{st.get('data')}: {ds.get('modes')} modes, layout {ds.get('layout')}"
             + (f" (weights {', '.join(str(w) for w in ds['weights'])})" if ds.get("weights") else "")),
            ("iterations", st.get("iters")), ("seeds", ", ".join(str(s) for s in st.get("seeds", []))),
            ("networks", f"scale {st.get('scale')}: {st.get('layers')} hidden layer(s) of {st.get('hidden')}, "
                         f"noise dimension {st.get('noise_dim')}, batch {st.get('batch')}"),
            ("optimiser", f"Adam, lr generator {st.get('lr_x')}, lr discriminator {st.get('lr_y')}, loss "
                          f"{st.get('loss')}"),
            ("device", st.get("device"))]
    return [{"setting": k, "value": v} for k, v in rows]


def summary_rows(g) -> list:
    """One row per method: runs, the share of runs per number of modes, means."""
    from gametheory.paper_checks.msv2020 import PUBLISHED_SHARES

    out = []
    for m in ("gda", "msv"):
        if m not in g:
            continue
        s = g[m]["summary"]
        row = {"method": m.upper(), "runs": s["n_runs"]}
        for k, share in s["share_by_modes"].items():
            pub = PUBLISHED_SHARES.get((m, int(k)))
            row[f"{k} mode{'' if k == '1' else 's'}"] = _pct(share) + (f" (published {_pct(pub)})" if pub is not None else "")
        row.update({"mean modes": _num(s.get("mean_modes")),
                    "mean high-quality share": _num(s.get("mean_high_quality")), "mean KL": _num(s.get("mean_kl"))})
        rates = [r["accept_rate"] for r in g[m]["runs"] if r.get("accept_rate") is not None]
        row["accept rate"] = _pct(sum(rates) / len(rates)) if rates else "-"
        out.append(row)
    return out


def run_rows(g) -> list:
    """One row per method and seed."""
    return [{"method": m.upper(), "seed": r["seed"], "modes": r["modes"],
             "high-quality share": _num(r.get("high_quality")), "KL": _num(r.get("kl")),
             "dominant-mode switches": r.get("switches"), "seconds": _num(r.get("seconds"), ".1f")}
            for m in ("gda", "msv") if m in g for r in g[m]["runs"]]


def markdown(results) -> str:
    lines = [f"## {TITLE}", ""]
    nn = results["parts"].get("neural", {})
    if nn.get("status") != "done":
        return "\n".join(lines + [status_line(nn)])
    g = nn["value"]["gaussians4"]
    lines += ["Four-Gaussian mixture: " + "; ".join(f"{m.upper()}: {d}" for m, d in METHODS.items()) + ".", ""]
    for f in nn["value"].get("figures", []):
        lines += [f"![{f['id']}]({f['file']})", "", f["caption"], ""]
    lines += [markdown_of(summary_rows(g)), "", markdown_of(settings_rows(g)), "", markdown_of(run_rows(g))]
    return "\n".join(lines)


def html(results) -> str:
    h = [f'<h2 id="{ANCHOR}">{TITLE}</h2>']
    nn = results["parts"].get("neural", {})
    if nn.get("status") != "done":
        return "\n".join(h + [f'<p class="status">{e(status_line(nn))}</p>'])
    g = nn["value"]["gaussians4"]
    h.append("<p>The four-Gaussian mixture of Mangoubi, Sachdeva and Vishnoi, trained with "
             + " and ".join(f"<b>{e(m.upper())}</b>, {e(d.split(' (', 1)[1].rstrip(')'))}"
                            for m, d in METHODS.items())
             + " (claim <a href=\"#claim-msv2020.gaussians4_modes\"><code>msv2020.gaussians4_modes</code></a>).</p>")
    h.append("<h3>Modes learned</h3>" + transposed_table(summary_rows(g), "neural-summary", title_keys=("method",)))
    for f in nn["value"].get("figures", []):
        h.append(f'<figure id="neural-{e(f["id"])}"><img src="{e(f["file"])}" alt="{e(f["caption"])}" '
                 f'loading="lazy"><figcaption>{e(f["caption"])}</figcaption></figure>')
    h.append("<h3>Settings</h3>" + html_table(settings_rows(g), "neural-settings"))
    h.append("<h3>Every run</h3>" + html_table(run_rows(g), "neural-runs"))
    return "\n".join(h)
