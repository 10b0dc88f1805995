"""Small generator and discriminator networks for the GAN experiments.

The 4-Gaussian networks follow Mangoubi, Sachdeva & Vishnoi's notebook: 2
hidden ReLU layers of 128 units, orthogonal initialisation with gain 0.8,
noise dimension 256; the discriminator outputs a logit. Widths are
parameters so tests and benchmarks can shrink them.

Examples
--------
>>> g = generator(noise_dim=8, hidden=16, out_dim=2, seed=0)
>>> sum(p.numel() for p in g.parameters())
450
"""
from __future__ import annotations

import torch
from torch import nn

from ..validation import choice, integer

__all__ = ["mlp", "generator", "discriminator", "parameter_names", "ACTIVATIONS"]

#: hidden-layer activations by name
ACTIVATIONS = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh, "elu": nn.ELU,
               "softplus": nn.Softplus}


def mlp(in_dim: int, hidden: int, out_dim: int, layers: int = 2, activation: str = "relu", out: str | None = None,
        gain: float = 0.8, dropout: float = 0.0, seed: int | None = None) -> nn.Sequential:
    """An MLP ``in -> hidden x layers -> out`` with orthogonal weights (gain ``gain``), zero biases.

    ``activation``: ``"relu"``, ``"leaky_relu"`` (slope 0.2), or the smooth
    ``"tanh"``, ``"elu"``, ``"softplus"`` (twice differentiable everywhere, for
    the local analysis of :mod:`gametheory.neural.equilibrium`); ``out``:
    ``None`` or ``"tanh"``.
    """
    in_dim, hidden, out_dim = (integer(n, v, minimum=1) for n, v in
                               (("in_dim", in_dim), ("hidden", hidden), ("out_dim", out_dim)))
    layers = integer("layers", layers, minimum=0)
    choice("activation", activation, tuple(ACTIVATIONS))
    if seed is not None:
        torch.manual_seed(integer("seed", seed))
    act = ACTIVATIONS[activation]
    mods, d = [], in_dim
    for _ in range(layers):
        mods += [nn.Linear(d, hidden), act()]
        if dropout:
            mods.append(nn.Dropout(dropout))
        d = hidden
    mods.append(nn.Linear(d, out_dim))
    if out == "tanh":
        mods.append(nn.Tanh())
    net = nn.Sequential(*mods)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.orthogonal_(m.weight, gain=gain)
            nn.init.zeros_(m.bias)
    return net


def generator(noise_dim: int = 256, hidden: int = 128, out_dim: int = 2, layers: int = 2, out=None,
              seed: int | None = None, **kw) -> nn.Sequential:
    """The generator ``G(z)``, ``z ~ N(0, I_noise_dim)``."""
    return mlp(noise_dim, hidden, out_dim, layers, out=out, seed=seed, **kw)


def discriminator(in_dim: int = 2, hidden: int = 128, layers: int = 2, seed: int | None = None,
                  **kw) -> nn.Sequential:
    """The discriminator: a logit ``D(y)``, ``sigmoid(D)`` the probability that ``y`` is real."""
    return mlp(in_dim, hidden, 1, layers, seed=seed, **kw)


def parameter_names(model) -> list:
    return [n for n, _ in model.named_parameters()]
