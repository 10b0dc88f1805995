"""Figure 8: spectral-radius heatmaps of heavy-ball momentum over (eta, beta) on the bilinear game.

Regenerates the stability-region pictures behind Gidel et al., "Negative
momentum for improved game dynamics" (AISTATS 2019; Lacoste-Julien's slides "Extragradient and negative momentum to
optimize GANs", DALI 2019, table "Simultaneous / Alternated x beta"): the spectral radius of
the augmented Jacobian of simultaneous and alternating momentum on
``min_theta max_phi theta * phi`` over a grid of step sizes ``eta`` and
momenta ``beta`` (the fast sweep, :mod:`gametheory.sweep`), with the exact
boundary curves where a root meets the unit circle
(:func:`gametheory.analyses.regions.draw_region`, from ``Res_mu(p, p*)``), the sweep's
level set ``radius = 1`` and the best grid point.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import gametheory as gt
from gametheory.analyses.regions import draw_region, region_data
from gametheory.plotting import save_figure

from ._common import figure

ID = "fig08"
CAPTION = ("Spectral radius of heavy-ball momentum on the bilinear game theta*phi over step size eta in (0, 2] and "
           "momentum beta in [-1, 1]: simultaneous updates never converge (radius >= 1 everywhere), alternating "
           "updates converge in the wedge beta < 0; gold: the exact boundary where a root meets the unit circle "
           "(zero set of Res(p, p*)), dashed: the sweep's level set radius = 1; the star is the grid point with the "
           "smallest radius.")
SOURCE = ("Gidel et al., 'Negative Momentum for Improved Game Dynamics', AISTATS 2019, Table 1 and Section 4 "
          "(Lacoste-Julien, 'Extragradient and Negative Momentum to Optimize GANs', slides, DALI 2019)")

ORDERS = ("simultaneous", "alternating")
N = 161


def axes_values(n=N):
    return np.linspace(0.0125, 2.0, n), np.linspace(-1.0, 1.0, n)


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    etas, betas = axes_values()
    game = gt.games.bilinear([[1]])
    fig, axes = figure(1, 2, width=5.2, height=4.2)
    for ax, order in zip(axes[0], ORDERS):
        m = gt.methods.get("momentum", order=order)
        data = region_data(game, m, etas, betas)
        R = data["radius"]
        i = np.unravel_index(np.argmin(R), R.shape)
        im = draw_region(ax, game, m, etas, betas, data=data,
                         title=f"{order} momentum: min radius {R.min():.3f}\nat eta = {etas[i[0]]:.3f}, "
                               f"beta = {betas[i[1]]:.3f}")
        ax.plot(etas[i[0]], betas[i[1]], "*", color="gold", mec="k", ms=12)
        ax.title.set_fontsize(9)
    fig.colorbar(im, ax=axes[0].tolist(), label="spectral radius (clipped to [0, 2])")
    return save_figure(fig, out_dir, "fig08_spectral_heatmaps", formats, dpi=dpi)
