"""A two-player Torch game as the field interface of :mod:`gametheory.backends`.

A game between two sets of parameters is given by a closure
``loss_fn(xs, ys)``: ``xs`` and ``ys`` are lists of tensors shaped like each
player's parameters, and it returns ``(L_x, L_y)`` (each player's loss, which
it minimises) or a single tensor ``f`` for a zero-sum game ``min_x max_y f``
(then ``L_x = f`` and ``L_y = -f``). The closure must be a pure function of
its arguments (sample batches outside it, or make it draw them itself when
fresh data per evaluation is wanted), because ``torch.func`` transforms it.

:class:`TorchField` evaluates the descent field ``v = (grad_x L_x, grad_y L_y)``
on *flat* parameter vectors ``x`` and ``y`` (the convention of
:mod:`gametheory.methods`), and gives the Jacobian blocks
``J_xx, J_xy, J_yx, J_yy`` as matrix-free :class:`LinOp` objects: ``J @ w``
is a forward-over-reverse Jacobian-vector product (``torch.func.jvp`` of
``torch.func.grad``) and ``J.T @ u`` a reverse-over-reverse one
(``torch.func.vjp``). Operators compose (``@``), add, subtract and scale
lazily, so the update rules of :mod:`gametheory.methods` (consensus, SGA,
CGD, unrolled) run on networks unchanged; :meth:`TorchOps.solve` solves with
a :class:`LinOp` by conjugate gradients on the normal equations.

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

import math

import torch
from torch.func import grad as fgrad
from torch.func import jvp, vjp

from ..validation import fail
from .linops import LinOp
from .tensors import unflatten

__all__ = ["TorchField", "SecondOrder", "game_closure"]


class TorchField:
    """A two-player game given by a closure, on flat Torch parameter vectors.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(xs, ys) -> (L_x, L_y)`` or ``-> f`` (zero-sum); ``xs``,
        ``ys`` lists of tensors with ``x_shapes``, ``y_shapes``.
    x_shapes, y_shapes : list of tuple
        The shapes of each player's parameter tensors.
    zero_sum : bool, optional
        Declare ``L_y = -L_x`` even when the closure returns a pair (lets CGD
        use conjugate gradients on its symmetric positive definite system).

    Attributes
    ----------
    grad_evals : int
        Player gradients computed (``v_x`` and ``v_y`` count one each).
    hvp_evals : int
        Hessian-vector products (one per Jacobian block product).

    Notes
    -----
    The forward pass and the gradients are cached for the last point (by
    tensor identity), so the simultaneous rules, which ask for ``v_x(x, y)``
    and ``v_y(x, y)`` in turn, run one forward pass; each player's gradient is
    computed only when a rule asks for it.
    """

    def __init__(self, loss_fn, x_shapes, y_shapes, *, zero_sum: bool | None = None):
        if not callable(loss_fn):
            fail("loss_fn", "a callable loss_fn(xs, ys) -> (L_x, L_y) or f", type(loss_fn).__name__)
        self.loss_fn = loss_fn
        self.x_shapes = [tuple(s) for s in x_shapes]
        self.y_shapes = [tuple(s) for s in y_shapes]
        self.nx = sum(math.prod(s) for s in self.x_shapes)
        self.ny = sum(math.prod(s) for s in self.y_shapes)
        self.zero_sum = zero_sum
        self.grad_evals = 0
        self.hvp_evals = 0
        self._key = None
        self._val = None

    # losses on flat vectors
    def losses(self, x, y):
        out = self.loss_fn(unflatten(x, self.x_shapes), unflatten(y, self.y_shapes))
        if isinstance(out, (tuple, list)):
            if len(out) != 2:
                fail("loss_fn", "a pair (L_x, L_y) or one tensor f", f"{len(out)} values")
            return out[0], out[1], bool(self.zero_sum)
        if self.zero_sum is False:
            fail("loss_fn", "a pair (L_x, L_y) for a general-sum game", "one tensor")
        self.zero_sum = True
        return out, -out, True

    def L_x(self, x, y):
        return self.losses(x, y)[0]

    def L_y(self, x, y):
        return self.losses(x, y)[1]

    # the descent field
    def _point(self, x, y):
        """The forward pass at ``(x, y)`` (cached for the last point, by tensor identity)."""
        if self._key is not None and self._key[0] is x and self._key[1] is y:
            return self._val
        with torch.enable_grad():
            xr = x.detach().requires_grad_(True)
            yr = y.detach().requires_grad_(True)
            Lx, Ly, zero_sum = self.losses(xr, yr)
        self._key, self._val = (x, y), {"xr": xr, "yr": yr, "Lx": Lx, "Ly": Ly, "zs": zero_sum}
        return self._val

    def _grad(self, e, who):
        if who == "gx" and who not in e and "gy" not in e and e["zs"]:  # one backward pass gives both
            with torch.enable_grad():
                gx, gy = torch.autograd.grad(e["Lx"], (e["xr"], e["yr"]), retain_graph=True, allow_unused=True,
                                             materialize_grads=True)
            e["gx"], e["gy"] = gx.detach(), -gy.detach()
            self.grad_evals += 2
        if who not in e:
            with torch.enable_grad():
                if who == "gx":
                    (g,) = torch.autograd.grad(e["Lx"], e["xr"], retain_graph=True, allow_unused=True,
                                               materialize_grads=True)
                elif e["zs"]:  # L_y = -L_x: differentiate the one loss
                    (g,) = torch.autograd.grad(e["Lx"], e["yr"], retain_graph=True, allow_unused=True,
                                               materialize_grads=True)
                    g = -g
                else:
                    (g,) = torch.autograd.grad(e["Ly"], e["yr"], retain_graph=True, allow_unused=True,
                                               materialize_grads=True)
            e[who] = g.detach()
            self.grad_evals += 1
        return e[who]

    def v(self, x, y):
        """``(grad_x L_x, grad_y L_y)`` at ``(x, y)`` (zero-sum: one backward pass for both)."""
        e = self._point(x, y)
        if e["zs"] and "gx" not in e and "gy" not in e:
            with torch.enable_grad():
                gx, gy = torch.autograd.grad(e["Lx"], (e["xr"], e["yr"]), retain_graph=True, allow_unused=True,
                                             materialize_grads=True)
            e["gx"], e["gy"] = gx.detach(), -gy.detach()
            self.grad_evals += 2
        return self._grad(e, "gx"), self._grad(e, "gy")

    def v_x(self, x, y):
        return self._grad(self._point(x, y), "gx")

    def v_y(self, x, y):
        return self._grad(self._point(x, y), "gy")

    # gradient maps for torch.func
    def _gx(self, x, y):
        return fgrad(lambda xx: self.L_x(xx, y))(x)

    def _gy(self, x, y):
        return fgrad(lambda yy: self.L_y(x, yy))(y)

    def grad_y_Lx(self, x, y):
        """``grad_y L_x`` (used by the unrolled rule)."""
        self.grad_evals += 1
        return fgrad(lambda yy: self.L_x(x, yy))(y).detach()

    # Jacobian-vector products (forward over reverse) and transposed (reverse over reverse)
    def _jvp(self, g, at, direction):
        self.hvp_evals += 1
        return jvp(g, (at,), (direction,))[1].detach()

    def _vjp(self, g, at, cot):
        self.hvp_evals += 1
        return vjp(g, at)[1](cot)[0].detach()

    def jxx_mv(self, x, y, u):
        return self._jvp(lambda xx: self._gx(xx, y), x, u)

    def jxy_mv(self, x, y, w):
        return self._jvp(lambda yy: self._gx(x, yy), y, w)

    def jyx_mv(self, x, y, u):
        return self._jvp(lambda xx: self._gy(xx, y), x, u)

    def jyy_mv(self, x, y, w):
        return self._jvp(lambda yy: self._gy(x, yy), y, w)

    def jxx_rmv(self, x, y, a):
        return self._vjp(lambda xx: self._gx(xx, y), x, a)

    def jxy_rmv(self, x, y, a):
        return self._vjp(lambda yy: self._gx(x, yy), y, a)

    def jyx_rmv(self, x, y, b):
        return self._vjp(lambda xx: self._gy(xx, y), x, b)

    def jyy_rmv(self, x, y, b):
        return self._vjp(lambda yy: self._gy(x, yy), y, b)

    def jac_T_v(self, x, y, a, b):
        """``J^T (a, b)`` in one reverse-over-reverse pass (two player Hessian products)."""
        self.hvp_evals += 2
        _, pull = vjp(lambda xx, yy: (self._gx(xx, yy), self._gy(xx, yy)), x, y)
        gx, gy = pull((a, b))
        return gx.detach(), gy.detach()

    def jac_v(self, x, y, u, w):
        """``J (u, w)`` in one forward-over-reverse pass (two player Hessian products)."""
        self.hvp_evals += 2
        _, (jx, jy) = jvp(lambda xx, yy: (self._gx(xx, yy), self._gy(xx, yy)), (x, y), (u, w))
        return jx.detach(), jy.detach()

    def second_order(self, x, y) -> "SecondOrder":
        """Gradients at ``(x, y)`` with their graph kept, for many cheap Hessian-vector products."""
        so = SecondOrder(self, x, y)
        self.grad_evals += 2
        return so

    def jac(self, x, y):
        """The blocks ``(J_xx, J_xy, J_yx, J_yy)`` of ``J = dv/dz`` at ``(x, y)``, as :class:`LinOp`."""
        nx, ny = self.nx, self.ny
        return (LinOp((nx, nx), lambda u: self.jxx_mv(x, y, u), lambda a: self.jxx_rmv(x, y, a)),
                LinOp((nx, ny), lambda w: self.jxy_mv(x, y, w), lambda a: self.jxy_rmv(x, y, a)),
                LinOp((ny, nx), lambda u: self.jyx_mv(x, y, u), lambda b: self.jyx_rmv(x, y, b)),
                LinOp((ny, ny), lambda w: self.jyy_mv(x, y, w), lambda b: self.jyy_rmv(x, y, b)))


def game_closure(game, dtype=None):
    """A Torch closure for a :class:`~gametheory.games.Game` with losses (for tests and toys).

    Uses :func:`sympy.lambdify` with the ``torch`` module; ``xs``/``ys`` are
    one flat tensor per player.

    >>> import gametheory as gt
    >>> fn = game_closure(gt.games.bilinear([[2]]))
    >>> Lx, Ly = fn([torch.tensor([1.0])], [torch.tensor([3.0])])
    >>> float(Lx), float(Ly)
    (6.0, -6.0)
    """
    import sympy as sp

    if game.L_x is None or game.L_y is None:
        fail("game", "a game with losses (f or L_x, L_y)", game.name)
    args = list(game.x) + list(game.y)
    fx = sp.lambdify(args, game.L_x, modules="torch")
    fy = sp.lambdify(args, game.L_y, modules="torch")

    def loss_fn(xs, ys):
        vals = list(xs[0].unbind(0)) + list(ys[0].unbind(0))
        lx, ly = fx(*vals), fy(*vals)
        ref = xs[0]
        lx = lx if isinstance(lx, torch.Tensor) else torch.as_tensor(lx, dtype=ref.dtype, device=ref.device)
        ly = ly if isinstance(ly, torch.Tensor) else torch.as_tensor(ly, dtype=ref.dtype, device=ref.device)
        return lx, ly

    return loss_fn


class SecondOrder:
    """Both players' gradients at one point, differentiable (``create_graph=True``).

    Every Jacobian-vector product is then one reverse pass through the kept
    double graph (no new forward pass): with ``g_ab = grad_b L_a``,

    * ``J_xy w = grad_x <g_xy, w>``, ``J_yx u = grad_y <g_yx, u>``
      (mixed partials commute), ``J_xy^T a = grad_y <g_xx, a>``,
      ``J_yx^T b = grad_x <g_yy, b>``;
    * ``J^T (a, b) = grad_z (<g_xx, a> + <g_yy, b>)``;
    * ``J (u, w) = (grad_x (<g_xx, u> + <g_xy, w>), grad_y (<g_yx, u> + <g_yy, w>))``.

    Zero-sum games need one differentiable backward pass (``g_xy = -g_yy``,
    ``g_yx = -g_xx``); general-sum games two. Measured on the 4-Gaussian GAN
    (CPU), a product costs about a third of a forward-over-reverse
    ``torch.func.jvp`` of ``torch.func.grad``, which recomputes the forward
    and backward passes for every product.

    ``vx``, ``vy``: the field values (detached).
    """

    def __init__(self, field, x, y):
        self.field = field
        with torch.enable_grad():
            self.xr = x.detach().requires_grad_(True)
            self.yr = y.detach().requires_grad_(True)
            Lx, Ly, zs = field.losses(self.xr, self.yr)
            kw = dict(create_graph=True, allow_unused=True, materialize_grads=True)
            if zs:
                fx, fy = torch.autograd.grad(Lx, (self.xr, self.yr), **kw)
                self.g_xx, self.g_xy, self.g_yx, self.g_yy = fx, fy, -fx, -fy
            else:
                self.g_xx, self.g_xy = torch.autograd.grad(Lx, (self.xr, self.yr), retain_graph=True, **kw)
                self.g_yx, self.g_yy = torch.autograd.grad(Ly, (self.xr, self.yr), **kw)
        self.vx, self.vy = self.g_xx.detach(), self.g_yy.detach()

    def _d(self, out, wrt, count=1):
        self.field.hvp_evals += count
        with torch.enable_grad():
            g = torch.autograd.grad(out, wrt, retain_graph=True, allow_unused=True, materialize_grads=True)
        return tuple(t.detach() for t in g)

    def jxy_mv(self, w):
        return self._d(self.g_xy @ w, (self.xr,))[0]

    def jyx_mv(self, u):
        return self._d(self.g_yx @ u, (self.yr,))[0]

    def jxy_rmv(self, a):
        return self._d(self.g_xx @ a, (self.yr,))[0]

    def jyx_rmv(self, b):
        return self._d(self.g_yy @ b, (self.xr,))[0]

    def jac_T_v(self, a, b):
        return self._d(self.g_xx @ a + self.g_yy @ b, (self.xr, self.yr), count=2)

    def jac_v(self, u, w):
        (jx,) = self._d(self.g_xx @ u + self.g_xy @ w, (self.xr,))
        (jy,) = self._d(self.g_yx @ u + self.g_yy @ w, (self.yr,))
        return jx, jy
