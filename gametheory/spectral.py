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
  batched ``eigvals`` (:func:`_grid_radius`) in bounded-memory chunks; every
  point whose largest eigenvalue sits in a cluster (a repeated or
  near-defective eigenvalue) is recomputed on the exact path. Every path is
  tested against the plain one (explicit matrix + ``eigvals`` per point).

Example
-------
>>> import gametheory as gt
>>> g, m = gt.games.bilinear([[1]]), gt.methods.get("gd")
>>> gt.spectral_radius(g, m, eta=sp.Rational(1, 2))
sqrt(5)/2
>>> gt.stability(g, gt.methods.get("gd", order="alternating"), eta=1)
'bounded'
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .derive import PARAM_SYMBOLS, derive
from .exact import UnitCircleReport, charpoly, locate, radius_exact, radius_mp
from .methods import Method
from .validation import ParameterError, exact_number, fail, float_array, is_array

EXACT_FLOAT_MAX_DIM = 40   # above this, float scalars use eigvals with cluster refinement
CLUSTER_TOL = 1e-6         # relative distance under which the top eigenvalues count as a cluster

CONTINUOUS = ("eta_x", "eta_y", "beta", "gamma", "lam", "eta_extrap")


def _check(game, method):
    from .games import Game

    if not isinstance(game, Game):
        fail("game", "a Game (e.g. gametheory.games.bilinear([[1]]))", type(game).__name__)
    if not isinstance(method, Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)


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


def _symbolic(game, method, params, at):
    """The cached derivation with every continuous parameter symbolic."""
    structural = method.structural({k: v for k, v in params.items() if k in method.spec.integer_params})
    extras = {k: PARAM_SYMBOLS[k] for k in ("eta_extrap",) if params.get(k) is not None}
    key = ("derivation", method.key, tuple(sorted(structural.items())), tuple(sorted(extras)),
           None if at is None else tuple(map(str, at)))
    cache = game._cache
    if key not in cache:
        cache[key] = derive(method, game, at=at, two_timescale=True, _bilinear_block=False,
                            **structural, **extras)
    return cache[key]


def continuous_values(method, params, mode: str = "exact") -> dict:
    """The continuous parameters given (``eta_x``, ``beta``, ...) keyed by name, read in ``mode``.

    ``mode`` is that of :meth:`Method.params` (``"exact"`` or ``"float"``;
    floats keep NumPy arrays as arrays).
    """
    p = method.params(params, mode=mode)
    out = {}
    for name in CONTINUOUS:
        val = getattr(p, name, None)
        if val is not None and not isinstance(val, int):
            out[name] = val
    return out


def _values(method, params):
    """Exact parameter values keyed by their symbols."""
    return {PARAM_SYMBOLS[name]: val for name, val in continuous_values(method, params).items()}


def augmented_jacobian(game, method, *, at=None, **params) -> sp.Matrix:
    """The exact augmented Jacobian at an equilibrium for exact parameter values."""
    _check(game, method)
    d = _symbolic(game, method, params, at)
    vals = _values(method, params)
    J = d.jacobian.xreplace(vals)
    leftover = J.free_symbols
    if leftover:
        fail(sorted(map(str, leftover))[0], f"a value (a parameter of {method.name!r})")
    return J.applyfunc(lambda e: sp.nsimplify(e) if e.is_Float else sp.radsimp(e) if not e.is_Rational else e)


def _refined_radius(d, exact_vals) -> float:
    J = d.jacobian.xreplace(exact_vals)
    return float(radius_mp(charpoly(J)))


def spectral_radius(game, method, *, at=None, **params):
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
    _check(game, method)
    mode = _mode(method, params)
    d = _symbolic(game, method, params, at)
    if mode == "exact":
        J = augmented_jacobian(game, method, at=at, **params)
        rep = locate(J)
        return radius_exact(rep.charpoly, rep)
    if mode == "float":
        vals = _values(method, params)
        if len(d.state) <= EXACT_FLOAT_MAX_DIM:
            return _refined_radius(d, vals)
        J = np.array(d.jacobian.xreplace(vals).tolist(), dtype=float)
        return float(_grid_radius(J[None], None, None)[0])
    from .sweep import sweep_radius  # grids: closed forms where they apply, batched eigvals otherwise

    return sweep_radius(game, method, at=at, **params)


def _grid_radius(M, d, flat_vals, syms=None):
    """Radii of a stack of matrices; clustered top eigenvalues are recomputed exactly."""
    return _refine_clusters(*_eig_radius(M), d, flat_vals, syms)


def _eig_radius(M):
    """``(radius, moduli, near)`` of a stack of matrices by batched ``eigvals`` (NumPy only, thread-safe).

    ``near[i, j]``: eigenvalue ``j`` of matrix ``i`` lies in the cluster of the top one.
    """
    ev = np.linalg.eigvals(M)
    mod = np.abs(ev)
    top = np.argmax(mod, axis=-1)
    lead = np.take_along_axis(ev, top[:, None], axis=-1)
    rad = mod.max(axis=-1)
    near = np.abs(ev - lead) <= CLUSTER_TOL * np.maximum(1.0, rad)[:, None]
    return rad, mod, near


def _refine_clusters(rad, mod, near, d, flat_vals, syms=None):
    """Recompute the radius where the top eigenvalue is clustered (exactly when the state is small)."""
    clustered = near.sum(axis=-1) > 1
    if clustered.any():
        idx = np.nonzero(clustered)[0]
        if d is not None and len(d.state) <= EXACT_FLOAT_MAX_DIM:
            for i in idx:
                vals = {s: exact_number(str(s), float(v[i])) for s, v in zip(syms, flat_vals)}
                rad[i] = _refined_radius(d, vals)
        else:
            # the geometric mean of a cluster's moduli is well conditioned
            logs = np.where(near[idx], np.log(np.maximum(mod[idx], 1e-300)), 0.0)
            rad[idx] = np.exp(logs.sum(axis=-1) / near[idx].sum(axis=-1))
    return rad


@dataclass
class StabilityReport:
    """Details behind a :func:`stability` verdict."""

    verdict: str
    radius: sp.Expr
    on_circle: int
    defective: bool
    charpoly: sp.Expr


def stability_report(game, method, *, at=None, **params) -> StabilityReport:
    """The verdict with the exact radius, unit-circle count and characteristic polynomial."""
    _check(game, method)
    for k, v in params.items():
        if is_array(v):
            fail(k, "a single number (stability_report is exact; loop over grids)", "an array")
    J = augmented_jacobian(game, method, at=at, **params)
    rep: UnitCircleReport = locate(J)
    return StabilityReport(rep.verdict, radius_exact(rep.charpoly, rep), rep.on_circle, rep.defective,
                           rep.charpoly.as_expr())


def stability(game, method, *, at=None, **params):
    """``"converges"``, ``"bounded"`` or ``"diverges"``, decided exactly.

    Spectral radius < 1: converges; > 1: diverges; exactly 1: bounded when
    every unit-modulus eigenvalue is semisimple, else diverges (a Jordan block
    on the circle grows polynomially). Floats are read at their exact binary
    value. Array parameters give an array of verdicts (one exact decision per
    point).
    """
    _check(game, method)
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
    return locate(J).verdict


__all__ = ["spectral_radius", "stability", "stability_report", "augmented_jacobian",
           "ParameterError"]
