"""Optimal hyperparameters: the step size / momentum that minimise the spectral radius.

The worst-case linear rate of a method on a bilinear game with singular values
in ``[sigma_min, sigma_max]`` (or on any game with a given spectrum of ``J``)
is ``rho(params) = max_sigma rho_sigma(params)``. :func:`optimal_parameters`
minimises it: a grid evaluated with the fast sweep engine
(:mod:`gametheory.sweep`) seeds ``scipy.optimize.minimize`` (Nelder-Mead with
bounds), and the optimum is re-checked on a denser sample of the range.

Reference: the optimal-momentum question of Gidel et al. (AISTATS 2019),
Sec. 5, and the optimal-parameter tables of Zhang & Yu (ICLR 2020).

Examples
--------
>>> import gametheory as gt
>>> r = optimal_parameters(gt.methods.get("eg"), sigma_range=(1, 1), params=("eta",), grid=64)
>>> round(r["radius"], 6)        # sqrt(3)/2 at eta = 1/sqrt(2)
0.866025
"""
from __future__ import annotations

import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.derive import MU, S
from gametheory.sweep import sweep_radius
from gametheory.validation import fail

__all__ = ["optimal_parameters", "worst_case_radius", "eg_optimum_exact", "optimal_examples"]



def _bounds(method, name, sigma_max):
    """The search range of parameter ``name`` from the method's spec: its ``search`` bounds, or for
    step-like (nonnegative) parameters ``(1e-6, 3 / sigma_max]``."""
    q = method.spec.param(name)
    if q.search is not None:
        return tuple(q.search)
    if q.nonnegative:
        return (1e-6, 3.0 / sigma_max)
    fail("bounds", f"a search range for {name!r} (it has no default range)")


def _range_game(sigma_range, n_sigma):
    lo, hi = (float(v) for v in sigma_range)
    if not (0 < lo <= hi):
        fail("sigma_range", "(sigma_min, sigma_max) with 0 < sigma_min <= sigma_max", sigma_range)
    sig = np.unique(np.linspace(lo, hi, n_sigma if hi > lo else 1))
    return gt.games.bilinear(sp.diag(*[sp.nsimplify(v, rational=True) for v in sig]))


def worst_case_radius(method, sigma_range, n_sigma: int = 33, **params):
    """``max_sigma rho`` over ``n_sigma`` equally spaced singular values (arrays broadcast)."""
    return sweep_radius(_range_game(sigma_range, n_sigma), method, **params)


