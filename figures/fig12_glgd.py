"""Figure 12: generator-loss gradient descent (GLGD) against alternating minimization's mode collapse.

Regenerates the argument of the slides "Computing the GAN Equilibrium" on
generator-loss gradient descent (GLGD): reparameterise the generator by the likelihood ratio
``R(y) = p_g(y) / p_r(y)`` (``E[R(Y)] = 1``, ``Y ~ p_r``) and the
discriminator by ``f(y) = P(real | y)``. With the non-saturating generator
loss ``g(R, f) = E[-R(Y) log f(Y)]`` and the Bayes discriminator
``f* = 1 / (1 + R)``:

* **Alternating minimization** sets ``f <- 1/(1 + R)`` and then
  ``R <- argmin_R g(R, f)``, a point mass at ``y_o = argmax f = argmin R``
  (``R(y_o) = 1/p_r(y_o)``): "mode collapse" (the slides' Algorithm 1).
  Ties of ``argmin R`` are broken towards the largest ``p_r``.
* **GLGD** sets ``f* <- 1/(1 + R)`` and takes a projected gradient step
  ``R <- R - alpha P_o grad_R g(R, f*)``; with the gradient in ``L2(p_r)``,
  ``grad_R g(R, f*) = log(1 + R)`` and ``P_o d = d - E[d]`` keeps
  ``E[R] = 1`` (the slides' ``P_o``). The slides show ``P_o grad_R g(R, f*) =
  P_o grad_R C(R)`` with ``C(R) = E[(1 + R) log(1 + R)] =
  2 KL((p_R + p_r)/2 || p_r)``, strictly convex with minimum ``2 log 2`` at
  ``R = 1``; so GLGD is gradient descent on ``C`` and ``C`` decreases.

Here ``p_r`` is a two-component Gaussian mixture discretised on a grid of
``K`` points and everything is computed exactly with NumPy; ``R`` is kept
nonnegative by clipping at 0 and renormalising (inactive with the step used).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gametheory.plotting import save_figure

from ._common import figure

ID = "fig12"
CAPTION = ("A discretised two-mode mixture p_r and a one-mode initial generator: generator-loss gradient descent "
           "(GLGD, step 0.5) moves p_g onto both modes and decreases C(R) = E[(1+R) log(1+R)] monotonically towards "
           "its minimum 2 log 2; alternating minimization (best discriminator, then best generator) collapses p_g "
           "onto a single point at every iteration and C stays far above the minimum.")
SOURCE = ("slides 'Computing the GAN Equilibrium' (generator-loss gradient descent, GLGD): Algorithms 1 and 2, "
          "C(R) = E[(1+R)log(1+R)]")

K = 161
ALPHA, ITERS = 0.5, 300


def setup(K=K):
    """Grid ``y``, reference ``p_r`` (mixture at -2 and 2, std 0.5) and initial ``p_g`` (N(0.5, 1))."""
    y = np.linspace(-4, 4, K)
    pr = 0.5 * np.exp(-0.5 * ((y + 2) / 0.5) ** 2) + 0.5 * np.exp(-0.5 * ((y - 2) / 0.5) ** 2)
    pr /= pr.sum()
    pg = np.exp(-0.5 * ((y - 0.5) / 1.0) ** 2)
    pg /= pg.sum()
    return y, pr, pg


def cost(R, pr):
    """``C(R) = E_{p_r}[(1 + R) log(1 + R)]``."""
    return float(np.sum(pr * (1 + R) * np.log1p(R)))


def glgd(pr, pg, alpha=ALPHA, iters=ITERS):
    """GLGD iterates of ``R``; returns the list of ``R_t`` (t = 0..iters)."""
    R = pg / pr
    out = [R.copy()]
    for _ in range(iters):
        d = np.log1p(R)                      # grad_R g(R, f*) with f* = 1/(1 + R)
        R = R - alpha * (d - np.sum(pr * d))  # P_o: remove the p_r-mean
        R = np.maximum(R, 0.0)
        R = R / np.sum(pr * R)
        out.append(R.copy())
    return out


def alternating_minimization(pr, pg, iters=10):
    """Alternating minimization: ``R <- delta at argmin R`` (ties: largest p_r); returns the ``R_t``."""
    R = pg / pr
    out = [R.copy()]
    for _ in range(iters):
        f = 1 / (1 + R)                       # Bayes discriminator
        best = np.flatnonzero(f == f.max())
        yo = best[np.argmax(pr[best])]
        R = np.zeros_like(R)
        R[yo] = 1 / pr[yo]
        out.append(R.copy())
    return out


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    y, pr, pg = setup()
    G = glgd(pr, pg)
    A = alternating_minimization(pr, pg, iters=ITERS)
    fig, axes = figure(1, 3, width=4.0, height=3.5)
    a0, a1, a2 = axes[0]
    a0.fill_between(y, pr, color="0.8", label="p_r (real)")
    for t, c in zip((0, 10, 50, ITERS), ("C0", "C1", "C2", "C3")):
        a0.plot(y, G[t] * pr, color=c, lw=1.3, label=f"p_g, GLGD step {t}")
    a0.set_title("GLGD spreads p_g over both modes", fontsize=10)
    a0.set_xlabel("y")
    a0.legend(fontsize=7)
    a1.fill_between(y, pr, color="0.8", label="p_r (real)")
    a1.plot(y, pg, color="C0", lw=1.3, label="p_g at step 0")
    ymax = 1.9 * max(pr.max(), pg.max())
    for t, c in zip((1, 2, 3), ("C1", "C2", "C3")):
        k = int(np.argmax(A[t]))
        a1.annotate("", xy=(y[k], ymax * (0.75 - 0.08 * t)), xytext=(y[k], 0),
                    arrowprops=dict(arrowstyle="-|>", color=c, lw=1.5))
        a1.plot([], [], color=c, label=f"step {t}: all mass at y = {y[k]:.2f}")
    a1.set_ylim(0, ymax)
    a1.set_title("alternating minimization: mode collapse", fontsize=10)
    a1.set_xlabel("y")
    a1.legend(fontsize=7)
    a2.plot([cost(R, pr) for R in G], color="C0", label="GLGD")
    a2.plot([cost(R, pr) for R in A], color="C3", label="alternating minimization")
    a2.axhline(2 * np.log(2), color="k", ls="--", lw=0.8, label="minimum 2 log 2 (p_g = p_r)")
    a2.set_xlabel("iteration")
    a2.set_ylabel("C(R) = E[(1+R) log(1+R)]")
    a2.legend(fontsize=7)
    a2.set_title("generator loss C(R)", fontsize=10)
    return save_figure(fig, out_dir, "fig12_glgd", formats, dpi=dpi)
