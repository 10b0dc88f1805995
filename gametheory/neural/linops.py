"""Matrix-free linear operators and conjugate gradients (the Torch backend's ``ops``).

:class:`LinOp` wraps a matrix-vector product ``A @ v`` and its transpose;
operators compose (``@``), add, subtract and scale lazily, so the registry
rules that use Jacobian blocks (consensus, SGA, CGD, unrolled) run on
networks unchanged. :class:`TorchOps` is the ``ops`` interface of
:mod:`gametheory.backends` for Torch: ``eye`` and ``zeros`` are lazy
operators and ``solve`` with a :class:`LinOp` runs :func:`conjugate_gradient`
on the normal equations.

>>> import torch
>>> A = LinOp((2, 2), lambda v: 2 * v, lambda u: 2 * u)
>>> ((A @ A) @ torch.tensor([1.0, -1.0])).tolist()
[4.0, -4.0]
"""
from __future__ import annotations

import math

import torch

__all__ = ["LinOp", "ZeroOp", "IdentityOp", "conjugate_gradient", "TorchOps"]


class LinOp:
    """A matrix-free linear map: ``A @ v`` calls ``mv``, ``A.T @ u`` calls ``rmv``.

    Supports ``@`` with a vector (1-D), a column stack (2-D) or another
    :class:`LinOp` (composition), ``+``, ``-``, scalar ``*`` and ``.T``; the
    result is again lazy. ``shape`` is ``(rows, cols)``.
    """

    def __init__(self, shape, mv, rmv):
        self.shape = tuple(shape)
        self.mv, self.rmv = mv, rmv

    def __len__(self):
        return self.shape[0]

    @property
    def T(self):
        return LinOp((self.shape[1], self.shape[0]), self.rmv, self.mv)

    def __matmul__(self, other):
        if isinstance(other, ZeroOp):
            return ZeroOp((self.shape[0], other.shape[1]))
        if isinstance(other, LinOp):
            return LinOp((self.shape[0], other.shape[1]), lambda v: self.mv(other.mv(v)),
                         lambda u: other.rmv(self.rmv(u)))
        if other.ndim == 1:
            return self.mv(other)
        return torch.stack([self.mv(c) for c in other.unbind(1)], 1)

    def __add__(self, other):
        if isinstance(other, ZeroOp):
            return self
        if not isinstance(other, LinOp):
            return NotImplemented
        return LinOp(self.shape, lambda v: self.mv(v) + other.mv(v), lambda u: self.rmv(u) + other.rmv(u))

    def __neg__(self):
        return LinOp(self.shape, lambda v: -self.mv(v), lambda u: -self.rmv(u))

    def __sub__(self, other):
        if not isinstance(other, LinOp):
            return NotImplemented
        return self + (-other)

    def __mul__(self, c):
        if isinstance(c, (LinOp, torch.Tensor)) and getattr(c, "ndim", 0) > 0:
            return NotImplemented
        return LinOp(self.shape, lambda v: c * self.mv(v), lambda u: c * self.rmv(u))

    __rmul__ = __mul__

    def __truediv__(self, c):
        return self * (1.0 / c)

    def dense(self, like) -> "torch.Tensor":
        """The explicit matrix (for small checks only): columns ``A e_j``."""
        eye = torch.eye(self.shape[1], dtype=like.dtype, device=like.device)
        return torch.stack([self.mv(e) for e in eye.unbind(0)], 1)


class ZeroOp(LinOp):
    """The zero map (so ``D_0 = 0`` of the unrolled rule stays free)."""

    def __init__(self, shape):
        super().__init__(shape, None, None)

    @property
    def T(self):
        return ZeroOp((self.shape[1], self.shape[0]))

    def __matmul__(self, other):
        if isinstance(other, LinOp):
            return ZeroOp((self.shape[0], other.shape[1]))
        return torch.zeros((self.shape[0],) + tuple(other.shape[1:]), dtype=other.dtype, device=other.device)

    def __add__(self, other):
        return other if isinstance(other, LinOp) else NotImplemented

    __radd__ = __add__

    def __neg__(self):
        return self

    def __sub__(self, other):
        return -other if isinstance(other, LinOp) else NotImplemented

    def __mul__(self, c):
        return self

    __rmul__ = __mul__


class IdentityOp(LinOp):
    def __init__(self, n):
        super().__init__((n, n), lambda v: v, lambda u: u)


