"""The GLGD identity on a neural GAN: with the Bayes discriminator, the generator-loss gradient is grad C(R).

Source: the slides "Computing the GAN Equilibrium" (generator-loss gradient descent), Algorithm 2
("generator loss gradient descent"), citing Arjovsky & Bottou (ICLR 2017,
Theorem 2.5). Notation of the slides: real data ``Y ~ p_r``, generated data
``Y~ ~ p_theta``, the likelihood ratio ``R(y) = p_theta(y) / p_r(y)``, the
discriminator ``f(y) = P(real | y)``; the non-saturating generator loss
``g(theta, f) = E[-log f(Y~)]`` and the discriminator loss
``d = E[-log f(Y)] + E[-log(1 - f(Y~))]``, whose minimiser is the Bayes
discriminator ``f* = 1 / (1 + R)``. The identity: with ``f = f*`` held fixed,

    grad_theta g(theta, f*) = grad_theta C(R_theta),
    C(R) = E_{p_r}[(1 + R(Y)) log(1 + R(Y))] = 2 KL((p_theta + p_r)/2 || p_r).

(Proof: ``grad g = int d_theta p_theta log(1 + R)``; ``grad C = int d_theta
p_theta log(1 + R) + int d_theta p_theta``, and the last integral is 0.)

Here data and generator have known densities: ``p_r = N(0, I_d)`` and an
affine generator ``G_theta(z) = b + L z``, ``z ~ N(0, I_d)``, so ``p_theta =
N(b, L L^T)`` (``d = 1`` or ``2``; ``theta = (b, L)``, ``L`` lower triangular).
A neural discriminator (an MLP with smooth SiLU units) is trained by Adam on
fresh samples with ``theta`` fixed; at checkpoints its generator-loss
gradient is compared with ``grad C`` computed from the known densities. Both
expectations are computed by Gauss-Hermite quadrature over ``z`` and ``y``
(no Monte Carlo noise), ``grad C`` by autograd through the quadrature. The
identity itself is checked with the exact ``f*`` (agreement to the
quadrature's accuracy: the identity uses ``int d_theta p_theta = 0``, which
the quadrature satisfies only approximately).

Examples
--------
>>> r = glgd_identity(dims=(1,), steps=(0, 150), seed=0)
>>> r["identity_with_bayes_discriminator"]["relative_error"] < 1e-8
True
>>> r["curve"][0]["relative_error"] > r["curve"][-1]["relative_error"]
True
"""
from __future__ import annotations

import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from ..validation import fail, integer
from .models import mlp

__all__ = ["glgd_identity", "GaussianGenerator", "grad_C", "generator_loss_grad", "bayes_logit"]


class GaussianGenerator:
    """``G(z) = b + L z`` with ``L`` lower triangular (``theta`` = b then the lower-triangular entries).

    >>> G = GaussianGenerator.default(2)
    >>> G.theta.shape, G.cov().shape
    (torch.Size([5]), torch.Size([2, 2]))
    """

    def __init__(self, b, L):
        self.d = len(b)
        self.tril = torch.tril_indices(self.d, self.d)
        self.theta = torch.cat([torch.as_tensor(b, dtype=torch.float64),
                                torch.as_tensor(L, dtype=torch.float64)[self.tril[0], self.tril[1]]])

    @classmethod
    def default(cls, d: int):
        if d == 1:
            return cls([1.0], [[0.7]])
        if d == 2:
            return cls([0.8, -0.5], [[0.7, 0.0], [0.3, 1.2]])
        fail("dims", "1 or 2", d)

    def parts(self, theta):
        b = theta[: self.d]
        L = torch.zeros(self.d, self.d, dtype=theta.dtype)
        L = L.index_put((self.tril[0], self.tril[1]), theta[self.d:])
        return b, L

    def sample_from(self, theta, z):
        b, L = self.parts(theta)
        return b + z @ L.T

    def cov(self, theta=None):
        _, L = self.parts(self.theta if theta is None else theta)
        return L @ L.T

    def log_density(self, theta, y):
        b, L = self.parts(theta)
        dist = torch.distributions.MultivariateNormal(b, scale_tril=L)
        return dist.log_prob(y)


def _log_pr(y):
    """``log N(y; 0, I)``."""
    d = y.shape[-1]
    return -0.5 * (y ** 2).sum(-1) - 0.5 * d * math.log(2 * math.pi)