def optimal_parameters(method, *, sigma_range=(1, 1), params=("eta", "beta"), bounds=None, grid: int = 64,
                       n_sigma: int = 17, check_sigma: int = 201, fixed=None, seed: int = 0,
                       maxiter: int = 500) -> dict:
    """Minimise the worst-case spectral radius of ``method`` on bilinear games.

    Parameters
    ----------
    method : Method
    sigma_range : (float, float)
        Singular values of ``A`` range over ``[sigma_min, sigma_max]``.
    params : tuple of str
        The parameters optimised (``eta`` and e.g. ``beta``).
    bounds : dict, optional
        ``name -> (lo, hi)``; by default the ``search`` range of the
        parameter's spec (``beta``: ``(-0.999, 0.999)``), and for step-like
        parameters (``eta``, ``alpha``, ...) ``(0, 3 / sigma_max]``.
    grid : int
        Grid points per parameter for the seed.
    n_sigma, check_sigma : int
        Singular values sampled during the search / for the final check.
    fixed : dict, optional
        Other parameters held fixed.
    seed : int
        Seeds the optimiser's initial simplex perturbation.

    Returns
    -------
    dict
        ``params`` (optimum), ``radius`` (at the optimum, on the search
        sample), ``radius_check`` (dense sample), ``grid_best`` (the seed),
        ``success``.
    """
    from scipy.optimize import minimize

    hi_sigma = float(sigma_range[1])
    bounds = dict(bounds or {})
    bnds = {p: tuple(bounds[p]) if p in bounds else _bounds(method, p, hi_sigma) for p in params}
    game = _range_game(sigma_range, n_sigma)
    fixed = {k: float(v) for k, v in (fixed or {}).items()}
    axes = [np.linspace(*bnds[p], grid) for p in params]
    mesh = np.meshgrid(*axes, indexing="ij")
    R = sweep_radius(game, method, **{p: m for p, m in zip(params, mesh)}, **fixed)
    i = np.unravel_index(np.argmin(R), R.shape)
    start = np.array([a[j] for a, j in zip(axes, i)])

    def f(x):
        return float(sweep_radius(game, method, **{p: np.array([v]) for p, v in zip(params, x)}, **fixed)[0])

    rng = np.random.default_rng(seed)
    step = np.array([(bnds[p][1] - bnds[p][0]) / grid for p in params])
    simplex = [start] + [np.clip(start + step * (np.eye(len(params))[k] + 0.1 * rng.normal(size=len(params))),
                                 [bnds[p][0] for p in params], [bnds[p][1] for p in params])
                         for k in range(len(params))]
    res = minimize(f, start, method="Nelder-Mead", bounds=[bnds[p] for p in params],
                   options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": int(maxiter), "initial_simplex": np.array(simplex)})
    best = res.x if res.fun <= R[i] else start
    dense = _range_game(sigma_range, check_sigma)
    check = float(sweep_radius(dense, method, **{p: np.array([v]) for p, v in zip(params, best)}, **fixed)[0])
    return {"method": method.name, "order": method.order, "sigma_range": [float(v) for v in sigma_range],
            "params": {p: float(v) for p, v in zip(params, best)}, "radius": float(min(res.fun, R[i])),
            "radius_check": check, "grid_best": {"params": {p: float(v) for p, v in zip(params, start)},
                                                 "radius": float(R[i])},
            "success": bool(res.success), "fixed": fixed}


def eg_optimum_exact():
    """Simultaneous EG on one singular value: the exact optimal ``s`` and rate.

    Derived from EG's reduced polynomial ``mu^2 + (2 s^2 - 2) mu + s^4 - s^2 + 1``:
    for ``0 < s`` the roots are complex (discriminant ``-4 s^2``), so
    ``rho^2 = s^4 - s^2 + 1``, minimal at ``s^2 = 1/2``: ``rho = sqrt(3)/2``.
    """
    d = gt.derive(gt.games.bilinear([[1]]), gt.methods.get("eg"))
    p = sp.Poly(d.reduced_charpoly, MU)
    c2, c1, c0 = p.all_coeffs()
    disc = sp.factor(c1 ** 2 - 4 * c2 * c0)
    rho2 = sp.simplify(c0 / c2)  # complex pair: |mu|^2 = product of the roots
    crit = [r for r in sp.solve(sp.diff(rho2, S), S) if r.is_positive]
    best = min(crit, key=lambda r: rho2.subs(S, r))
    return {"discriminant": str(disc), "rho_squared": str(rho2), "s_opt": best, "rho_opt": sp.sqrt(rho2.subs(S, best))}


def optimal_examples(quick: bool = True) -> list:
    """Optimal momentum and step sizes on bilinear games, for the report."""
    grid = 20 if quick else 128
    out = []
    alt = gt.methods.get("momentum", order="alternating")
    for rng in ((1, 1), (0.5, 1)):
        r = optimal_parameters(alt, sigma_range=rng, grid=grid, maxiter=200 if quick else 2000)
        r["published"] = ("Gidel et al. (AISTATS 2019) show negative momentum is optimal for alternating GD on "
                          "bilinear games; their optimal value was not reconstructed here")
        r["beta_negative"] = r["params"]["beta"] < 0
        out.append(r)
    gd_alt = optimal_parameters(gt.methods.get("gd", order="alternating"), sigma_range=(1, 1), params=("eta",),
                                grid=grid)
    gd_alt["published"] = "alternating GD never converges on bilinear games (radius 1 at best): Zhang & Yu (ICLR 2020)"
    out.append(gd_alt)
    eg = optimal_parameters(gt.methods.get("eg"), sigma_range=(1, 1), params=("eta",), grid=grid)
    ex = eg_optimum_exact()
    eg["exact"] = {"eta_opt": str(ex["s_opt"]), "radius_opt": str(ex["rho_opt"]),
                   "radius_opt_float": float(ex["rho_opt"])}
    eg["published"] = "derived closed form (this module): rho = sqrt(3)/2 at eta*sigma = 1/sqrt(2)"
    out.append(eg)
    return out
