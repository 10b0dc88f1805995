"""Figure 6: simultaneous vs alternating GDA with positive, zero and negative momentum on a bilinear game.

Regenerates the "proof by picture" of Lacoste-Julien's slides "Extragradient
and negative momentum to optimize GANs" (DALI 2019) from Gidel, Askari
Hemmat, Pezeshki, Huang, Lepriol,
Lacoste-Julien, Mitliagkas, "Negative momentum for improved game dynamics"
(AISTATS 2019), Figure 2: on ``min_theta max_phi theta * phi`` the
simultaneous method diverges for every momentum, the alternating one
diverges with positive momentum, is bounded without momentum and converges
with negative momentum (the slides' table "Simultaneous / Alternated x
beta"). Each panel's title states the exact verdict and spectral radius from
:func:`gametheory.stability` / :func:`gametheory.spectral_radius`, so the
picture and the exact analysis can be compared.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.dynamics import run
from gametheory.plotting import save_figure

from ._common import figure, time_colored

ID = "fig06"
CAPTION = ("Heavy-ball momentum on min_theta max_phi theta*phi, step 1/2, 120 steps from (1, 1): simultaneous updates "
           "(top) diverge for beta = 0.3, 0, -0.3; alternating updates (bottom) diverge for beta = 0.3, stay bounded "
           "for beta = 0 and converge for beta = -0.3. Titles: exact verdict and spectral radius of the augmented "
           "Jacobian.")
SOURCE = ("Lacoste-Julien, 'Extragradient and Negative Momentum to Optimize GANs', slides, DALI 2019, 'Proof by "
          "picture'; Gidel et al., 'Negative Momentum for Improved Game Dynamics', AISTATS 2019, Figure 2 and Table 1")

ETA = sp.Rational(1, 2)
BETAS = (sp.Rational(3, 10), sp.Integer(0), sp.Rational(-3, 10))
STEPS, START = 120, (1.0, 1.0)


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    g = gt.games.bilinear([[1]])
    fig, axes = figure(2, 3, width=3.3, height=3.2)
    for row, order in enumerate(("simultaneous", "alternating")):
        m = gt.methods.get("momentum", order=order)
        for col, beta in enumerate(BETAS):
            ax = axes[row, col]
            r = run(g, m, START, STEPS, eta=float(ETA), beta=float(beta))
            verdict = gt.stability(g, m, eta=ETA, beta=beta)
            # float inputs: the exact polynomial rooted with mpmath (the exact radical form is slow)
            rho = gt.spectral_radius(g, m, eta=float(ETA), beta=float(beta))
            traj, compressed = r.trajectory, np.abs(r.trajectory).max() > 3
            if compressed:  # radial log scale r -> log(1 + r): the early spiral stays visible
                rad = np.linalg.norm(traj, axis=1, keepdims=True)
                traj = traj * np.log1p(rad) / np.where(rad > 0, rad, 1)
            time_colored(ax, traj, cmap="viridis", lw=1.0)
            ax.plot(0, 0, "*", color="red", ms=10)
            lim = max(1.5, 1.05 * np.abs(traj).max())
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-lim, lim)
            ax.set_aspect("equal")
            ax.set_title(f"{order}, beta = {beta}\n{verdict}, radius = {rho:.4f}", fontsize=9)
            scale = " (radius log(1+r))" if compressed else ""
            ax.set_xlabel("theta" + scale, fontsize=8)
            ax.set_ylabel("phi" + scale, fontsize=8)
    fig.suptitle(f"momentum on the bilinear game, eta = {ETA} (colour: time)", fontsize=11)
    return save_figure(fig, out_dir, "fig06_momentum_trajectories", formats, dpi=dpi)
