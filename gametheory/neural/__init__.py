"""Neural GANs with Torch: every registry method as an optimizer, experiments, the GLGD identity.

This subpackage is optional: it needs PyTorch, which is imported here and in
the submodules, never by ``import gametheory``.

Modules
-------
backend
    :class:`~gametheory.neural.backend.TorchOps` and
    :class:`~gametheory.neural.backend.TorchField`: the field interface of
    :mod:`gametheory.backends` on Torch tensors, with matrix-free Jacobian
    blocks (Jacobian-vector products by ``torch.func``), so the update rules
    of :mod:`gametheory.methods` run unchanged on network parameters.
optimizers
    :func:`~gametheory.neural.optimizers.make_optimizer` and one class per
    method; ``opt.step(loss_fn)`` evaluates the closure itself.
data, models, metrics
    The Mangoubi-Sachdeva-Vishnoi 4-Gaussian mixture (faithful and clean
    layouts), ring of 8, grid of 25, 0/1 digits; small MLPs; modes covered,
    high-quality share, mode-histogram KL, dominant mode.
experiments
    :func:`~gametheory.neural.experiments.run_gan`: many seeds, in parallel
    processes or on Dask, resumable, or as one vectorised ensemble.
glgd
    :func:`~gametheory.neural.glgd.glgd_identity`: the generator-loss
    gradient with a trained discriminator against ``grad C(R)``.

Conventions are the package's: ``min_x max_y f``, ``x`` the generator,
``y`` the discriminator, ``v = (grad_x L_x, grad_y L_y)`` the descent field.
"""
from .backend import TorchField, TorchOps, resolve_device
from .optimizers import GameOptimizer, StepStats, make_optimizer, optimizer_names

__all__ = ["TorchField", "TorchOps", "resolve_device", "GameOptimizer", "StepStats", "make_optimizer",
           "optimizer_names"]
