"""Backends: what an update rule may do with vectors, and how it sees a game.

A method's update rule (see :mod:`gametheory.methods`) is written once against
two small interfaces:

``ops``
    ``ops.eye(n)``, ``ops.zeros(rows, cols)`` and ``ops.solve(M, b)``. Vectors
    and matrices otherwise use ``+``, ``-``, scalar ``*``, ``@`` and ``.T``,
    which SymPy matrices, NumPy arrays and Torch tensors all understand.
``field``
    ``field.v_x(x, y)``, ``field.v_y(x, y)`` (the descent field of each player,
    ``grad_x L_x`` and ``grad_y L_y``), ``field.jac(x, y)`` (the four blocks
    ``J_xx, J_xy, J_yx, J_yy`` of the Jacobian of ``v``) and
    ``field.grad_y_Lx(x, y)`` (the generator's loss differentiated in ``y``,
    used only by the unrolled method).

:class:`SymbolicField` evaluates a :class:`~gametheory.games.Game` on SymPy
column vectors, :class:`NumericField` on NumPy arrays (the expressions are
compiled once with :func:`sympy.lambdify`). The Torch backend lives in
:mod:`gametheory.neural` and implements the same interface with autograd.
"""
from __future__ import annotations

import numpy as np
import sympy as sp


class SymPyOps:
    """Vector operations on SymPy column matrices."""

    name = "sympy"

    @staticmethod
    def eye(n):
        return sp.eye(n)

    @staticmethod
    def zeros(rows, cols):
        return sp.zeros(rows, cols)

    @staticmethod
    def solve(M, b):
        return M.LUsolve(b)


class NumPyOps:
    """Vector operations on NumPy arrays (vectors are 1-D or column stacks)."""

    name = "numpy"

    @staticmethod
    def eye(n):
        return np.eye(n)

    @staticmethod
    def zeros(rows, cols):
        return np.zeros((rows, cols))

    @staticmethod
    def solve(M, b):
        return np.linalg.solve(M, b)


def _blocks(J, nx):
    """Split a Jacobian into ``(J_xx, J_xy, J_yx, J_yy)``."""
    return J[:nx, :nx], J[:nx, nx:], J[nx:, :nx], J[nx:, nx:]


class SymbolicField:
    """The game's field evaluated at SymPy points (column matrices)."""

    def __init__(self, game):
        self.game = game
        self.nx, self.ny = len(game.x), len(game.y)

    def _at(self, expr, x, y):
        mapping = dict(zip(self.game.x, x))
        mapping.update(zip(self.game.y, y))
        return expr.xreplace(mapping)

    def v_x(self, x, y):
        return self._at(self.game.v[: self.nx, 0], x, y)

    def v_y(self, x, y):
        return self._at(self.game.v[self.nx :, 0], x, y)

    def jac(self, x, y):
        return _blocks(self._at(self.game.jacobian, x, y), self.nx)

    def grad_y_Lx(self, x, y):
        return self._at(self.game.grad_y_Lx, x, y)


def lambdify_matrix(M: sp.Matrix, args, modules="numpy"):
    """Compile a SymPy matrix into ``f(*args) -> ndarray`` of shape ``M.shape``.

    Arguments may be arrays; entries broadcast against each other, and the
    result then has shape ``M.shape + broadcast_shape``.
    """
    rows, cols = M.shape
    entries = list(M)
    f = sp.lambdify(args, entries, modules=modules)

    def evaluate(*values):
        vals = f(*values)
        vals = np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in vals])
        out = np.stack(vals, axis=0)
        return out.reshape((rows, cols) + out.shape[1:])

    return evaluate


class NumericField:
    """The game's field evaluated on NumPy vectors.

    For affine fields (bilinear and quadratic games) ``v(z) = J z + c`` is
    evaluated as a matrix product, so vectors may also be column stacks
    ``(n, m)``. Other fields are compiled with :func:`sympy.lambdify`.
    """

    def __init__(self, game):
        self.game = game
        self.nx, self.ny = len(game.x), len(game.y)
        z = list(game.x) + list(game.y)
        self._affine = not game.jacobian.free_symbols & set(z)
        if self._affine:
            self._J = np.array(game.jacobian.tolist(), dtype=float)
            zero = {s: 0 for s in z}
            self._c = np.array([float(e.xreplace(zero)) for e in game.v], dtype=float)
            self._jblocks = _blocks(self._J, self.nx)
        else:
            self._v = lambdify_matrix(game.v, z)
            self._jac = lambdify_matrix(game.jacobian, z)
        self._gyLx = None if game.grad_y_Lx is None else lambdify_matrix(game.grad_y_Lx, z)

    def v(self, x, y):
        if self._affine:
            z = np.concatenate([x, y], axis=0)
            c = self._c if z.ndim == 1 else self._c[:, None]
            out = self._J @ z + c
        else:
            out = self._v(*x, *y)[:, 0]
        return out[: self.nx], out[self.nx :]

    def v_x(self, x, y):
        return self.v(x, y)[0]

    def v_y(self, x, y):
        return self.v(x, y)[1]

    def jac(self, x, y):
        if self._affine:
            return self._jblocks
        return _blocks(self._jac(*x, *y), self.nx)

    def grad_y_Lx(self, x, y):
        if self._gyLx is None:
            self.game._require_losses("grad_y_Lx")
        return self._gyLx(*x, *y)[:, 0]
