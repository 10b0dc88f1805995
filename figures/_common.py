"""Helpers shared by the figure modules (not a figure itself)."""
from __future__ import annotations

import numpy as np

from gametheory.plotting import pyplot

XY_BOX = 5.0


def xy_panel(ax, title=None):
    """Background of the f = xy panels of the Mangoubi-Sachdeva-Vishnoi blog
    'Training GANs - From Theory to Practice' (2020, Figures 1 and 3).

    Filled contours of f on [-5, 5]^2 and the set of global min-max points,
    the segment x = 0 (``max_y xy = 5|x|`` is minimised at x = 0), in red.
    """
    X, Y = np.meshgrid(np.linspace(-XY_BOX, XY_BOX, 101), np.linspace(-XY_BOX, XY_BOX, 101))
    ax.contourf(X, Y, X * Y, levels=15, cmap="coolwarm", alpha=0.35)
    ax.plot([0, 0], [-XY_BOX, XY_BOX], color="red", lw=2.5, label="global min-max points (x = 0)")
    ax.set_xlim(-XY_BOX - 0.2, XY_BOX + 0.2)
    ax.set_ylim(-XY_BOX - 0.2, XY_BOX + 0.2)
    ax.set_aspect("equal")
    ax.set_xlabel("x (min player)")
    ax.set_ylabel("y (max player)")
    if title:
        ax.set_title(title, fontsize=10)


def figure(nrows, ncols, width=4.0, height=3.6, **kw):
    plt = pyplot()
    kw.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, **kw)


def time_colored(ax, traj, cmap="viridis", lw=1.2, label=None):
    """A 2-D trajectory whose colour runs with time (early dark, late bright)."""
    from matplotlib.collections import LineCollection

    traj = np.asarray(traj, dtype=float)
    seg = np.stack([traj[:-1], traj[1:]], axis=1)
    lc = LineCollection(seg, cmap=cmap, linewidths=lw)
    lc.set_array(np.linspace(0, 1, len(seg)))
    ax.add_collection(lc)
    ax.plot(traj[0, 0], traj[0, 1], "o", color="k", ms=5, mfc="white", label=label)
    ax.plot(traj[-1, 0], traj[-1, 1], "s", color="k", ms=5)
    return lc
