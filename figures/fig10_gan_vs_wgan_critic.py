"""Figure 10: optimal GAN discriminator vs optimal WGAN critic on two Gaussians.

Regenerates the figure the slides "Computing the GAN Equilibrium" ("Concept Wasserstein GAN")
reproduce from Arjovsky, Chintala, Bottou, "Wasserstein GAN" (ICML 2017),
Figure 2: "Optimal discriminator and critic when learning to differentiate
two Gaussians. As we can see, the traditional GAN discriminator saturates and
results in vanishing gradients. Our WGAN critic provides very clean
gradients on all parts of the space."

Computed exactly with NumPy: the optimal discriminator is
``D*(x) = p_r(x) / (p_r(x) + p_g(x))`` (Goodfellow et al. 2014), evaluated
as ``sigmoid(log p_r - log p_g)``; the optimal 1-Lipschitz critic in one
dimension maximises ``int f d(p_r - p_g) = int f' (F_g - F_r) dx``, so
``f*' = sign(F_g - F_r)`` and ``f*`` is its integral (up to a constant). The
right panel shows the gradient the generator receives at its own samples
(saturating loss ``log(1 - D*)`` and non-saturating ``-log D*``, against the
WGAN critic) as the two Gaussians move apart.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.special import expit, log_ndtr

from gametheory.plotting import save_figure

from ._common import figure

ID = "fig10"
CAPTION = ("Two Gaussians (real N(-2, 0.5^2), fake N(2, 0.5^2)): the optimal GAN discriminator D* saturates and its "
           "gradient vanishes at the fake samples, while the optimal WGAN critic is linear between and around them "
           "(slope 1 everywhere). Right: mean |gradient| the generator receives at its samples against the distance "
           "between the means (log scale): exponentially small for the saturating GAN loss, constant 1 for WGAN.")
SOURCE = ("Arjovsky, Chintala, Bottou, 'Wasserstein GAN', ICML 2017, Figure 2, as reproduced in the slides "
          "'Computing the GAN Equilibrium' ('Concept Wasserstein GAN')")

SIGMA = 0.5


def log_normal_pdf(x, mu, s):
    return -0.5 * ((x - mu) / s) ** 2 - np.log(s * np.sqrt(2 * np.pi))


def optimal_discriminator(x, mu_r, mu_g, s=SIGMA):
    """``D*(x) = p_r / (p_r + p_g)``, computed stably."""
    return expit(log_normal_pdf(x, mu_r, s) - log_normal_pdf(x, mu_g, s))


def optimal_critic(x, mu_r, mu_g, s=SIGMA):
    """The optimal 1-Lipschitz critic on the grid ``x`` (``f*' = sign(F_g - F_r)``), normalised to mean 0."""
    # F_g - F_r with log-CDFs so that the sign is right in the far tails
    diff = np.sign(np.exp(log_ndtr((x - mu_g) / s)) - np.exp(log_ndtr((x - mu_r) / s)))
    diff = np.where(diff == 0, np.sign(mu_r - mu_g) * -1.0, diff)
    slope = diff
    f = np.concatenate([[0.0], np.cumsum(0.5 * (slope[1:] + slope[:-1]) * np.diff(x))])
    return f - f.mean()


def generator_gradients(separations, s=SIGMA, n=4001):
    """Mean ``|d loss / d x|`` at fake samples for the saturating, non-saturating GAN and WGAN losses."""
    out = {"GAN (saturating, log(1 - D*))": [], "GAN (non-saturating, -log D*)": [], "WGAN critic": []}
    for d in separations:
        mu_r, mu_g = -d / 2, d / 2
        x = np.linspace(mu_g - 8 * s, mu_g + 8 * s, n)
        w = np.exp(log_normal_pdf(x, mu_g, s))
        w = w / w.sum()
        # dD*/dx = D*(1 - D*) d/dx (log p_r - log p_g); (log p_r - log p_g)' = -(x-mu_r)/s^2 + (x-mu_g)/s^2
        D = optimal_discriminator(x, mu_r, mu_g, s)
        dlogratio = (mu_r - mu_g) / s**2 * np.ones_like(x)
        dD = D * (1 - D) * dlogratio
        out["GAN (saturating, log(1 - D*))"].append(np.sum(w * np.abs(dD / (1 - D))))
        out["GAN (non-saturating, -log D*)"].append(np.sum(w * np.abs(dD / np.maximum(D, 1e-300))))
        out["WGAN critic"].append(1.0)
    return {k: np.array(v) for k, v in out.items()}


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    mu_r, mu_g = -2.0, 2.0
    x = np.linspace(-6, 6, 1201)
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
