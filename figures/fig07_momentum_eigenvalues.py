"""Figure 7: eigenvalues of the momentum operator in the complex plane, without and with negative momentum.

Regenerates the "Shifting the eigenvalues" pictures of Lacoste-Julien's
slides "Extragradient and negative momentum to optimize GANs" (DALI 2019) from Gidel et al., "Negative momentum for
improved game dynamics" (AISTATS 2019), Figure 3 / Theorem 4: the spectrum of
the Jacobian of the fixed-point operator at an equilibrium, without momentum
(``1 - eta lambda`` for the eigenvalues ``lambda`` of ``J``), with positive
and with negative momentum (the roots ``mu`` of
``mu^2 - (1 + beta - eta lambda) mu + beta``), and the unit circle. The game
is the quadratic game ``1/2 x'Px + x'Ay - 1/2 y'Qy`` with ``P = Q = I/10``,
``A = diag(1, 2, 1/2)``, so ``J`` has eigenvalues ``1/10 +- i a`` with large
imaginary parts (the "bad" eigenvalues of the theorem). Eigenvalues come from
the exact augmented Jacobian (:func:`gametheory.augmented_jacobian`) with
``numpy.linalg.eigvals``; the last panel sweeps the spectral radius over
``beta`` (:func:`gametheory.spectral_radius` on an array).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.plotting import save_figure, unit_circle

from ._common import figure

ID = "fig07"
CAPTION = ("Eigenvalues of the augmented Jacobian of simultaneous GDA at the equilibrium of a quadratic game with "
           "J-eigenvalues 0.1 +- i{1/2, 1, 2}, step 0.2: without momentum (radius > 1), with momentum 0.3 (further "
           "out) and with momentum -0.5 (all inside the unit circle), and the spectral radius against beta.")
SOURCE = ("Lacoste-Julien, 'Extragradient and Negative Momentum to Optimize GANs', slides, DALI 2019, 'Shifting "
          "the eigenvalues'; Gidel et al., 'Negative Momentum for Improved Game Dynamics', AISTATS 2019, Theorem 4")

ETA = sp.Rational(1, 5)
BETAS = (sp.Rational(3, 10), sp.Rational(-1, 2))


def game():
    R = sp.Rational
    I10 = sp.eye(3) * R(1, 10)
    return gt.games.quadratic(I10, sp.diag(1, 2, R(1, 2)), I10)


def eigenvalues(g, method, **params):
    J = gt.augmented_jacobian(g, method, **params)
    return np.linalg.eigvals(np.array(J.tolist(), dtype=float))


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    g = game()
    fig, axes = figure(1, 4, width=3.2, height=3.3)
    cases = [("no momentum", gt.methods.get("gd"), {}, "C0")]
    cases += [(f"beta = {b}", gt.methods.get("momentum"), {"beta": b}, "C3" if b > 0 else "C2") for b in BETAS]
    for ax, (title, m, p, color) in zip(axes[0], cases):
        ev = eigenvalues(g, m, eta=ETA, **p)
        unit_circle(ax)
        ax.plot(ev.real, ev.imag, "o", color=color, ms=5)
        rho = np.abs(ev).max()
        ax.set_title(f"{title}: radius {rho:.4f}", fontsize=9)
        ax.axhline(0, color="0.8", lw=0.5)
        ax.axvline(0, color="0.8", lw=0.5)
        ax.set_xlim(-1.3, 1.3)
        ax.set_ylim(-1.3, 1.3)
        ax.set_xlabel("Re mu")
        ax.set_ylabel("Im mu")
    betas = np.linspace(-0.9, 0.5, 141)
    rho = gt.spectral_radius(g, gt.methods.get("momentum"), eta=float(ETA), beta=betas)
    ax = axes[0, 3]
    ax.plot(betas, rho, color="k", lw=1.2)
    ax.axhline(1, color="red", lw=0.8, ls="--")
    for b in BETAS:
        ax.axvline(float(b), color="C3" if b > 0 else "C2", lw=0.8, ls=":")
    ax.set_aspect("auto")
    ax.set_xlim(betas[0], betas[-1])
    ax.set_ylim(0.9, max(1.3, float(rho.max()) * 1.02))
    ax.set_xlabel("momentum beta")
    ax.set_ylabel("spectral radius")
    ax.set_title(f"radius vs beta, eta = {ETA}", fontsize=9)
    return save_figure(fig, out_dir, "fig07_momentum_eigenvalues", formats, dpi=dpi)
