"""Theory vs neural GANs: the spectrum at an equilibrium, predicted vs measured rates, verdict agreement."""
from __future__ import annotations

from ..markup import e, html_table, markdown_of, status_line

ANCHOR, TITLE = "theory-neural", "Theory vs neural GANs"

INTRO = ("The saturating GAN on four Gaussians (equal weights), a fixed batch of 4 samples, tiny float64 networks "
         "(generator 2-8-2, discriminator 2-8-1, tanh), at its realizable equilibrium (the generator reproduces the "
         "batch, the discriminator is constant). Predicted rates come from the spectrum of J = dv/dz (closed forms "
         "over its eigenvalues for methods that are functions of J, else the JVP of one step of the registry rule); "
         "measured rates from runs of the rule started at z* + delta, read on |v(z_t)|. Eigenvalues in the kernel "
         "of J (the network's symmetries) and slow modes below the largest spectral gap are set aside in both; "
         "the new claims of kind 'neural' are in the claims table.")


def _rows(value):
    out = []
    for r in value["table"]:
        extra = ", ".join(f"{k}={v:g}" for k, v in r["params"].items() if k != "eta")
        out.append({"method": r["method"], "order": r["order"], "params": extra, "path": r["path"],
                    "predicted rho": f"{r['predicted_rho']:.6f}", "measured rho":
                    f"{r['measured_rho']:.6f}" if r["measured_rho"] is not None else "",
                    "predicted": r["predicted_verdict"], "measured": r["measured_verdict"] or "",
                    "agree": "yes" if r["agree"] else "NO", "why not": r["reason"] or ""})
    return out


def _summary(value):
    eq = value["equilibrium"]
    g = value["grid"]["summary"]
    k = eq["kernel"]
    ex = g.get("exponent_within_10pct_rate")
    return (f"{eq['n_params']} parameters, |v(z*)| = {eq['grad_norm']:.2g} (relative {eq['relative_grad_norm']:.2g}), "
            f"{eq['kind']}; {k['treated_as_kernel']} eigenvalues treated as kernel ({k['exact']['dim']} exact, "
            f"{k['slow_modes']} slow). Grid (alternating heavy ball, {g['n_points']} points, {value['steps']} steps): "
            f"verdicts agree on {g['agreement_rate']:.0%}"
            + (f"; decay exponent within 10% on {ex:.0%} of {g['clearly_converging']} clearly converging points"
               if ex is not None else "")
            + f". Per-method table at eta = {value['eta']:.4g}: verdicts agree on "
            f"{value['table_agreement']:.0%} of {len(value['table'])} methods.")


def markdown(results) -> str:
    lines = [f"## {TITLE}", ""]
    part = results["parts"].get("theory", {})
    if part.get("status") != "done":
        return "\n".join(lines + [status_line(part)])
    v = part["value"]
    lines += [INTRO, "", _summary(v), ""]
    for f in v.get("figures", []):
        lines.append(f"![{f}]({f})")
    lines += ["", markdown_of(_rows(v))]
    return "\n".join(lines)


def html(results) -> str:
    h = [f'<h2 id="{ANCHOR}">{TITLE}</h2>']
    part = results["parts"].get("theory", {})
    if part.get("status") != "done":
        return "\n".join(h + [f'<p class="status">{e(status_line(part))}</p>'])
    v = part["value"]
    h += [f"<p>{e(INTRO)}</p>", f"<p><b>{e(_summary(v))}</b></p>"]
    for f in v.get("figures", []):
        h.append(f'<figure><img src="{e(f)}" alt="{e(f)}" loading="lazy"></figure>')
    h.append(html_table(_rows(v)))
    return "\n".join(h)
