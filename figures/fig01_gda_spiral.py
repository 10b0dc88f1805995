"""Figure 1: GDA on f(x, y) = xy in [-5, 5]^2 does not converge.

Regenerates Figure 1 of Mangoubi, Sachdeva, Vishnoi, "Training GANs - from
theory to practice" (Off the Convex Path blog, July 2020): "GDA on f(x, y) = xy,
x, y in [-5, 5] (the red line is the set of global min-max points). GDA is
non-convergent from almost every initial point." The blog shows an animation
(GDA_spiral_2.gif); here the whole path is drawn with time as colour. On the
box, max_y xy = 5|x| is minimised by x = 0 for every y, so the global min-max
points are the segment x = 0 (red). Left: simultaneous GDA (the blog's
update), projected onto the box, spirals out to the boundary and circulates
along it. Right: alternating GDA stays on a closed orbit. Both never approach
the red line.
"""
from __future__ import annotations

from pathlib import Path

import gametheory as gt
from gametheory.dynamics import run
from gametheory.msv import xy_game
from gametheory.plotting import save_figure

from ._common import XY_BOX, figure, time_colored, xy_panel

ID = "fig01"
CAPTION = ("GDA on f(x, y) = xy in [-5, 5]^2 with step 0.1 from (1, 1), 400 steps: simultaneous GDA "
           "(projected onto the box) spirals out to the boundary and circulates along it; alternating GDA "
           "cycles on a closed orbit. Neither reaches the red line x = 0 of global min-max points.")
SOURCE = ("Mangoubi, Sachdeva, Vishnoi, 'Training GANs - From Theory to Practice', Off the Convex Path blog, "
          "July 2020, Figure 1")

ETA, STEPS, START = 0.1, 400, (1.0, 1.0)


def trajectories():
    """The two projected GDA runs drawn in the figure (also used by figure 2)."""
    g = xy_game()
    return {order: run(g, gt.methods.get("gd", order=order), START, STEPS, eta=ETA, box=(-XY_BOX, XY_BOX))
            for order in ("simultaneous", "alternating")}


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    runs = trajectories()
    fig, axes = figure(1, 2)
    for ax, (order, r) in zip(axes[0], runs.items()):
        xy_panel(ax, f"{order} GDA, eta = {ETA}, {STEPS} steps")
        time_colored(ax, r.trajectory, label="start (circle) / end (square)")
        ax.legend(loc="lower left", fontsize=7)
    fig.suptitle("GDA on f(x, y) = xy does not converge (colour: time)", fontsize=11)
    return save_figure(fig, out_dir, "fig01_gda_spiral", formats, dpi=dpi)