def conjugate_gradient(apply_A, b, x0=None, *, tol: float = 1e-10, max_iter: int = 100, with_image: bool = False,
                       atol: float = 0.0, info: dict | None = None):
    """Solve ``A x = b`` for symmetric positive definite ``A`` given as ``apply_A``.

    Warm start from ``x0`` with the residual ``r0 = b - A x0`` (starting from
    ``r0 = b`` while ``x0 != 0`` solves the wrong system). Stops when
    ``|r| <= max(tol |b|, atol)`` or after ``max_iter`` iterations (Hestenes
    & Stiefel 1952; Nocedal & Wright, *Numerical Optimization*, Algorithm
    5.2). ``info``, a dict, receives ``residual`` (the final ``|r|``) and
    ``converged`` (False when ``max_iter`` stopped the solve first).

    ``with_image=True``: ``apply_A(v)`` returns ``(A v, T v)`` for a linear
    map ``T`` it computes on the way (CGD's ``T u = J_yx H_x^(1/2) u``), and
    ``T x`` is accumulated alongside ``x`` (``T x = T x0 + sum alpha_k T p_k``)
    at no extra product; it is returned as a fourth element (``None`` when
    ``A`` was never applied, i.e. ``x = 0``).

    Returns ``(x, iterations, products)`` (``+ (T x,)``); ``products``
    counts calls of ``apply_A``.

    >>> A = torch.tensor([[4.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
    >>> x, it, _ = conjugate_gradient(lambda v: A @ v, torch.tensor([1.0, 2.0], dtype=torch.float64),
    ...                               x0=torch.tensor([5.0, -5.0], dtype=torch.float64))
    >>> [round(v, 6) for v in x.tolist()]
    [0.090909, 0.636364]
    """
    products = 0
    image = None

    def apply(v):
        out = apply_A(v)
        return out if with_image else (out, None)

    if x0 is None:
        x = torch.zeros_like(b)
        r = b.clone()
    else:
        x = x0.clone()
        Ax, image = apply(x)
        r = b - Ax
        products += 1
    bnorm = float(torch.linalg.vector_norm(b))
    if bnorm == 0.0:
        zero = torch.zeros_like(b)
        if info is not None:
            info.update(residual=0.0, converged=True)
        return (zero, 0, products, None) if with_image else (zero, 0, products)
    p = r.clone()
    rs = r @ r
    it = 0
    target = max(tol * bnorm, float(atol))
    while it < max_iter and math.sqrt(float(rs)) > target:
        Ap, Tp = apply(p)
        products += 1
        alpha = rs / (p @ Ap)
        x = x + alpha * p
        if with_image:
            image = alpha * Tp if image is None else image + alpha * Tp
        r = r - alpha * Ap
        rs_new = r @ r
        p = r + (rs_new / rs) * p
        rs = rs_new
        it += 1
    if info is not None:
        info.update(residual=math.sqrt(float(rs)), converged=math.sqrt(float(rs)) <= target)
    return (x, it, products, image) if with_image else (x, it, products)


class TorchOps:
    """Vector operations on Torch tensors (``eye`` and ``zeros`` are lazy operators)."""

    name = "torch"
    solve_tol = 1e-12

    @staticmethod
    def eye(n):
        return IdentityOp(n)

    @staticmethod
    def zeros(rows, cols):
        return ZeroOp((rows, cols))

    @classmethod
    def solve(cls, M, b):
        """``M^-1 b``: dense solve for tensors; for a :class:`LinOp`, conjugate
        gradients on the normal equations ``M^T M x = M^T b`` (any invertible
        ``M``; CGD's matrix is not symmetric for general-sum games)."""
        if not isinstance(M, LinOp):
            return torch.linalg.solve(M, b)
        return cls.normal_solve(M.mv, M.rmv, b)

    @classmethod
    def normal_solve(cls, mv, rmv, b):
        """``M^-1 b`` for ``M`` given by ``mv = M @ .`` and ``rmv = M.T @ .``: conjugate gradients on
        ``M^T M x = M^T b`` (tolerance :attr:`solve_tol`)."""
        x, _, _ = conjugate_gradient(lambda v: rmv(mv(v)), rmv(b), tol=cls.solve_tol, max_iter=10 * len(b) + 50)
        return x
