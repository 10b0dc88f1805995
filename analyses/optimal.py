"""Optimal hyperparameters: the step size / momentum that minimise the spectral radius.

The worst-case linear rate of a method on a bilinear game with singular values
in ``[sigma_min, sigma_max]`` (or on any game with a given spectrum of ``J``)
is ``rho(params) = max_sigma rho_sigma(params)``. :func:`optimal_parameters`
minimises it: a grid evaluated with the fast sweep engine
(:mod:`gametheory.sweep`) seeds ``scipy.optimize.minimize`` (Nelder-Mead with
bounds), and the optimum is re-checked on a denser sample of the range.

Optima at a root collision are refined exactly. Where the worst-case radius
is smallest, roots typically collide: for alternating momentum on one
singular value, a triple real root of the characteristic polynomial. There
the radius is not smooth (a perturbation ``delta`` of the parameters moves a
``k``-fold root by ``delta^(1/k)``), so a float optimiser stops about 1e-8
from the optimum. :func:`collision_optimum` solves the collision conditions
``p(r) = p'(r) = ... = p^(n)(r) = 0`` (``n`` parameters, an ``(n + 1)``-fold
root ``r``) exactly with SymPy (a lex Groebner basis,
``sympy.solve_poly_system``), keeps the real solution next to the float
optimum whose collided root is the one of largest modulus, and returns its
closed form.

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

__all__ = ["optimal_parameters", "worst_case_radius", "collision_optimum", "eg_optimum_exact",
           "optimal_examples"]

#: digits of the high-precision checks of a collision optimum
_DPS = 60



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
                       maxiter: int = 500, refine: bool = True) -> dict:
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
    refine : bool
        Try to refine the float optimum exactly at a root collision
        (:func:`collision_optimum`).

    Returns
    -------
    dict
        ``params`` (optimum), ``radius`` (at the optimum, on the search
        sample), ``radius_check`` (dense sample), ``grid_best`` (the seed),
        ``success``; ``refinement`` (``"collision"`` when the optimum was
        refined exactly, else None), ``closed_form`` (SymPy expressions of the
        optimal parameters, ``rho`` and the collided root ``root`` with its
        ``multiplicity``; None when no collision optimum was found) and
        ``numeric`` (the float optimiser's ``params`` and ``radius``). When
        refined, ``params`` are the closed form's values rounded to floats,
        ``radius`` the exact optimum's value and ``radius_check`` the radius
        at the rounded parameters (dense sample): a ``k``-fold root moves by
        about ``1e-16^(1/k)`` when they are rounded, so at a triple root the
        rounded parameters are ~1e-6 worse than the exact optimum (and may be
        worse than ``numeric["params"]``, a nearby point the optimiser found).

    Examples
    --------
    >>> import gametheory as gt
    >>> r = optimal_parameters(gt.methods.get("momentum", order="alternating"), grid=24)
    >>> r["refinement"], r["closed_form"]["rho"], r["closed_form"]["beta"]
    ('collision', -3 + 2*sqrt(3), -7 + 4*sqrt(3))
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
    out = {"method": method.name, "order": method.order, "sigma_range": [float(v) for v in sigma_range],
           "params": {p: float(v) for p, v in zip(params, best)}, "radius": float(min(res.fun, R[i])),
           "radius_check": check, "grid_best": {"params": {p: float(v) for p, v in zip(params, start)},
                                                "radius": float(R[i])},
           "success": bool(res.success), "fixed": fixed, "refinement": None, "closed_form": None}
    out["numeric"] = {"params": dict(out["params"]), "radius": out["radius"]}
    if refine:
        sigma = _active_sigma(method, sigma_range, out["params"], fixed, check)
        lo, hi = (float(v) for v in sigma_range)
        others = () if lo == hi else np.linspace(lo, hi, check_sigma)
        cf = None if sigma is None else collision_optimum(method, sigma, out["params"], out["radius"],
                                                           fixed=fixed, bounds=bnds, check_sigmas=others)
        if cf is not None:
            vals = {p: float(cf[p]) for p in params}
            at_floats = float(sweep_radius(dense, method, **{p: np.array([v]) for p, v in vals.items()}, **fixed)[0])
            out.update(params=vals, radius=float(cf["rho"]), radius_check=at_floats, refinement="collision",
                       closed_form=cf)
    return out


def _active_sigma(method, sigma_range, params, fixed, worst):
    """The singular value where the worst case is attained at ``params``: the single one, or the
    endpoint of the range whose radius is the worst case; None when neither endpoint is."""
    lo, hi = (sp.nsimplify(v, rational=True) for v in sigma_range)
    if lo == hi:
        return lo
    for sig in (lo, hi):
        r = float(sweep_radius(gt.games.bilinear([[sig]]), method,
                               **{p: np.array([v]) for p, v in params.items()}, **fixed)[0])
        if abs(r - worst) <= 1e-7:
            return sig
    return None


def collision_optimum(method, sigma, params: dict, radius: float, *, fixed=None, bounds=None,
                      check_sigmas=(), max_degree: int = 8):
    """The exact optimum at a root collision next to a float optimum, or None.

    With ``n`` parameters optimised, the characteristic polynomial ``p(mu)`` of
    ``method`` on ``min_x max_y sigma x y`` having an ``(n + 1)``-fold root ``r``
    is ``n + 1`` polynomial equations ``p^(j)(r) = 0`` (``j = 0..n``) in ``n + 1``
    unknowns: finitely many points, solved exactly
    (``sympy.solve_poly_system``). A solution is kept when its parameters are
    real (and inside ``bounds``), ``r`` is a root of largest modulus (checked
    with all roots to 60 digits), its radius ``|r|`` is at most the float
    optimum's ``radius`` (+1e-6: float roots near a collision keep about 8
    digits) and it lies next to the float optimum (within 2% of each
    parameter's search range); the nearest such solution is returned.

    Parameters
    ----------
    method : Method
    sigma : number
        The singular value (exact numbers stay exact; floats are read as rationals).
    params : dict
        ``name -> float``: the float optimum.
    radius : float
        The float optimum's worst-case radius.
    fixed : dict, optional
        Other parameters held fixed (read as exact rationals).
    bounds : dict, optional
        ``name -> (lo, hi)``: the search range of each parameter.
    check_sigmas : sequence of float
        Other singular values of the range: the solution is kept only if no
        root at any of them is larger than ``|r|`` (60-digit roots).
    max_degree : int
        Larger characteristic polynomials are not tried (None returned).

    Returns
    -------
    dict or None
        ``name -> SymPy expression`` for each parameter, ``rho`` (the optimal
        radius), ``root`` (the collided root ``r``), ``multiplicity``
        (``n + 1``), ``sigma``.

    Examples
    --------
    >>> import gametheory as gt
    >>> cf = collision_optimum(gt.methods.get("momentum", order="alternating"), 1,
    ...                        {"eta": 1.8145, "beta": -0.0718}, 0.46410162)
    >>> cf["rho"], cf["beta"], cf["multiplicity"]
    (-3 + 2*sqrt(3), -7 + 4*sqrt(3), 3)
    """
    import mpmath

    from gametheory.derive import SIGMA, derive

    names = tuple(params)
    n = len(names)
    fixed = {k: sp.nsimplify(v, rational=True) for k, v in (fixed or {}).items()}
    per_player = tuple(sorted({q.name for q in map(method.spec.param, names) if q.name not in names})) or False
    sigma = sp.nsimplify(sigma, rational=True)
    d = derive(gt.games.bilinear([[SIGMA]]), method, per_player=per_player, **fixed)
    syms = {str(s): s for s in d.free_params if s != SIGMA}
    if not set(names) <= set(syms):
        return None
    defaults = {}
    for name, sym in syms.items():  # parameters neither optimised nor given: their defaults
        if name not in names:
            q = method.spec.param(name)
            if q.default is None or not isinstance(q.default, (int, float, sp.Basic)):
                return None
            defaults[sym] = sp.nsimplify(q.default, rational=True)
    mu = d.mu
    general = sp.Poly(sp.expand(d.charpoly.xreplace(defaults)), mu)
    poly = sp.Poly(general.as_expr().xreplace({SIGMA: sigma}), mu)
    if poly.degree() > max_degree or n + 1 > poly.degree():
        return None
    r = sp.Dummy("r")
    unknowns = [syms[k] for k in names] + [r]
    eqs = [sp.Poly(poly.diff((mu, j)), mu).as_expr().subs(mu, r) for j in range(n + 1)]
    try:
        solutions = sp.solve_poly_system(eqs, *unknowns)
    except (NotImplementedError, sp.PolynomialError, sp.CoercionFailed, ValueError):
        return None  # not finitely many collision points
    bounds = bounds or {}
    width = {k: (float(bounds[k][1]) - float(bounds[k][0])) if k in bounds else max(1.0, abs(params[k]))
             for k in names}
    best, best_dist = None, np.inf
    with mpmath.workdps(_DPS):
        for sol in solutions or ():
            vals = [sp.N(v, _DPS) for v in sol]
            if any(abs(sp.im(v)) > 10 ** (5 - _DPS) for v in vals[:-1]):
                continue
            x = {k: float(sp.re(v)) for k, v in zip(names, vals)}
            if any(k in bounds and not (bounds[k][0] <= x[k] <= bounds[k][1]) for k in names):
                continue
            dist = max(abs(x[k] - params[k]) / width[k] for k in names)
            rho = abs(complex(vals[-1]))
            if dist > 0.02 or rho > radius + 1e-6 or dist >= best_dist:
                continue
            sub = {syms[k]: sp.re(v) for k, v in zip(names, vals)}
            rho_mp = mpmath.mpf(str(sp.N(sp.Abs(sol[-1]), _DPS)))
            tol = mpmath.mpf(10) ** (-_DPS // (2 * (n + 1)))  # a k-fold root keeps 1/k of the digits
            if abs(_top_modulus(poly, sub) - rho_mp) > tol:
                continue  # another root is larger: not the collision that sets the radius
            if any(_top_modulus(general, {**sub, SIGMA: sp.Rational(float(g))}) > rho_mp + tol
                   for g in check_sigmas):
                continue  # the worst case over the range is elsewhere
            best, best_dist = sol, dist
    if best is None:
        return None
    out = {k: _tidy(v) for k, v in zip(names, best)}
    root = _tidy(best[-1])
    out.update(rho=_tidy(sp.Abs(root)), root=root, multiplicity=n + 1, sigma=sigma)
    return out


def _top_modulus(poly, sub):
    """The largest root modulus of ``poly`` (in its generator) at ``sub``, to :data:`_DPS` digits."""
    import mpmath

    coeffs = [mpmath.mpf(str(sp.N(c.xreplace(sub), _DPS))) for c in poly.all_coeffs()]
    while coeffs and coeffs[0] == 0:
        coeffs.pop(0)
    return max(abs(z) for z in mpmath.polyroots(coeffs, maxsteps=400, extraprec=4 * _DPS))


def _tidy(e):
    """A short form of an algebraic number (denested square roots when that is shorter)."""
    e = sp.nsimplify(e) if e.is_Float else e
    cands = [e, sp.radsimp(e), sp.sqrtdenest(e), sp.factor(e)]
    try:
        cands.append(sp.simplify(e))
    except Exception:  # noqa: BLE001 - simplify is only a cosmetic attempt
        pass
    return min(cands, key=sp.count_ops)


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
        if r["closed_form"] is not None:  # JSON keeps SymPy numbers as floats: the closed form as text too
            r["exact"] = {k: str(v) for k, v in r["closed_form"].items()}
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
