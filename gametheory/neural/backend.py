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
>>> import torch
>>> f = lambda xs, ys: xs[0] @ ys[0]                      # bilinear x.y
>>> field = TorchField(f, [(2,)], [(2,)])
>>> x = torch.tensor([1.0, 2.0]); y = torch.tensor([3.0, -1.0])
>>> field.v_x(x, y).tolist(), field.v_y(x, y).tolist()
([3.0, -1.0], [-1.0, -2.0])
>>> _, Jxy, _, _ = field.jac(x, y)
>>> (Jxy @ torch.tensor([1.0, 0.0])).tolist()
[1.0, 0.0]
"""
from __future__ import annotations

from .field import SecondOrder, TorchField, game_closure
from .linops import IdentityOp, LinOp, TorchOps, ZeroOp, conjugate_gradient
from .tensors import assign_flat, flatten, resolve_device, shapes_of, unflatten

__all__ = ["TorchOps", "TorchField", "SecondOrder", "LinOp", "ZeroOp", "IdentityOp", "conjugate_gradient",
           "game_closure", "resolve_device", "flatten", "unflatten", "assign_flat", "shapes_of"]
