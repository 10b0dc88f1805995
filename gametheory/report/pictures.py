"""Pictures the report draws from its parts' numbers: the neural comparison of GDA and MSV.

:func:`neural_figures` turns the four-Gaussian results of
:func:`gametheory.paper_checks.msv2020.gan_comparison` into three PNG files
(written atomically and reproducibly by :func:`gametheory.plotting.save_figure`):

* ``gaussians4_shares.png``: the share of runs that learned 0, 1, ..., 4
  modes, GDA next to MSV, with the published shares marked;
* ``gaussians4_history.png``: modes covered and KL divergence over the
  iterations, one thin line per seed and the mean;
* ``gaussians4_samples.png``: the generated points at the last iteration
  over the mixture's modes, per method and seed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..plotting import pyplot, save_figure

__all__ = ["neural_figures", "METHOD_COLORS"]

METHOD_COLORS = {"gda": "#cf222e", "msv": "#0969da"}
LABELS = {"gda": "GDA", "msv": "MSV"}


def _shares(ax, g, published):
    n_modes = len(g["gda"]["summary"]["share_by_modes"]) - 1
    ks = np.arange(n_modes + 1)
    width = 0.38
    for i, m in enumerate(("gda", "msv")):
        share = [g[m]["summary"]["share_by_modes"][str(k)] for k in ks]
        ax.bar(ks + (i - 0.5) * width, share, width, color=METHOD_COLORS[m],
               label=f"{LABELS[m]} ({g[m]['summary']['n_runs']} runs)")
        pub = [(k, s) for (pm, k), s in published.items() if pm == m]
        if pub:
            ax.scatter([k + (i - 0.5) * width for k, _ in pub], [s for _, s in pub], marker="_", s=500,
                       color="k", linewidths=2.5, zorder=3, label="published" if i == 1 else None)
    ax.set_xticks(ks)
    ax.set_xlabel("modes learned at the last iteration")
    ax.set_ylabel("share of runs")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8, frameon=False)


def _history(axes, g):
    for m in ("gda", "msv"):
        runs = g[m]["runs"]
        for key, ax in zip(("modes", "kl"), axes):
            curves = []
            for run in runs:
                pts = [(h["iter"], h[key]) for h in run.get("history", []) if h.get(key) is not None]
                if pts:
                    it, val = zip(*pts)
                    ax.plot(it, val, color=METHOD_COLORS[m], lw=0.7, alpha=0.35)
                    curves.append(dict(pts))
            if curves:
                its = sorted(set().union(*[c.keys() for c in curves]))
                mean = [np.mean([c[i] for c in curves if i in c]) for i in its]
                ax.plot(its, mean, color=METHOD_COLORS[m], lw=2, label=f"{LABELS[m]} (mean)")
    n_modes = len(g["gda"]["summary"]["share_by_modes"]) - 1
    axes[0].set_ylabel("modes covered")
    axes[0].set_ylim(-0.2, n_modes + 0.2)
    axes[0].set_yticks(range(n_modes + 1))
    axes[1].set_ylabel("KL divergence (mode histogram)")
    for ax in axes:
        ax.set_xlabel("iteration")
        ax.legend(fontsize=8, frameon=False)


def _samples(plt, g, max_seeds=4):
    means = np.array(g["gda"]["settings"]["dataset"].get("means") or [[0, 0]])
    runs = {m: [r for r in g[m]["runs"] if r.get("final_samples")][:max_seeds] for m in ("gda", "msv")}
    cols = max(len(v) for v in runs.values())
    if cols == 0:
        return None
    fig, axes = plt.subplots(2, cols, figsize=(2.1 * cols + 0.6, 4.4), squeeze=False)
    lim = 1.4 * max(1.0, float(np.abs(means).max()))
    for i, m in enumerate(("gda", "msv")):
        for j in range(cols):
            ax = axes[i][j]
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-lim, lim)
            ax.set_aspect("equal")
            if j >= len(runs[m]):
                ax.axis("off")
                continue
            run = runs[m][j]
            pts = np.array(run["final_samples"], dtype=float).reshape(-1, 2)
            ax.scatter(pts[:, 0], pts[:, 1], s=3, alpha=0.5, color=METHOD_COLORS[m])
            ax.scatter(means[:, 0], means[:, 1], marker="x", s=30, color="k")
            ax.set_title(f"{LABELS[m]}, seed {run['seed']}: {run['modes']} mode{'' if run['modes'] == 1 else 's'}", fontsize=8)
    fig.tight_layout()
    return fig


def neural_figures(g: dict, out) -> list:
    """Draw the neural comparison ``g`` (``{"gda": ..., "msv": ..., "settings": ...}``) into ``out``.

    Returns ``[{"id", "file", "caption"}]`` with each file's path relative to
    ``out``'s parent (the report folder), for the page to link.
    """
    from gametheory.paper_checks.msv2020 import PUBLISHED_SHARES

    plt = pyplot()
    out = Path(out)
    made = []
    st = g.get("settings", {})
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    _shares(ax, g, PUBLISHED_SHARES)
    ax.set_title(f"four Gaussians, {st.get('iters')} iterations", fontsize=9)
    fig.tight_layout()
    made.append(("shares", save_figure(fig, out, "gaussians4_shares")[0],
                 "Share of runs that learned 0 to 4 modes at the last iteration, GDA next to MSV; the black "
                 "bars mark the published shares (GDA: one mode in 100% of runs; MSV: four modes in 68%, "
                 "three in 26%, at iteration 1500)."))
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.4))
    _history(axes, g)
    fig.tight_layout()
    made.append(("history", save_figure(fig, out, "gaussians4_history")[0],
                 "Modes covered (left) and the KL divergence between the data's and the generator's mode "
                 "histograms (right) over the iterations: thin lines are seeds, thick lines their mean."))
    fig = _samples(plt, g)
    if fig is not None:
        made.append(("samples", save_figure(fig, out, "gaussians4_samples")[0],
                     "Generated points at the last iteration (colour) over the mixture's modes (black crosses), "
                     "for the first seeds of each method."))
    return [{"id": i, "file": Path(p).relative_to(out.parent).as_posix(), "caption": c} for i, p, c in made]
