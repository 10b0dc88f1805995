"""The augmented Jacobian as a matrix, without symbols: the method's rule run on the game's linear part.

At an equilibrium ``z*`` every method's augmented Jacobian depends on the game
only through ``J = Dv(z*)`` (and, for the unrolled method, the linear part
``H`` of ``grad_y L_x``), because the rules are built from evaluations of
``v``, products with ``J`` and solves with matrices made of ``J``. So the
method's update rule, run on the *linear* field ``v(z) = J z`` with the state
basis vectors as inputs (column stacks), returns the augmented Jacobian
itself: ``M = F(I)`` (``F`` is linear there). Two backends:

* exact: FLINT rational matrices (:class:`gametheory.rational.RationalMatrix`),
  for rational ``J`` and parameters (floats at their binary value);
* float: NumPy.

This is the same rule that :func:`gametheory.derive` runs on SymPy symbols,
so the two agree entry by entry (tested); it costs a few matrix products
instead of a symbolic derivation. The exception is the unrolled method on a
general-sum game that is not affine, whose Jacobian also sees third
derivatives of ``L_x``: :func:`linear_part` refuses it (:class:`NotLinearizable`)
and the callers derive symbolically.

Example
-------
>>> import gametheory as gt
>>> M = augmented_matrix(gt.games.bilinear([[1]]), gt.methods.get("gd"), {"eta": "1/2"})
>>> to_sympy_matrix(M).tolist()
[[1, -1/2], [1/2, 1]]
"""
from __future__ import annotations

from dataclasses import dataclass

import flint
import numpy as np
import sympy as sp

from .backends import NumPyOps
from .methods import BLOCK_PLAYER
from .rational import RationalMatrix, RationalOps, rational_matrix, submatrix, to_float_array, to_fmpq, \
    to_sympy_matrix, vstack

__all__ = ["LinearPart", "linear_part", "augmented_matrix", "NotLinearizable", "NotRational", "to_sympy_matrix"]


class NotLinearizable(Exception):
    """The method's Jacobian on this game is not a function of ``J`` (and ``H``) alone."""


class NotRational(Exception):
    """An entry of ``J`` or a parameter is not rational (an algebraic number or a symbol)."""


@dataclass
class LinearPart:
    """The game at an equilibrium, to first order.

    Attributes
    ----------
    nx, ny : int
    J : sympy.Matrix
        Exact ``Dv(z*)`` (SymPy; built lazily for matrix games, see :meth:`exact`).
    H : sympy.Matrix or None
        Exact ``D grad_y L_x (z*)`` (``ny x n``); None for vector fields.
    """

    nx: int
    ny: int
    _J: object = None          # fmpq_mat or sympy.Matrix
    _H: object = None
    _float: tuple | None = None

    def exact(self):
        """``(J, H)`` as ``fmpq_mat`` (H may be None), or raise :class:`NotRational`."""
        J, H = rational_matrix(self._J), (None if self._H is None else rational_matrix(self._H))
        if J is None or (self._H is not None and H is None):
            raise NotRational("the game's Jacobian at the equilibrium is not rational")
        self._J, self._H = J, H
        return J, H

    def numeric(self):
        """``(J, H)`` as float arrays."""
        if self._float is None:
            self._float = tuple(None if m is None else _as_float(m) for m in (self._J, self._H))
        return self._float

    @property
    def J(self) -> sp.Matrix:
        return self._J if isinstance(self._J, sp.MatrixBase) else to_sympy_matrix(self._J)


def _as_float(m):
    if isinstance(m, flint.fmpq_mat):
        return to_float_array(m)
    return np.array(sp.Matrix(m).evalf(30).tolist(), dtype=float)


def _hstack(a, b):
    """``[a, b]`` of two ``fmpq_mat`` with equal row counts."""
    rows = a.nrows()
    ta, tb = a.tolist(), b.tolist()
    return flint.fmpq_mat(rows, a.ncols() + b.ncols(), [e for i in range(rows) for e in ta[i] + tb[i]])


