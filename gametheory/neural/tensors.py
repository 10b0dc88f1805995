"""Devices and flat views of parameter lists (the Torch backend's vectors).

The update rules of :mod:`gametheory.methods` work on one flat vector per
player; these helpers move between a list of parameter tensors and that
vector.

>>> import torch
>>> flat = flatten([torch.ones(2, 2), torch.zeros(3)])
>>> flat.shape, [t.shape for t in unflatten(flat, [(2, 2), (3,)])]
(torch.Size([7]), [torch.Size([2, 2]), torch.Size([3])])
"""
from __future__ import annotations

import math
from contextlib import contextmanager

import torch

from ..validation import fail

__all__ = ["resolve_device", "shapes_of", "flatten", "unflatten", "assign_flat", "fixed_threads", "RESULT_THREADS"]

#: intra-op threads of every Torch computation whose numbers are reported (GAN seeds, the GLGD identity):
#: a reduction's rounding depends on how it is split over threads, so a fixed count makes the numbers
#: independent of the machine, of what ran before in the process and of a resumed run's history
RESULT_THREADS = 1


@contextmanager
def fixed_threads(n: int | None = RESULT_THREADS):
    """Run a block with ``torch.set_num_threads(n)`` and restore the previous count afterwards.

    ``None`` leaves the count alone. The count is process-wide state: a
    function that sets it must restore it, or it leaks into whatever runs
    next (and so into its numbers).

    >>> before = torch.get_num_threads()
    >>> with fixed_threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    if not n:
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(old)


def resolve_device(device="auto") -> "torch.device":
    """``"auto"`` -> CUDA when available, else CPU; otherwise ``torch.device(device)``.

    >>> resolve_device("cpu").type
    'cpu'
    """
    if device is None or device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        fail("device", "'auto', 'cpu', 'cuda' or 'cuda:N'", device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        fail("device", "a device that exists here (CUDA is not available)", device)
    return dev


# ------------------------------------------------------- flat parameter views
def shapes_of(params) -> list:
    return [tuple(p.shape) for p in params]


def flatten(tensors) -> "torch.Tensor":
    """Concatenate tensors into one detached flat vector."""
    return torch.cat([t.detach().reshape(-1) for t in tensors])


def unflatten(flat, shapes) -> list:
    sizes = [math.prod(s) for s in shapes]
    return [t.view(s) for t, s in zip(flat.split(sizes, dim=-1), shapes)]


@torch.no_grad()
def assign_flat(params, flat):
    """Write a flat vector into parameters in place."""
    for p, chunk in zip(params, unflatten(flat, shapes_of(params))):
        p.copy_(chunk)
