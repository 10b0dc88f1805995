"""Figure 5: bilinear game: simultaneous, alternating, averaged and extragradient iterates.

Regenerates the "Standard methods from Math. Prog." picture of Lacoste-Julien's
slides "Extragradient and negative momentum to optimize GANs" (DALI 2019,
George, South Africa), from Gidel, Berard, Vignoud, Vincent, Lacoste-Julien, "A
variational inequality perspective on GANs" (ICLR 2019), Figure 1: on the
WGAN with linear generator and discriminator,
``min_theta max_{|phi| <= 1} phi E[X] - phi theta E[Z]`` (here
``E[X] = E[Z] = 1``), the standard gradient method (blue) and the alternating
method (orange) do not converge, while the gradient method with (uniform)
averaging (green) and the extragradient method (purple) do. The constraint
``|phi| <= 1`` is a box projection. The third panel is the slides' "Bilinear
stochastic experiment": the finite-sum objective
``(1/n) sum_i (x' M_i y + x' a_i + y' b_i)`` with one sample per evaluation,
stochastic gradient (AvgSGD, Algorithm 1) against stochastic extragradient
(SEM, Algorithm 2), with and without uniform averaging.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import gametheory as gt
from gametheory.dynamics import random_stochastic_bilinear, run
from gametheory.plotting import plot_trajectory, save_figure

from ._common import figure

ID = "fig05"
CAPTION = ("Linear-discriminator WGAN min_theta max_{|phi|<=1} phi - phi theta (equilibrium (1, 0)), step 0.3 from "
           "(0, 0.5), 300 steps: simultaneous (blue) and alternating (orange) gradient methods cycle, the uniform "
           "average of the simultaneous iterates (green) and extragradient (purple) converge. Right: stochastic "
           "bilinear game (n = 100 random terms, one sample per evaluation, step 0.1, 2000 steps): stochastic GDA "
           "diverges, stochastic extragradient stays bounded and its uniform average converges.")
SOURCE = ("Lacoste-Julien, 'Extragradient and Negative Momentum to Optimize GANs', slides, DALI 2019, 'Standard "
          "methods from Math. Prog.' and 'Bilinear stochastic experiment'; Gidel, Berard, Vignoud, Vincent, "
          "Lacoste-Julien, 'A Variational Inequality Perspective on GANs', ICLR 2019, Figure 1 and Section 7")

ETA, STEPS, START = 0.3, 300, (0.0, 0.5)
BOX = ([-np.inf, -1.0], [np.inf, 1.0])  # |phi| <= 1
STOCH = dict(n=100, dx=2, dy=2, seed=0, batch=1, scale=0.5)
STOCH_ETA, STOCH_STEPS = 0.1, 2000


def deterministic_runs():
    g = gt.games.linear_discriminator(1, 1)
    sim = run(g, gt.methods.get("gd"), START, STEPS, eta=ETA, box=BOX, averaging="uniform")
    alt = run(g, gt.methods.get("gd", order="alternating"), START, STEPS, eta=ETA, box=BOX)
    eg = run(g, gt.methods.get("eg"), START, STEPS, eta=ETA, box=BOX)
    return g, {"simultaneous": (sim.trajectory, "C0"), "alternating": (alt.trajectory, "C1"),
               "simultaneous, averaged": (sim.average, "C2"), "extragradient": (eg.trajectory, "C4")}


def stochastic_runs():
    zstar = random_stochastic_bilinear(**STOCH).equilibrium()
    out = {}
    for name, label in (("gd", "SGD (AvgSGD)"), ("eg", "stochastic EG (SEM)")):
        F = random_stochastic_bilinear(**STOCH)  # same data, same sampling seed for both methods
        out[label] = run(None, gt.methods.get(name), np.zeros(4), STOCH_STEPS, eta=STOCH_ETA, field=F,
                         averaging="uniform", blowup=1e6)
    return zstar, out


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    g, runs = deterministic_runs()
    zstar = np.array([float(c) for c in g.equilibrium()])
    fig, axes = figure(1, 3, width=3.9, height=3.6)
    a0, a1, a2 = axes[0]
    a0.axhspan(-1, 1, color="0.93", zorder=0)
    for label, (traj, color) in runs.items():
        plot_trajectory(a0, traj, color=color, label=label, lw=1.0)
        a1.semilogy(np.maximum(np.linalg.norm(traj - zstar, axis=1), 1e-12), color=color, label=label, lw=1.0)
    a0.plot(*zstar, "*", color="k", ms=11)
    a0.set_xlabel("theta (generator)")
    a0.set_ylabel("phi (discriminator), |phi| <= 1")
    a0.set_title(f"linear WGAN, step {ETA}", fontsize=10)
    a0.legend(fontsize=7, loc="lower right")
    a1.set_xlabel("iteration")
    a1.set_ylabel("distance to the equilibrium")
    a1.set_title("convergent: averaging, extragradient", fontsize=10)
    zs, sruns = stochastic_runs()
    for (label, r), color in zip(sruns.items(), ("C0", "C4")):
        d = r.distance(zs)
        tag = f" (diverged at {r.diverged_at})" if r.diverged else ""
        a2.semilogy(d, color=color, lw=0.7, alpha=0.6, label=label + tag)
        a2.semilogy(r.distance(zs, averaged=True), color=color, lw=1.6, label=label + ", averaged")
    a2.set_xlabel("iteration")
    a2.set_ylabel("distance to the equilibrium")
    a2.set_title("stochastic bilinear game, 1 sample / evaluation", fontsize=10)
    a2.legend(fontsize=7)
    return save_figure(fig, out_dir, "fig05_bilinear_methods", formats, dpi=dpi)
