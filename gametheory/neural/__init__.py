"""Neural GANs with Torch: every registry method as an optimizer, experiments, the GLGD identity.

This subpackage is optional: it needs PyTorch, which is imported here and in
the submodules, never by ``import gametheory``.

Modules
-------
field, linops, tensors (re-exported by ``backend``)
    :class:`~gametheory.neural.field.TorchField` and
    :class:`~gametheory.neural.linops.TorchOps`: the field interface of
    :mod:`gametheory.backends` on Torch tensors, with matrix-free Jacobian
    blocks (Jacobian-vector products by ``torch.func``), so the update rules
    of :mod:`gametheory.methods` run unchanged on network parameters;
    :class:`~gametheory.neural.linops.LinOp` and conjugate gradients; devices
    and flat parameter views.
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
from .field import TorchField
from .linops import TorchOps
from .tensors import resolve_device
from .optimizers import GameOptimizer, StepStats, make_optimizer, optimizer_names

__all__ = ["TorchField", "TorchOps", "resolve_device", "GameOptimizer", "StepStats", "make_optimizer",
           "optimizer_names"]
