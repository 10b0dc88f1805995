"""Figure 11: Dirac-GAN vector fields and trajectories for eight training variants.

Regenerates Figure 3 (and the notebook behind it) of Mescheder, Geiger,
Nowozin, "Which training methods for GANs do actually converge?" (ICML 2018):
the Dirac-GAN (generator ``delta_theta``, discriminator ``D(x) = psi x``,
data ``delta_0``; :func:`gametheory.games.dirac_gan`) under the unregularized
GAN, the non-saturating GAN, WGAN (weight clipping at 1, a box projection of
``psi``), WGAN-GP (weight 0.7, target norm 1), consensus optimization
(gamma 1), instance noise (std 0.7) and the R1 gradient penalty with weights
0.3 and 1.0 (the latter "critical"). Settings from the authors' notebook
(as published with the paper's code): step 0.2 for both players, start
``theta = psi = 1``, 500 steps, simultaneous (blue) and alternating (orange)
updates; the grey arrows are the motion field of the method (``-v``, or
``-(v + gamma grad L)`` for consensus). Consensus is defined only with
simultaneous updates in the registry, so it has no alternating curve.
Instance noise uses the game's 3-node Gauss-Hermite expectation (exact for
the Jacobian at the equilibrium).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.dynamics import run
from gametheory.plotting import grid, method_direction, plot_trajectory, quiver_field, save_figure

from ._common import figure

ID = "fig11"
CAPTION = ("Dirac-GAN (theta: generator, psi: discriminator) from (1, 1), step 0.2, 500 steps, simultaneous (blue) "
           "and alternating (orange): the unregularized and non-saturating GAN, WGAN with clipping and WGAN-GP (0.7) "
           "do not converge; consensus optimization (1.0), instance noise (0.7) and R1 (0.3, and 1.0 critical) "
           "converge to the equilibrium (0, 0), as in Mescheder et al. (2018).")
SOURCE = "Mescheder, Geiger, Nowozin, ICML 2018, Figure 3 and the authors' Dirac-GAN notebook"

ETA, STEPS, START = 0.2, 500, (1.0, 1.0)
R = sp.Rational


def variants():
    """(title, game, method name, method params, projection box)."""
    clip = ([-np.inf, -1.0], [np.inf, 1.0])
    return [
        ("GAN", gt.games.dirac_gan("gan"), "gd", {}, None),
        ("non-saturating GAN", gt.games.dirac_gan("ns"), "gd", {}, None),
        ("WGAN (clipping at 1)", gt.games.dirac_gan("wgan"), "gd", {}, clip),
        ("WGAN-GP (0.7)", gt.games.dirac_gan("wgan", reg="gp", gamma=R(7, 10)), "gd", {}, None),
        ("consensus optimization (1.0)", gt.games.dirac_gan("gan"), "consensus", {"gamma": 1.0}, None),
        ("instance noise (std 0.7)", gt.games.dirac_gan("gan", reg="instance_noise", sigma=R(7, 10)), "gd", {},
         None),
        ("R1 penalty (0.3)", gt.games.dirac_gan("gan", reg="r1", gamma=R(3, 10)), "gd", {}, None),
        ("R1 penalty (1.0, critical)", gt.games.dirac_gan("gan", reg="r1", gamma=1), "gd", {}, None),
    ]


def runs():
    out = []
    for title, g, name, p, box in variants():
        tr = {}
        for order in ("simultaneous", "alternating"):
            spec = gt.methods.REGISTRY[name]
            if order not in spec.orders:
                continue
            tr[order] = run(g, gt.methods.get(name, order=order), START, STEPS, eta=ETA, box=box, **p)
        out.append((title, g, name, p, box, tr))
    return out


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    X, Y = grid(2.0, 15)
    fig, axes = figure(2, 4, width=3.0, height=3.0)
    for ax, (title, g, name, p, box, tr) in zip(axes.ravel(), runs()):
        U, V = method_direction(g, gt.methods.get(name), X, Y, **p)
        quiver_field(ax, X, Y, U, V, color="0.7")
        if box is not None:
            ax.axhspan(-1, 1, color="0.92", zorder=0)
        for order, color in (("simultaneous", "C0"), ("alternating", "C1")):
            if order in tr:
                plot_trajectory(ax, tr[order].trajectory, color=color, lw=1.0, ms=3,
                                label=order + (" (diverged)" if tr[order].diverged else ""))
        ax.plot(0, 0, "*", color="k", ms=9)
        ax.set_xlim(-2, 2)
        ax.set_ylim(-2, 2)
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("theta", fontsize=8)
        ax.set_ylabel("psi", fontsize=8)
    axes[0, 0].legend(fontsize=6, loc="lower left")
    return save_figure(fig, out_dir, "fig11_dirac_gan", formats, dpi=dpi)
