"""The Torch backend of the registry rules: ``ops`` and ``field`` for Torch tensors.

A method's update rule (:mod:`gametheory.methods`) runs on any backend that
provides the two small interfaces of :mod:`gametheory.backends`. For Torch
they live in three modules, re-exported here:

* :mod:`gametheory.neural.field`: :class:`TorchField`, the game given by a
  loss closure ``loss_fn(xs, ys)``, with matrix-free Jacobian blocks, and
  :class:`SecondOrder` (cheap Hessian-vector products over a kept graph);
* :mod:`gametheory.neural.linops`: :class:`LinOp`, :func:`conjugate_gradient`
  and :class:`TorchOps` (the ``ops``);
* :mod:`gametheory.neural.tensors`: devices and flat parameter views.

Examples
--------
A registry rule on Torch tensors, as the optimizers run it:

>>> import torch
>>> import gametheory as gt
>>> m = gt.methods.get("eg")
>>> field = TorchField(lambda xs, ys: xs[0] @ ys[0], [(1,)], [(1,)])   # f = x y
>>> x, y = torch.tensor([1.0]), torch.tensor([1.0])
>>> new = m.step({"x": x, "y": y}, field, m.params({"eta": 0.5}, mode="float"), TorchOps)
>>> new["x"].tolist(), new["y"].tolist()
([0.25], [1.25])
"""
from __future__ import annotations

from .field import SecondOrder, TorchField, game_closure
from .linops import IdentityOp, LinOp, TorchOps, ZeroOp, conjugate_gradient
from .tensors import assign_flat, flatten, resolve_device, shapes_of, unflatten

__all__ = ["TorchOps", "TorchField", "SecondOrder", "LinOp", "ZeroOp", "IdentityOp", "conjugate_gradient",
           "game_closure", "resolve_device", "flatten", "unflatten", "assign_flat", "shapes_of"]
