"""Figure 8: spectral-radius heatmaps of heavy-ball momentum over (eta, beta) on the bilinear game.

Regenerates the stability-region pictures behind Gidel et al., "Negative
momentum for improved game dynamics" (AISTATS 2019; Lacoste-Julien's slides,
seed 002, table "Simultaneous / Alternated x beta"): the spectral radius of
the augmented Jacobian of simultaneous and alternating momentum on
``min_theta max_phi theta * phi`` over a grid of step sizes ``eta`` and
momenta ``beta``, with the level set ``radius = 1`` (the convergence
boundary) and the best grid point.

Two back ends, switched by :data:`USE_REGIONS`: when the stability-region
module ``analyses.regions`` (exact boundaries from the spectral analysis) is
importable and provides ``plot_region(game, method, eta, beta, out_path)``,
one figure per order is drawn by it; otherwise (and on any failure) the
numeric map is drawn here with :func:`gametheory.spectral_radius` on arrays,
whose boundary is the numeric contour ``radius = 1`` (points with radius
exactly 1, like alternating GDA without momentum, lie on that contour).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import gametheory as gt
from gametheory.plotting import save_figure

from ._common import figure

ID = "fig08"
CAPTION = ("Spectral radius of heavy-ball momentum on the bilinear game theta*phi over step size eta in (0, 2] and "
           "momentum beta in [-1, 1]: simultaneous updates never converge (radius >= 1 everywhere), alternating "
           "updates converge in the wedge beta < 0 bounded by the numeric contour radius = 1 (black); the star is the "
           "grid point with the smallest radius.")
SOURCE = "Gidel et al., AISTATS 2019, Table 1 and Section 4 (Lacoste-Julien, DALI 2019 slides, seed 002)"

USE_REGIONS = True
ORDERS = ("simultaneous", "alternating")
N = 161


def axes_values(n=N):
    return np.linspace(0.0125, 2.0, n), np.linspace(-1.0, 1.0, n)


def _with_regions(out_dir, formats):
    from analyses.regions import plot_region  # noqa: import inside: optional module

    etas, betas = axes_values()
    g = gt.games.bilinear([[1]])
    files = []
    for order in ORDERS:
        for fmt in formats:
            path = Path(out_dir) / f"fig08_spectral_heatmap_{order}.{fmt}"
            plot_region(g, gt.methods.get("momentum", order=order), etas, betas, path)
            files.append(path)
    return files


def numeric_map(order, n=N):
    """Radius grid ``R[beta_index, eta_index]`` from the fast grid path of :func:`gametheory.spectral_radius`."""
    etas, betas = axes_values(n)
    E, B = np.meshgrid(etas, betas)
    R = gt.spectral_radius(gt.games.bilinear([[1]]), gt.methods.get("momentum", order=order), eta=E, beta=B)
    return etas, betas, np.asarray(R, dtype=float)


def _numeric(out_dir, formats, dpi):
    from matplotlib.colors import TwoSlopeNorm

    fig, axes = figure(1, 2, width=4.4, height=3.7)
    for ax, order in zip(axes[0], ORDERS):
        etas, betas, R = numeric_map(order)
        norm = TwoSlopeNorm(vmin=0.6, vcenter=1.0, vmax=1.6)
        im = ax.pcolormesh(etas, betas, np.clip(R, 0.6, 1.6), cmap="RdBu_r", norm=norm, shading="auto")
        if R.min() < 1 - 1e-9 and R.max() > 1:  # a contour only where the radius really crosses 1
            ax.contour(etas, betas, R, levels=[1.0], colors="k", linewidths=1.2)
        i = np.unravel_index(np.argmin(R), R.shape)
        ax.plot(etas[i[1]], betas[i[0]], "*", color="gold", mec="k", ms=12)
        ax.set_title(f"{order} momentum: min radius {R.min():.3f}\nat eta = {etas[i[1]]:.3f}, "
                     f"beta = {betas[i[0]]:.3f}", fontsize=9)
        ax.set_xlabel("step size eta")
        ax.set_ylabel("momentum beta")
        fig.colorbar(im, ax=ax, label="spectral radius (clipped to [0.6, 1.6])")
    fig.suptitle("numeric spectral-radius maps (contour: radius = 1)", fontsize=10)
    return save_figure(fig, out_dir, "fig08_spectral_heatmaps", formats, dpi=dpi)


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    if USE_REGIONS:
        try:
            return _with_regions(out_dir, formats)
        except ImportError:
            pass  # the stability-region module is not there: draw the numeric map
        except Exception as exc:  # an optional back end must not break the figure run
            import warnings

            warnings.warn(f"fig08: analyses.regions.plot_region failed ({exc!r}); drawing the numeric map")
    return _numeric(out_dir, formats, dpi)
