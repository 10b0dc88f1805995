"""Figure 2: GDA next to the Mangoubi-Sachdeva-Vishnoi algorithm on f(x, y) = xy in [-5, 5]^2.

Regenerates Figure 3 of Mangoubi, Sachdeva, Vishnoi, "Training GANs - from
theory to practice" (Off the Convex Path blog, July 2020): "GDA (left) and a
version of our algorithm (right) on f(x, y) = xy, x, y in [-5, 5]. While GDA
is non-convergent from almost every initial point, our algorithm converges to
the set of global min-max points (the red line) ... (To stay inside
[-5, 5] x [-5, 5] this version of our algorithm uses projected gradients.)"
The blog shows animations; here: projected simultaneous GDA (left), the
algorithm of :mod:`gametheory.msv` with the blog's accept/reject rule
(middle; accepted points joined, rejected proposals as grey dots), and the
distance ``|x_t|`` to the red line for both (right).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gametheory.msv import msv, xy_game
from gametheory.plotting import save_figure

from ._common import XY_BOX, figure, time_colored, xy_panel
from .fig01_gda_spiral import ETA, START, STEPS, trajectories

ID = "fig02"
CAPTION = ("f(x, y) = xy on [-5, 5]^2 from (1, 1): projected simultaneous GDA (step 0.1) circulates forever, while "
           "the Mangoubi-Sachdeva-Vishnoi algorithm (noisy gradient proposals for x with step 0.05, projected "
           "gradient ascent of y to a stationary point, accept when the local max function decreases, else with "
           "annealed probability exp(-(4 + exp((i/tau)^2)))) ends on the red line x = 0 of global min-max points. "
           "Right: distance |x_t| to the red line.")
SOURCE = ("Mangoubi, Sachdeva, Vishnoi, 'Training GANs - From Theory to Practice', Off the Convex Path blog, "
          "July 2020, Figure 3")

SEED = 0


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    gda = trajectories()["simultaneous"]
    r = msv(xy_game(), START, STEPS, box=(-XY_BOX, XY_BOX), seed=SEED)
    fig, axes = figure(1, 3)
    a0, a1, a2 = axes[0]
    xy_panel(a0, f"simultaneous GDA (projected), eta = {ETA}")
    time_colored(a0, gda.trajectory)
    xy_panel(a1, "Mangoubi-Sachdeva-Vishnoi (projected gradients)")
    rej = r.proposals[~r.accepted]
    a1.plot(rej[:, 0], rej[:, 1], ".", color="0.4", ms=2, label=f"rejected proposals ({len(rej)})")
    path = np.concatenate([r.trajectory[:1], r.proposals[r.accepted]])
    time_colored(a1, path, label=f"accepted ({int(r.accepted.sum())})")
    a1.legend(loc="lower left", fontsize=7)
    a2.semilogy(np.maximum(np.abs(gda.x[:, 0]), 1e-6), label="GDA", color="C0", lw=1)
    a2.semilogy(np.maximum(np.abs(r.x[:, 0]), 1e-6), label="MSV algorithm", color="C3", lw=1.2)
    a2.set_xlabel("iteration")
    a2.set_ylabel("|x_t| (distance to the red line)")
    a2.set_title("distance to the global min-max set", fontsize=10)
    a2.legend(fontsize=8)
    if r.stopped_at is not None:
        a2.axvline(r.stopped_at, color="C3", ls=":", lw=0.8)
        a2.text(r.stopped_at, a2.get_ylim()[1], " stopped", color="C3", fontsize=7, va="top")
    return save_figure(fig, out_dir, "fig02_gda_vs_msv", formats, dpi=dpi)
