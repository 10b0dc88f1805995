"""Spectral radius and stability verdicts of a method's augmented Jacobian.

Three paths, one answer:

* **exact** (all parameters exact: ints, SymPy numbers, strings): the
  augmented Jacobian is exact, its characteristic polynomial is computed over
  QQ or a real algebraic field, and the radius is returned as a SymPy number.
  :func:`stability` always takes this path (floats are read at their exact
  binary value, see :mod:`gametheory.validation`).
* **float scalar** (some parameter a Python float): the same exact polynomial,
  rooted with mpmath at 50 digits, returned as a float. Repeated and defective
  eigenvalues keep full double precision (``numpy.linalg.eigvals`` would lose
  half the digits there).
* **grid** (some parameter a NumPy array; arrays broadcast like NumPy): the
  sweep engine, :func:`gametheory.sweep.sweep_radius`: closed forms for
  special structures, else the Jacobian compiled with ``lambdify`` and
  batched ``eigvals`` (:mod:`gametheory.sweep.general`) in bounded-memory chunks; every
  point whose largest eigenvalue sits in a cluster (a repeated or
  near-defective eigenvalue) is recomputed on the exact path. Every path is
  tested against the plain one (explicit matrix + ``eigvals`` per point).

Examples
--------
>>> import gametheory as gt
>>> g, m = gt.games.bilinear([[1]]), gt.methods.get("gd")
>>> gt.spectral_radius(g, m, eta=sp.Rational(1, 2))
sqrt(5)/2
>>> gt.stability(g, gt.methods.get("gd", order="alternating"), eta=1)
'bounded'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from .derive import PARAM_SYMBOLS, check_game_method, symbolic_derivation
from .exact import UnitCircleReport, locate, radius_exact
from .sweep import sweep_radius
from .sweep.general import EXACT_FLOAT_MAX_DIM, eig_radius, refine_clusters, refined_radius
from .validation import ParameterError, fail, float_array, is_array

if TYPE_CHECKING:
    from .games import Game
    from .methods import Method


def _mode(method, params) -> str:
    """``"array"`` if any parameter is an array, ``"float"`` if any is a float, else ``"exact"``."""
    has_array = any(is_array(v) for v in params.values())
    method.params(params, mode="float" if has_array else "exact")  # validates names and values
    kinds = set()
    for k, v in params.items():
        if k in method.spec.integer_params:
            continue
        if is_array(v):
            kinds.add("array")
        elif isinstance(v, (float, np.floating)):
            kinds.add("float")
    return "array" if "array" in kinds else ("float" if "float" in kinds else "exact")


def _values(method, params):
    """Exact parameter values keyed by their symbols."""
    return {PARAM_SYMBOLS[name]: val for name, val in method.continuous_values(params).items()}


def augmented_jacobian(game: Game, method: Method, *, at=None, **params: Any) -> sp.Matrix:
    """The exact augmented Jacobian at an equilibrium for exact parameter values."""
    check_game_method(game, method)
    d = symbolic_derivation(game, method, params, at)
    vals = _values(method, params)
    J = d.jacobian.xreplace(vals)
    leftover = J.free_symbols
    if leftover:
        fail(sorted(map(str, leftover))[0], f"a value (a parameter of {method.name!r})")
    return J.applyfunc(lambda e: sp.nsimplify(e) if e.is_Float else sp.radsimp(e) if not e.is_Rational else e)


def spectral_radius(game: Game, method: Method, *, at=None, **params: Any) -> sp.Expr | float | np.ndarray:
    """Spectral radius of the method's augmented Jacobian at an equilibrium.

    Parameters
    ----------
    game : Game
    method : Method
    at : tuple, optional
        The equilibrium (default: the game's first).
    **params
        ``eta`` (or ``eta_x``, ``eta_y``), ``beta``, ``gamma``, ``lam``, ``k``,
        ``n``, ``eta_extrap``: exact numbers, floats, or NumPy arrays.

    Returns
    -------
    sympy.Expr, float or numpy.ndarray
        Exact for exact inputs, a float for scalar floats, an array (the
        broadcast shape of the array parameters) for grids.
    """
    check_game_method(game, method)
    mode = _mode(method, params)
    d = symbolic_derivation(game, method, params, at)
    if mode == "exact":
        J = augmented_jacobian(game, method, at=at, **params)
        rep = locate(J)
        return radius_exact(rep.charpoly, rep)
    if mode == "float":
        vals = _values(method, params)
        if len(d.state) <= EXACT_FLOAT_MAX_DIM:
            return refined_radius(d, vals)
        J = np.array(d.jacobian.xreplace(vals).tolist(), dtype=float)
        return float(refine_clusters(*eig_radius(J[None]), None, None)[0])
    # grids: closed forms where they apply, batched eigvals otherwise
    return sweep_radius(game, method, at=at, **params)


#: The verdict of :func:`stability` for a nonlinear game whose linearisation leaves it open.
UNDECIDED = "undecided"


@dataclass
class StabilityReport:
    """Details behind a :func:`stability` verdict.

    Attributes
    ----------
    verdict : str
        ``"converges"``, ``"bounded"``, ``"diverges"``, or ``"undecided"``
        (a non-affine game whose linearisation has eigenvalues on the unit
        circle and none outside: see :func:`stability`). Always equal to
        :func:`stability`'s answer.
    radius : sympy.Expr
        The exact spectral radius of the augmented Jacobian.
    on_circle : int
        Unit-modulus eigenvalues, with multiplicity.
    defective : bool
        Some unit-modulus eigenvalue is defective (a Jordan block > 1).
    charpoly : sympy.Expr
        The characteristic polynomial of the augmented Jacobian, in ``mu``.
    linear_verdict : str
        The verdict of the linearised method, :func:`gametheory.exact.locate`
        on the augmented Jacobian (``"converges"``, ``"bounded"`` or
        ``"diverges"``). For affine games (bilinear, quadratic) the
        linearisation is the method's map, and it equals ``verdict``.
    decided : bool
        Whether the linear analysis decides the stability of the method on
        this game (False exactly when ``verdict`` is ``"undecided"``).
    note : str
        Why, in words, when ``decided`` is False.
    """

    verdict: str
    radius: sp.Expr
    on_circle: int
    defective: bool
    charpoly: sp.Expr
    linear_verdict: str = ""
    decided: bool = True
    note: str = ""


def _verdict(game: Game, rep: UnitCircleReport) -> tuple:
    """``(verdict, decided, note)``: the linear verdict, or "undecided" where it does not carry over.

    Radius < 1 gives local asymptotic stability and an eigenvalue outside the
    circle instability for any smooth map (the linearisation theorems); at a
    non-hyperbolic fixed point (eigenvalues on the circle, none outside) the
    nonlinear terms decide, unless the game is affine and the map is its own
    linearisation.
    """
    if rep.verdict == "converges" or rep.outside or game.is_affine:
        return rep.verdict, True, ""
    note = (f"the linearisation has {rep.on_circle} eigenvalue(s) on the unit circle and none outside "
            f"(a non-hyperbolic fixed point; the linear map alone is {rep.verdict!r}): on a nonlinear game the "
            "linear analysis does not decide stability, the higher-order terms do (centre-manifold analysis "
            "or simulation)")
    return UNDECIDED, False, note


def stability_report(game: Game, method: Method, *, at=None, **params: Any) -> StabilityReport:
    """The verdict with the exact radius, unit-circle count and characteristic polynomial.

    Parameters
    ----------
    game : Game
    method : Method
    at : tuple, optional
        The equilibrium (default: the game's first).
    **params
        Exact numbers or Python floats (read at their binary value); no arrays.

    Returns
    -------
    StabilityReport
        ``verdict`` is :func:`stability`'s; ``linear_verdict`` the linearised
        method's, ``decided`` and ``note`` say whether the first follows from
        the second.

    Examples
    --------
    >>> import gametheory as gt
    >>> rep = gt.stability_report(gt.games.from_expression("x**2*y - y**2"), gt.methods.get("gd"), eta="1/10")
    >>> rep.charpoly, rep.linear_verdict, rep.verdict
    (mu**2 - 9*mu/5 + 4/5, 'bounded', 'undecided')
    """
    check_game_method(game, method)
    for k, v in params.items():
        if is_array(v):
            fail(k, "a single number (stability_report is exact; loop over grids)", "an array")
    J = augmented_jacobian(game, method, at=at, **params)
    rep: UnitCircleReport = locate(J)
    verdict, decided, note = _verdict(game, rep)
    return StabilityReport(verdict, radius_exact(rep.charpoly, rep), rep.on_circle, rep.defective,
                           rep.charpoly.as_expr(), linear_verdict=rep.verdict, decided=decided, note=note)


def stability(game: Game, method: Method, *, at=None, **params: Any) -> str | np.ndarray:
    """``"converges"``, ``"bounded"``, ``"diverges"`` or ``"undecided"``, decided exactly.

    The verdict of the method's augmented Jacobian at an equilibrium:
    spectral radius < 1: converges; > 1: diverges; exactly 1: bounded when
    every unit-modulus eigenvalue is semisimple, else diverges (a Jordan block
    on the circle grows polynomially). That is the whole answer for affine
    games (bilinear, quadratic), whose update map is its own linearisation.
    For a nonlinear game the linearisation decides radius < 1 (locally
    convergent) and an eigenvalue outside the circle (unstable), but at a
    non-hyperbolic equilibrium (eigenvalues on the circle, none outside) it
    does not: the verdict is then ``"undecided"``
    (:func:`stability_report` gives the linear verdict and the reason).
    Floats are read at their exact binary value. Array parameters give an
    array of verdicts (one exact decision per point).

    Examples
    --------
    >>> import gametheory as gt
    >>> gd = gt.methods.get("gd")
    >>> gt.stability(gt.games.bilinear([[1]]), gt.methods.get("gd", order="alternating"), eta=1)
    'bounded'
    >>> gt.stability(gt.games.from_expression("x**2*y - y**2"), gd, eta="1/10")
    'undecided'
    """
    check_game_method(game, method)
    arrays = {k: v for k, v in params.items() if is_array(v)}
    if arrays:
        shaped = np.broadcast_arrays(*[float_array(k, v) for k, v in arrays.items()])
        out = np.empty(shaped[0].shape, dtype=object)
        for idx in np.ndindex(out.shape):
            point = dict(params)
            point.update({k: float(a[idx]) for k, a in zip(arrays, shaped)})
            out[idx] = stability(game, method, at=at, **point)
        return out
    J = augmented_jacobian(game, method, at=at, **params)
    return _verdict(game, locate(J))[0]


__all__ = ["spectral_radius", "stability", "stability_report", "augmented_jacobian", "StabilityReport",
           "UNDECIDED", "ParameterError"]