def _quadrature(d: int, n: int):
    """Gauss-Hermite nodes and weights for ``E f(z)``, ``z ~ N(0, I_d)`` (tensor product)."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    grids = np.meshgrid(*([x] * d), indexing="ij")
    nodes = np.stack([g.reshape(-1) for g in grids], 1)
    weights = np.prod(np.stack(np.meshgrid(*([w] * d), indexing="ij"), 0).reshape(d, -1), 0)
    return torch.tensor(nodes), torch.tensor(weights)


def bayes_logit(G, theta, y):
    """The logit of ``f* = 1/(1+R) = p_r / (p_r + p_theta)``: ``log p_r - log p_theta``."""
    return _log_pr(y) - G.log_density(theta, y)


def generator_loss_grad(G, theta, logit_fn, nodes, weights):
    """``grad_theta E_z[-log f(G_theta(z))]`` with ``f = sigmoid(logit_fn)`` held fixed (quadrature)."""
    th = theta.detach().clone().requires_grad_(True)
    y = G.sample_from(th, nodes)
    loss = (weights * F.softplus(-logit_fn(y))).sum()
    return torch.autograd.grad(loss, th)[0]


def grad_C(G, theta, nodes, weights):
    """``grad_theta C(R_theta)``, ``C = E_{p_r}[(1+R) log(1+R)] = E_{p_r}[log(1+R)] + E_{p_theta}[log(1+R)]``.

    The second expectation is reparameterised (``Y~ = G_theta(z)``) and ``R``
    keeps its own ``theta`` dependence; ``log(1+R) = softplus(log R)``.
    """
    th = theta.detach().clone().requires_grad_(True)

    def log1pR(y):
        return F.softplus(G.log_density(th, y) - _log_pr(y))

    C = (weights * log1pR(nodes)).sum() + (weights * log1pR(G.sample_from(th, nodes))).sum()
    return torch.autograd.grad(C, th)[0], float(C.detach())


def _compare(a, b):
    rel = float(torch.linalg.vector_norm(a - b) / torch.linalg.vector_norm(b))
    cos = float(a @ b / (torch.linalg.vector_norm(a) * torch.linalg.vector_norm(b)))
    return rel, cos


def _one_dimension(d, steps, seed, hidden, batch, lr, quad_n):
    torch.manual_seed(seed)
    G = GaussianGenerator.default(d)
    theta = G.theta
    nodes, weights = _quadrature(d, quad_n)
    ref, C = grad_C(G, theta, nodes, weights)
    exact = generator_loss_grad(G, theta, lambda y: bayes_logit(G, theta, y), nodes, weights)
    rel0, cos0 = _compare(exact, ref)
    net = mlp(d, hidden, 1, layers=2, seed=seed).double()
    # smooth units: the generator-loss gradient uses grad_y D, piecewise constant for ReLU
    net = torch.nn.Sequential(*[torch.nn.SiLU() if isinstance(m, torch.nn.ReLU) else m for m in net])
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed + 1)
    # evaluation of |D - f*| under the mixture (p_r + p_theta)/2, by quadrature
    y_mix = torch.cat([nodes, G.sample_from(theta, nodes)])
    w_mix = torch.cat([weights, weights]) / 2
    f_star = torch.sigmoid(bayes_logit(G, theta, y_mix))
    checkpoints = sorted(set(integer("steps", s) for s in steps))
    curve = []
    done = 0
    t0 = time.perf_counter()
    for target in checkpoints:
        while done < target:
            real = torch.randn(batch, d, generator=gen, dtype=torch.float64)
            fake = G.sample_from(theta, torch.randn(batch, d, generator=gen, dtype=torch.float64))
            loss = F.softplus(-net(real)).mean() + F.softplus(net(fake)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            done += 1
        with torch.no_grad():
            disc_err = float((w_mix * (torch.sigmoid(net(y_mix)[:, 0]) - f_star).abs()).sum())
        got = generator_loss_grad(G, theta, lambda y: net(y)[:, 0], nodes, weights)
        rel, cos = _compare(got, ref)
        curve.append({"steps": target, "relative_error": rel, "cosine": cos, "discriminator_error": disc_err})
    return {"dim": d, "theta": theta.tolist(), "C": C, "grad_C": ref.tolist(),
            "identity_with_bayes_discriminator": {"relative_error": rel0, "cosine": cos0},
            "curve": curve, "seconds": round(time.perf_counter() - t0, 3)}


def glgd_identity(dims=(1, 2), steps=(0, 25, 100, 400, 1600), seed: int = 0, *, hidden: int = 64,
                  batch: int = 1024, lr: float = 2e-3, quad_n: int = 64) -> dict:
    """Check ``grad g(theta, f*) = grad C(R)`` with trained neural discriminators.

    Parameters
    ----------
    dims : dimensions to run (1 and/or 2).
    steps : discriminator training steps at which to compare (checkpoints of one run).
    seed, hidden, batch, lr : discriminator (2 hidden SiLU layers) and Adam settings.
    quad_n : Gauss-Hermite nodes per dimension.

    Returns
    -------
    dict with ``relative_error`` and ``cosine`` of the best-trained
    discriminator (the last checkpoint; the worst over ``dims``),
    ``identity_with_bayes_discriminator`` (the exact ``f*``: quadrature error),
    ``curve`` (per checkpoint: steps, relative error, cosine, mean ``|D - f*|``
    under ``(p_r + p_theta)/2``; of the first dimension), and ``runs`` (per
    dimension).
    """
    dims = tuple(integer("dims", d, minimum=1) for d in (dims if hasattr(dims, "__iter__") else (dims,)))
    if not dims or not set(dims) <= {1, 2}:
        fail("dims", "dimensions among 1 and 2", dims)
    if not steps:
        fail("steps", "at least one checkpoint")
    runs = [_one_dimension(d, steps, seed, integer("hidden", hidden, minimum=1), integer("batch", batch, minimum=1),
                           float(lr), integer("quad_n", quad_n, minimum=4)) for d in dims]
    last = [r["curve"][-1] for r in runs]
    worst = max(last, key=lambda c: c["relative_error"])
    exact = max((r["identity_with_bayes_discriminator"] for r in runs), key=lambda e: e["relative_error"])
    return {"relative_error": worst["relative_error"], "cosine": min(c["cosine"] for c in last),
            "identity_with_bayes_discriminator": exact, "curve": runs[0]["curve"], "runs": runs,
            "source": "slides 'Computing the GAN Equilibrium' (generator-loss gradient descent, GLGD); Arjovsky & "
                      "Bottou, 'Towards Principled Methods for Training GANs', ICLR 2017, Thm 2.5",
            "settings": {"dims": list(dims), "steps": list(steps), "seed": seed, "hidden": hidden, "batch": batch,
                         "lr": lr, "quad_n": quad_n, "data": "N(0, I_d)", "generator": "b + L z, z ~ N(0, I_d)"}}
