"""Figure 10: optimal GAN discriminator vs optimal WGAN critic on two Gaussians.

Regenerates the figure the slides "Computing the GAN Equilibrium" ("Concept
Wasserstein GAN") reproduce from Arjovsky, Chintala, Bottou, "Wasserstein
GAN" (ICML 2017), Figure 2: "Optimal discriminator and critic when learning
to differentiate two Gaussians. As we can see, the traditional GAN
discriminator saturates and results in vanishing gradients. Our WGAN critic
provides very clean gradients on all parts of the space."

Both are computed, not drawn from their known shapes. The optimal
discriminator is ``D*(x) = p_r(x) / (p_r(x) + p_g(x))`` (Goodfellow et al.
2014), evaluated as ``sigmoid(log p_r - log p_g)``. The optimal critic is
the solution of the Kantorovich-Rubinstein dual on the grid,
``max_f sum_i f_i (a_i - b_i)`` subject to ``|f_(i+1) - f_i| <= x_(i+1) - x_i``
(1-Lipschitz; on a line the neighbouring constraints imply all others), with
``a``, ``b`` the two laws' masses on the grid cells: a linear program solved
by SciPy's HiGHS (:func:`optimal_critic_lp`). Its value is the Wasserstein-1
distance (checked in the tests against SciPy's primal
``wasserstein_distance``). The right panel shows the gradient the generator
receives at its own samples as the two Gaussians move apart: for the GAN
losses (saturating ``log(1 - D*)`` and non-saturating ``-log D*``) from
``D*``'s derivative, for WGAN (generator loss ``-E f(x~)``) the critic's
slope from the linear program, averaged over the fake law.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import expit, ndtr

from gametheory.plotting import save_figure

from ._common import figure

ID = "fig10"
CAPTION = ("Two Gaussians (real N(-2, 0.5^2), fake N(2, 0.5^2)): the optimal GAN discriminator D* saturates and its "
           "gradient vanishes at the fake samples, while the optimal WGAN critic (the Kantorovich dual solved as a "
           "linear program on the grid) is linear between and around them, with slope of size 1. Right: mean "
           "|gradient| the generator receives at its samples against the distance between the means (log scale): "
           "exponentially small for the saturating GAN loss, 1 for the WGAN critic at every distance.")
SOURCE = ("Arjovsky, Chintala, Bottou, 'Wasserstein GAN', ICML 2017, Figure 2, as reproduced in the slides 'Computing the GAN "
          "Equilibrium' ('Concept Wasserstein GAN')")

SIGMA = 0.5
LP_TOLERANCES = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def log_normal_pdf(x, mu, s):
    return -0.5 * ((x - mu) / s) ** 2 - np.log(s * np.sqrt(2 * np.pi))


def optimal_discriminator(x, mu_r, mu_g, s=SIGMA):
    """``D*(x) = p_r / (p_r + p_g)``, computed stably."""
    return expit(log_normal_pdf(x, mu_r, s) - log_normal_pdf(x, mu_g, s))


@dataclass
class Critic:
    """The optimal 1-Lipschitz critic on a grid (:func:`optimal_critic_lp`).

    ``values``: ``f`` at the grid points (``f[0] = 0``); ``slopes``:
    ``(f[i+1] - f[i]) / (x[i+1] - x[i])``; ``distance``: the LP's value
    ``sum_i f_i (a_i - b_i)``, the Wasserstein-1 distance of the two laws.
    """

    values: np.ndarray
    slopes: np.ndarray
    distance: float


def optimal_critic_lp(x, a, b) -> Critic:
    """The Kantorovich-Rubinstein dual on a grid, as a linear program (HiGHS).

    ``max_f sum_i f_i (a_i - b_i)`` s.t. ``|f_(i+1) - f_i| <= x_(i+1) - x_i``,
    ``f_0 = 0``; ``a``, ``b``: the masses of the real and the fake law at the
    (increasing) grid points ``x``, each summing to 1. The sign convention is
    WGAN's: the critic is large on real data, ``W = E_r f - E_g f``.

    The slope on a cell is decided by the sign of the cumulative mass
    difference ``F_r - F_g`` there; where that is below the solver's
    tolerance (:data:`LP_TOLERANCES`, 1e-10: far tails with almost no mass of
    either law) every slope in ``[-1, 1]`` is optimal to that tolerance and
    the solver's choice is arbitrary.
    """
    from scipy.optimize import linprog
    from scipy.sparse import diags, vstack

    x, a, b = (np.asarray(v, dtype=float) for v in (x, a, b))
    h = np.diff(x)
    n = len(x)
    step = diags([-np.ones(n - 1), np.ones(n - 1)], [0, 1], shape=(n - 1, n), format="csr")  # f[i+1] - f[i]
    res = linprog(-(a - b), A_ub=vstack([step, -step]), b_ub=np.concatenate([h, h]),
                  bounds=[(0, 0)] + [(None, None)] * (n - 1), method="highs", options=LP_TOLERANCES)
    if res.status != 0:  # pragma: no cover - the LP is feasible and bounded
        raise RuntimeError(f"the critic's linear program failed: {res.message}")
    f = np.asarray(res.x)
    return Critic(f, np.diff(f) / h, float(-res.fun))


def _cell_masses(x, mu, s):
    """Masses of ``N(mu, s^2)`` on the cells around the grid points (midpoints as edges), normalised."""
    edges = np.concatenate([[-np.inf], (x[1:] + x[:-1]) / 2, [np.inf]])
    m = np.diff(ndtr((edges - mu) / s))
    return m / m.sum()


def optimal_critic(x, mu_r, mu_g, s=SIGMA):
    """The optimal 1-Lipschitz critic for ``N(mu_r, s^2)`` vs ``N(mu_g, s^2)`` on the grid ``x``, mean 0."""
    f = optimal_critic_lp(x, _cell_masses(x, mu_r, s), _cell_masses(x, mu_g, s)).values
    return f - f.mean()


def critic_gradient_at_fakes(x, a, b) -> float:
    """Mean ``|d f*/dx|`` over the fake law ``b``: the gradient size WGAN's generator loss ``-E f(x~)`` gives.

    The slope at a grid point is the mean of the slopes of its two cells.
    """
    sl = optimal_critic_lp(x, a, b).slopes
    at_points = np.concatenate([[sl[0]], (sl[1:] + sl[:-1]) / 2, [sl[-1]]])
    return float(np.sum(b * np.abs(at_points)))


def generator_gradients(separations, s=SIGMA, n=801):
    """Mean |d loss / d x| at fake samples for the saturating, non-saturating GAN and WGAN losses."""
    out = {"GAN (saturating, log(1 - D*))": [], "GAN (non-saturating, -log D*)": [], "WGAN critic": []}
    for d in separations:
        mu_r, mu_g = -d / 2, d / 2
        x = np.linspace(mu_r - 8 * s, mu_g + 8 * s, n)
        a, w = _cell_masses(x, mu_r, s), _cell_masses(x, mu_g, s)
        # dD*/dx = D*(1 - D*) l' with l = log p_r - log p_g, l' = -(x-mu_r)/s^2 + (x-mu_g)/s^2, so
        # d/dx log(1 - D*) = -D* l' and d/dx (-log D*) = -(1 - D*) l' (no division: stable where D* saturates)
        D = optimal_discriminator(x, mu_r, mu_g, s)
        dlogratio = (mu_r - mu_g) / s**2
        out["GAN (saturating, log(1 - D*))"].append(np.sum(w * np.abs(D * dlogratio)))
        out["GAN (non-saturating, -log D*)"].append(np.sum(w * np.abs((1 - D) * dlogratio)))
        out["WGAN critic"].append(critic_gradient_at_fakes(x, a, w))
    return {k: np.array(v) for k, v in out.items()}


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    mu_r, mu_g = -2.0, 2.0
    x = np.linspace(-5, 5, 1001)      # |F_r - F_g| > 1e-9 on every cell: the critic is decided everywhere
    pr, pg = np.exp(log_normal_pdf(x, mu_r, SIGMA)), np.exp(log_normal_pdf(x, mu_g, SIGMA))
    D = optimal_discriminator(x, mu_r, mu_g)
    f = optimal_critic(x, mu_r, mu_g)
    fig, axes = figure(1, 2, width=5.0, height=3.6)
    a0, a1 = axes[0]
    a0.fill_between(x, pr / pr.max(), color="C0", alpha=0.25, label="real density (scaled)")
    a0.fill_between(x, pg / pg.max(), color="C1", alpha=0.25, label="fake density (scaled)")
    a0.plot(x, D, color="C3", lw=1.8, label="optimal GAN discriminator D*")
    a0.plot(x, f / np.abs(f).max(), color="C2", lw=1.8, label="optimal WGAN critic (scaled)")
    a0.set_xlabel("x")
    a0.set_ylim(-1.1, 1.15)
    a0.legend(fontsize=7, loc="lower left")
    a0.set_title("discriminator saturates, critic stays linear", fontsize=10)
    seps = np.linspace(0.25, 6, 40)
    grads = generator_gradients(seps)
    for (label, g), c in zip(grads.items(), ("C3", "C1", "C2")):
        a1.semilogy(seps, np.maximum(g, 1e-300), color=c, label=label)
    a1.set_xlabel("distance between the means")
    a1.set_ylabel("mean |gradient| at fake samples")
    a1.legend(fontsize=7)
    a1.set_title("vanishing gradients", fontsize=10)
    return save_figure(fig, out_dir, "fig10_gan_vs_wgan_critic", formats, dpi=dpi)
