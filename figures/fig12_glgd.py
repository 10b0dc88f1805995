"""Figure 12: generator-loss gradient descent (GLGD) against alternating minimization.

Regenerates the argument of the slides "Computing the GAN Equilibrium" on
generator-loss gradient descent (GLGD): reparameterise the generator by the likelihood ratio
``R(y) = p_g(y) / p_r(y)`` (``E[R(Y)] = 1``, ``Y ~ p_r``) and the
discriminator by ``f(y) = P(real | y)``. With the non-saturating generator
loss ``g(R, f) = E[-R(Y) log f(Y)]`` and the Bayes discriminator
``f* = 1 / (1 + R)``:

* **Alternating minimization** sets ``f <- 1/(1 + R)`` and then
  ``R <- argmin_R g(R, f)``: computed by
  :func:`gametheory.likelihood_ratio.alternating_minimization` (the same
  function the claim ``glgd.alternating_collapse`` checks), which minimises
  the generator loss against the discriminator as a linear program. Every
  optimal response puts all its mass on the points the discriminator likes
  best (``argmax f = argmin R``). In round 1 that is one point (the slides'
  ``delta(y - y_o) / p_r(y_o)``); from round 2 every point the previous
  generator missed ties (``f* = 1`` there), and the choice among the tied
  optimal responses is a tie-break: the figure draws two, the slides' point
  mass (the tied point of largest ``p_r``) and the spread response (``p_r``
  restricted to the tied points). Neither converges: the first collapses to
  single points, the second alternates between a point mass and ``p_r``
  without that point.
* **GLGD** sets ``f* <- 1/(1 + R)`` and takes a projected gradient step
  ``R <- R - alpha P_o grad_R g(R, f*)``; with the gradient in ``L2(p_r)``,
  ``grad_R g(R, f*) = log(1 + R)`` and ``P_o d = d - E[d]`` keeps
  ``E[R] = 1`` (the slides' ``P_o``). The slides show ``P_o grad_R g(R, f*) =
  P_o grad_R C(R)`` with ``C(R) = E[(1 + R) log(1 + R)] =
  2 KL((p_R + p_r)/2 || p_r) + 2 log 2`` (the slides omit the constant),
  strictly convex with minimum ``2 log 2`` at ``R = 1``; so GLGD is gradient
  descent on ``C`` and ``C`` decreases.

Here ``p_r`` is a two-component Gaussian mixture discretised on a grid of
``K`` points and everything is computed exactly with NumPy and SciPy; ``R``
is kept nonnegative by clipping at 0 and renormalising (inactive with the
step used).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gametheory import likelihood_ratio
from gametheory.plotting import save_figure

from ._common import figure

ID = "fig12"
CAPTION = ("A discretised two-mode mixture p_r and a one-mode initial generator: generator-loss gradient descent "
           "(GLGD, step 0.5) moves p_g onto both modes and decreases C(R) = E[(1+R) log(1+R)] monotonically towards "
           "its minimum 2 log 2. Alternating minimization (best discriminator, then best generator, computed as a "
           "linear program) puts all generated mass on the points the discriminator likes best: one point in round "
           "1; from round 2 every point the previous generator missed ties, so the update is a tie-break. With the "
           "slides' choice (a point mass) p_g collapses and C stays far above the minimum; with the spread choice "
           "(p_r on the tied points) C alternates between a point mass and just above the minimum. Neither converges.")
SOURCE = ("Slides 'Computing the GAN Equilibrium': Algorithm 1 (alternating minimization), Algorithm 2 (GLGD), "
          "C(R) = E[(1+R) log(1+R)]")

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
    """``C(R) = E_{p_r}[(1 + R) log(1 + R)]`` (:func:`gametheory.likelihood_ratio.cost`)."""
    return likelihood_ratio.cost(pr, R)


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


def alternating_minimization(pr, pg, iters=10, rule="vertex", seed=0):
    """Alternating minimization from ``R = p_g / p_r``; returns the ``R_t`` (t = 0..iters).

    Each generator update minimises ``g(R, f*)`` against the Bayes
    discriminator of the previous round
    (:func:`gametheory.likelihood_ratio.alternating_minimization`); ``rule``
    chooses among tied optimal responses (``"vertex"``: the slides' point
    mass; ``"spread"``: ``p_r`` on the tied points; ``"random"``).
    """
    return likelihood_ratio.alternating_minimization(pr, pg / pr, iters, rule=rule, rng=seed).ratios


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    y, pr, pg = setup()
    G = glgd(pr, pg)
    A = alternating_minimization(pr, pg, iters=ITERS)
    A_spread = alternating_minimization(pr, pg, iters=ITERS, rule="spread")
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
    a1.set_title("alternating minimization (ties: a point mass)", fontsize=10)
    a1.set_xlabel("y")
    a1.legend(fontsize=7)
    a2.plot([cost(R, pr) for R in G], color="C0", label="GLGD", zorder=3)
    a2.plot([cost(R, pr) for R in A], color="C3", label="alternating min., ties: a point mass")
    a2.plot([cost(R, pr) for R in A_spread], color="C1", lw=0, marker=".", ms=2.5,
            label="alternating min., ties: p_r on the tied points")
    a2.axhline(2 * np.log(2), color="k", ls="--", lw=0.8, label="minimum 2 log 2 (p_g = p_r)")
    a2.set_xlabel("iteration")
    a2.set_ylabel("C(R) = E[(1+R) log(1+R)]")
    a2.legend(fontsize=7)
    a2.set_title("generator loss C(R)", fontsize=10)
    return save_figure(fig, out_dir, "fig12_glgd", formats, dpi=dpi)
