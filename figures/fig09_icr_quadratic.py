"""Figure 9: implicit competitive regularization on ``min_x max_y x^2 + 10xy + y^2``.

Regenerates the quadratic example of Schafer, Zheng, Anandkumar, "Implicit
competitive regularization in GANs" (ICML 2020) and its blog post "Minimax is
not enough" (Schäfer's blog; the settings are from the paper): simultaneous GD with ``eta_x = 0.09``,
``eta_y = 0.01`` converges to (0, 0), while training y alone
(``eta_x = 0``) runs off to infinity; and "depending on the relative speed of
learning the system either converges, slowly cycles away, or rapidly
diverges": the spectral radius of simultaneous GD against the ratio
``eta_x / eta_y`` and over the ``(eta_x, eta_y)`` plane
(:func:`gametheory.spectral_radius` on arrays).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import gametheory as gt
from gametheory.dynamics import run
from gametheory.plotting import plot_trajectory, save_figure

from ._common import figure

ID = "fig09"
CAPTION = ("ICR on min_x max_y x^2 + 10xy + y^2 from (1, 1): simultaneous GD with eta_x = 0.09, eta_y = 0.01 "
           "converges to (0, 0), training y alone (eta_x = 0) diverges; the spectral radius of simultaneous GD "
           "against eta_x/eta_y (converges only when x learns fast enough relative to y; diverges again when eta_x "
           "is too large) and over the (eta_x, eta_y) plane (contour: radius 1).")
SOURCE = ("Schäfer, Zheng, Anandkumar, 'Implicit competitive regularization in GANs', ICML 2020, and Schäfer's "
          "blog post 'Minimax is not enough', quadratic example")

START, STEPS = (1.0, 1.0), 600


def game():
    return gt.games.get("icr")


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    g, m = game(), gt.methods.get("gd")
    both = run(g, m, START, STEPS, eta_x=0.09, eta_y=0.01)
    alone = run(g, m, START, STEPS, eta_x=0.0, eta_y=0.01, blowup=1e6)
    fig, axes = figure(1, 4, width=3.5, height=3.4)
    a0, a1, a2, a3 = axes[0]
    plot_trajectory(a0, both.trajectory, color="C2", label="SimGD eta_x=0.09, eta_y=0.01")
    keep = alone.trajectory[np.abs(alone.trajectory[:, 1]) < 6]
    plot_trajectory(a0, keep, color="C3", label="y alone (eta_x = 0)", end=False)
    a0.annotate("", xy=(keep[-1, 0], 5.8), xytext=(keep[-1, 0], 4.5),
                arrowprops=dict(arrowstyle="->", color="C3"))
    a0.plot(0, 0, "*", color="k", ms=10)
    a0.set_xlim(-1.5, 1.5)
    a0.set_ylim(-2.0, 6.0)
    a0.set_xlabel("x (min)")
    a0.set_ylabel("y (max)")
    a0.legend(fontsize=7, loc="lower right")
    a0.set_title("trajectories", fontsize=10)
    a1.semilogy(np.linalg.norm(both.trajectory, axis=1), color="C2", label="SimGD (both players)")
    lab = "y alone" + (f" (diverged at step {alone.diverged_at})" if alone.diverged else "")
    a1.semilogy(np.linalg.norm(alone.trajectory, axis=1), color="C3", label=lab)
    a1.set_xlabel("iteration")
    a1.set_ylabel("|z_t|")
    a1.legend(fontsize=7)
    a1.set_title("distance to (0, 0)", fontsize=10)
    ratio = np.logspace(-1, 3, 200)
    for eta_y, c in ((0.005, "C0"), (0.01, "C1"), (0.02, "C4")):
        rho = gt.spectral_radius(g, m, eta_x=eta_y * ratio, eta_y=eta_y)
        a2.semilogx(ratio, rho, color=c, label=f"eta_y = {eta_y}")
    a2.axhline(1, color="k", lw=0.8, ls="--")
    a2.axvline(9, color="0.5", lw=0.8, ls=":")
    a2.set_ylim(0, 1.6)
    a2.set_xlabel("eta_x / eta_y")
    a2.set_ylabel("spectral radius")
    a2.legend(fontsize=7)
    a2.set_title("convergence vs learning-rate ratio", fontsize=10)
    ex, ey = np.logspace(-3.5, 0, 121), np.logspace(-3.5, 0, 121)
    EX, EY = np.meshgrid(ex, ey)
    R = gt.spectral_radius(g, m, eta_x=EX, eta_y=EY)
    im = a3.pcolormesh(ex, ey, np.clip(R, 0, 2), cmap="RdBu_r", vmin=0, vmax=2, shading="auto")
    a3.contour(ex, ey, R, levels=[1.0], colors="k", linewidths=1)
    a3.plot(0.09, 0.01, "*", color="gold", mec="k", ms=11)
    a3.set_xscale("log")
    a3.set_yscale("log")
    a3.set_xlabel("eta_x")
    a3.set_ylabel("eta_y")
    a3.set_title("spectral radius (clipped at 2)", fontsize=10)
    fig.colorbar(im, ax=a3)
    return save_figure(fig, out_dir, "fig09_icr_quadratic", formats, dpi=dpi)