def linear_part(game, at=None, method=None) -> LinearPart:
    """``J`` (and ``H``) of ``game`` at an equilibrium, exact; cached on the game.

    Matrix games read their blocks (``J = [[P, A], [-A^T, Q]]``,
    ``H = [A^T, -Q]``) without symbolic work. ``method`` is checked: the
    unrolled method on a general-sum game that is not affine raises
    :class:`NotLinearizable`.
    """
    nx, ny = len(game.x), len(game.y)
    if method is not None and method.name == "unrolled" and not game.zero_sum and not game.is_affine:
        raise NotLinearizable("unrolled on a general-sum game that is not affine sees third derivatives")
    key = ("linear-part", None if at is None else tuple(map(str, at)))
    if key in game._cache:
        return game._cache[key]
    if game.matrices is not None:
        m = game.matrices
        P, A, Q = m["P"], m["A"], m["Q"]
        At = A.transpose()
        J = vstack([_hstack(P, A), _hstack(-At, Q)])
        H = _hstack(At, -Q)
        if at is not None:
            game.equilibrium(at)  # validates the point (J is the same everywhere)
    else:
        pt = game.equilibrium(at)
        z = game.x + game.y
        J = game.jacobian_at(at)
        H = None
        if game.grad_y_Lx is not None:
            if game.zero_sum:
                H = -J[nx:, :]
            else:
                H = game.grad_y_Lx.jacobian(sp.Matrix(z)).xreplace(dict(zip(z, pt)))
        J = J.applyfunc(lambda e: sp.nsimplify(e) if e.is_Float else e)
    lp = LinearPart(nx, ny, J, H)
    game._cache[key] = lp
    return lp


class LinearField:
    """The linear field ``v(z) = J z`` on a matrix backend (blocks of ``J`` and ``H`` precomputed)."""

    def __init__(self, J, H, nx, ny, wrap):
        n = nx + ny
        if isinstance(J, flint.fmpq_mat):
            def blk(M, r, c):
                return wrap(submatrix(M, r, c))
        else:
            def blk(M, r, c):
                return wrap(np.ascontiguousarray(M[r, c]))
        X, Y = slice(0, nx), slice(nx, n)
        self.nx, self.ny = nx, ny
        self._blocks = (blk(J, X, X), blk(J, X, Y), blk(J, Y, X), blk(J, Y, Y))
        self._H = None if H is None else (blk(H, slice(0, ny), X), blk(H, slice(0, ny), Y))

    def v_x(self, x, y):
        Jxx, Jxy, _, _ = self._blocks
        return Jxx @ x + Jxy @ y

    def v_y(self, x, y):
        _, _, Jyx, Jyy = self._blocks
        return Jyx @ x + Jyy @ y

    def jac(self, x, y):
        return self._blocks

    def grad_y_Lx(self, x, y):
        if self._H is None:
            raise NotLinearizable("the unrolled method needs the players' losses")
        Hx, Hy = self._H
        return Hx @ x + Hy @ y


def _state_sizes(method, nx, ny):
    return [nx if BLOCK_PLAYER[k] == "x" else ny for k in method.state_keys]


def _exact_params(method, params):
    p = method.params(params, mode="exact")
    for name, val in vars(p).items():
        if val is None or isinstance(val, int) or name in method.spec.integer_params:
            continue
        q = to_fmpq(val)
        if q is None:
            raise NotRational(f"parameter {name!r} = {val} is not rational")
        setattr(p, name, q)
    return p


def augmented_matrix(game, method, params: dict, at=None, *, exact: bool = True):
    """The augmented Jacobian of ``method`` on ``game`` at exact or float parameter values.

    Parameters
    ----------
    game, method
    params : dict
        Parameter values (numbers; floats are read at their binary value when
        ``exact``).
    exact : bool
        True: an ``fmpq_mat`` (raises :class:`NotRational` when ``J`` or a
        parameter is irrational); False: a float ``ndarray``.
    """
    lp = linear_part(game, at, method)
    nx, ny = lp.nx, lp.ny
    sizes = _state_sizes(method, nx, ny)
    N = sum(sizes)
    offsets = np.cumsum([0] + sizes)
    if exact:
        J, H = lp.exact()
        p = _exact_params(method, params)
        ops, wrap = RationalOps, RationalMatrix
        eye = RationalOps.eye(N).m
        blocks = {k: RationalMatrix(submatrix(eye, slice(offsets[i], offsets[i + 1]), slice(0, N)))
                  for i, k in enumerate(method.state_keys)}
    else:
        J, H = lp.numeric()
        p = method.params(params, mode="float")
        ops, wrap = NumPyOps, (lambda a: a)
        eye = np.eye(N)
        blocks = {k: eye[offsets[i]:offsets[i + 1]] for i, k in enumerate(method.state_keys)}
    field = LinearField(J, H, nx, ny, wrap)
    new = method.step(blocks, field, p, ops)
    if exact:
        return vstack([new[k].m for k in method.state_keys])
    return np.concatenate([np.asarray(new[k], dtype=float) for k in method.state_keys], axis=0)
