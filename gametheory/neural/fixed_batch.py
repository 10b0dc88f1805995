"""A small GAN on one fixed batch, as a deterministic two-player game in float64 (for local analysis).

Local analysis needs a game whose field ``v(z)`` is a function of the
parameters alone: :func:`fixed_batch_gan` draws one batch of real samples and
one batch of noise (from the seed) and keeps them, so ``v(z) = 0`` has
solutions to look for (:mod:`gametheory.neural.equilibrium`), ``J = dv/dz``
is well defined (:mod:`gametheory.neural.spectrum`), and a method's local
rate can be predicted and measured (:mod:`gametheory.neural.prediction`).
The networks are :mod:`gametheory.neural.models` MLPs in float64 with a smooth
activation (``tanh`` by default: ReLU's kinks make the Hessian jump) and a
linear generator output (for digits too, so that the generator can reproduce
a batch exactly: :func:`gametheory.neural.equilibrium.realizable_point`). The
batches are small (8 / 16 / 256 samples at the three scales) so that the
generator has more parameters than ``batch x dim``.

Losses (``x`` the generator, ``y`` the discriminator; ``D`` its logit):

* ``"ns"``: ``L_y = E softplus(-D(r)) + E softplus(D(G(z)))`` (cross
  entropy), ``L_x = E softplus(-D(G(z)))`` (non-saturating; Goodfellow et
  al., NeurIPS 2014): the losses of :func:`gametheory.neural.experiments.gan_loss`
  (tested equal), written on the parameter lists with ``F.linear`` because
  ``functional_call`` costs more than these networks;
* ``"minimax"``: the saturating zero-sum game ``f = -L_y``;
* ``"wgan"``: zero-sum ``f = E D(r) - E D(G(z))`` with ``D`` a critic
  (Arjovsky, Chintala, Bottou, ICML 2017; no weight clipping: the local
  analysis is about interior stationary points).

``r1 = gamma > 0`` adds Mescheder et al.'s (ICML 2018) R1 penalty
``gamma / 2 E_r |grad_r D(r)|^2`` to the discriminator's loss (the game is
then general-sum).

Example
-------
>>> g = fixed_batch_gan("gaussians4", scale="tiny", seed=0)
>>> g.nx, g.ny, g.x0.dtype
(42, 33, torch.float64)
>>> vx, vy = g.field.v(g.x0, g.y0)
>>> vx.shape[0] + vy.shape[0] == g.n
True
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field

import torch
import torch.nn.functional as F
from torch.func import functional_call, grad, vmap

from ..validation import choice, fail, integer
from . import data as data_mod
from .field import TorchField
from .models import ACTIVATIONS, discriminator, generator, parameter_names
from .tensors import flatten, resolve_device, shapes_of

__all__ = ["FixedBatchGAN", "fixed_batch_gan", "THEORY_SCALES", "LOSSES"]

LOSSES = ("ns", "minimax", "wgan")
#: network and batch sizes of the local analysis (``paper``: the Mangoubi-Sachdeva-Vishnoi sizes, ~67k parameters)
THEORY_SCALES = {
    "tiny": {"batch": 8, "noise_dim": 2, "hidden": 8, "layers": 1},
    "small": {"batch": 16, "noise_dim": 4, "hidden": 16, "layers": 2},
    "paper": {"batch": 256, "noise_dim": 256, "hidden": 128, "layers": 2},
}


@dataclass
class FixedBatchGAN:
    """A GAN on a fixed batch: the networks, the batch, the closure and its :class:`TorchField`.

    Attributes
    ----------
    gen, disc : torch.nn.Module
        float64 networks (their parameters hold the initialisation ``x0``, ``y0``).
    real, noise : Tensor
        The fixed batch.
    loss, r1 : the loss and the R1 weight.
    field : TorchField
        ``v`` and ``J`` of the game (zero-sum for ``minimax`` / ``wgan`` without R1).
    x0, y0 : Tensor
        The initial parameters, flat.
    x_shapes, y_shapes : list of tuple
    settings : dict
        Everything needed to rebuild it (JSON-able).
    """

    gen: torch.nn.Module
    disc: torch.nn.Module
    real: torch.Tensor
    noise: torch.Tensor
    loss: str
    r1: float
    field: TorchField
    x0: torch.Tensor
    y0: torch.Tensor
    x_shapes: list
    y_shapes: list
    dataset: object = None
    settings: dict = dc_field(default_factory=dict)

    @property
    def nx(self) -> int:
        return self.field.nx

    @property
    def ny(self) -> int:
        return self.field.ny

    @property
    def n(self) -> int:
        return self.nx + self.ny

    @property
    def loss_fn(self):
        return self.field.loss_fn

    def fake(self, x) -> torch.Tensor:
        """``G(z)`` on the fixed noise with generator parameters ``x`` (flat)."""
        from .tensors import unflatten

        names = parameter_names(self.gen)
        return functional_call(self.gen, dict(zip(names, unflatten(x, self.x_shapes))), (self.noise,))

    def logits(self, y, points) -> torch.Tensor:
        """``D(points)`` with discriminator parameters ``y`` (flat)."""
        from .tensors import unflatten

        names = parameter_names(self.disc)
        return functional_call(self.disc, dict(zip(names, unflatten(y, self.y_shapes))), (points,))

    def losses(self, x, y) -> tuple:
        """``(L_x, L_y)`` as floats at flat parameters."""
        with torch.no_grad():
            Lx, Ly, _ = self.field.losses(x, y)
        return float(Lx), float(Ly)


_ACT = {"relu": F.relu, "leaky_relu": lambda h: F.leaky_relu(h, 0.2), "tanh": torch.tanh, "elu": F.elu,
        "softplus": F.softplus}


def _mlp(params, h, act):
    """The forward pass of a :func:`~gametheory.neural.models.mlp` (no dropout, linear output) from its
    parameter list ``[W1, b1, W2, b2, ...]``: ``F.linear`` layers without ``functional_call`` (the per-call
    overhead of a module dominates networks this small)."""
    n = len(params) // 2
    for i in range(n):
        h = F.linear(h, params[2 * i], params[2 * i + 1])
        if i < n - 1:
            h = act(h)
    return h


def _closure(real, noise, loss, r1, activation):
    act = _ACT[activation]

    def base(xs, ys):
        fake = _mlp(xs, noise, act)
        lr, lf = _mlp(ys, real, act), _mlp(ys, fake, act)
        if loss == "wgan":
            return lr.mean() - lf.mean()
        L_y = F.softplus(-lr).mean() + F.softplus(lf).mean()  # gan_loss's cross entropy (tested equal)
        if loss == "minimax":
            return -L_y
        return F.softplus(-lf).mean(), L_y

    if not r1:
        return base, loss != "ns"

    def penalty(ys):
        g = vmap(grad(lambda r: _mlp(ys, r[None], act).sum()))(real)
        return 0.5 * r1 * (g * g).sum(1).mean()

    def loss_fn(xs, ys):
        out = base(xs, ys)
        Lx, Ly = (out, -out) if not isinstance(out, tuple) else out
        return Lx, Ly + penalty(ys)

    return loss_fn, False


def _stratified(dataset, n, gen):
    """``n`` samples taking the components (digits: the labels) in turn."""
    if isinstance(dataset, data_mod.Mixture):
        idx = torch.arange(n) % len(dataset.components)
        noise = torch.randn(n, 2, generator=gen, dtype=torch.float64)
        return dataset.components[idx].double() + dataset.std * noise
    labels = dataset.labels
    pools = [torch.nonzero(labels == k).flatten() for k in (0, 1)]
    pick = [pools[i % 2][torch.randint(len(pools[i % 2]), (1,), generator=gen)] for i in range(n)]
    return dataset.images[torch.cat(pick)].double()


def fixed_batch_gan(data: str = "gaussians4", *, scale: str = "tiny", seed: int = 0, loss: str = "ns",
                    r1: float = 0.0, activation: str = "tanh", batch: int | None = None, hidden: int | None = None,
                    layout: str = "faithful", stratified: bool = False, mnist_path=None,
                    device="cpu") -> FixedBatchGAN:
    """Build the fixed-batch GAN of ``data`` at ``scale`` (see the module docstring).

    Parameters
    ----------
    data : ``"gaussians4"``, ``"ring8"``, ``"grid25"`` or ``"digits01"``.
    scale : ``"tiny"``, ``"small"`` or ``"paper"`` (:data:`THEORY_SCALES`).
    seed : int
        Initialisation, batch and noise.
    loss : ``"ns"``, ``"minimax"`` or ``"wgan"``.
    r1 : float
        R1 weight ``gamma >= 0``.
    activation : a name of :data:`~gametheory.neural.models.ACTIVATIONS`.
    batch, hidden : int, optional
        Override the scale's batch size and width.
    stratified : bool
        Draw the batch evenly over the mixture's components (one sample of each
        in turn; digits: 0 and 1 in turn) instead of at random: two samples of
        one narrow mode (``std = 0.01`` apart) add rotations of ``|lambda|``
        about ``10^-2`` to ``J`` that no practical horizon resolves.
    device : ``"auto"``, ``"cpu"`` or ``"cuda"``.
    """
    choice("data", data, data_mod.DATASETS)
    choice("scale", scale, tuple(THEORY_SCALES))
    choice("loss", loss, LOSSES)
    choice("activation", activation, tuple(ACTIVATIONS))
    seed = integer("seed", seed)
    r1 = float(r1)
    if not r1 >= 0:
        fail("r1", "a weight >= 0", r1)
    st = dict(THEORY_SCALES[scale])
    if batch is not None:
        st["batch"] = integer("batch", batch, minimum=1)
    if hidden is not None:
        st["hidden"] = integer("hidden", hidden, minimum=1)
    dev = resolve_device(device)
    dataset = data_mod.load(data, layout, mnist_path)
    gen_ = torch.Generator().manual_seed(seed + 7919)
    if stratified:
        real = _stratified(dataset, st["batch"], gen_).to(dev)
    else:
        real = dataset.sample(st["batch"], gen_, dtype=torch.float64).to(dev)
    noise = torch.randn(st["batch"], st["noise_dim"], generator=gen_, dtype=torch.float64).to(dev)
    g = generator(st["noise_dim"], st["hidden"], dataset.dim, st["layers"], activation=activation,
                  seed=seed).double().to(dev)
    d = discriminator(dataset.dim, st["hidden"], st["layers"], activation=activation).double().to(dev)
    fn, zero_sum = _closure(real, noise, loss, r1, activation)
    field = TorchField(fn, shapes_of(g.parameters()), shapes_of(d.parameters()), zero_sum=zero_sum)
    settings = {"data": data, "scale": scale, "seed": seed, "loss": loss, "r1": r1, "activation": activation,
                "layout": layout if data != "digits01" else None, "stratified": bool(stratified), "device": dev.type,
                **st}
    return FixedBatchGAN(g, d, real, noise, loss, r1, field, flatten(g.parameters()), flatten(d.parameters()),
                         shapes_of(g.parameters()), shapes_of(d.parameters()), dataset, settings)
