"""Deterministic and stochastic dynamics of every registry method, with averaging and projections.

Every run here iterates a registry method's own update rule
(:meth:`gametheory.methods.Method.step` on the NumPy backend); nothing is
re-implemented. Stochasticity enters through the *field* object the rule
sees:

* :class:`NoisyField` adds seeded Gaussian minibatch noise to ``v_x`` and
  ``v_y`` of a game's exact field (an unbiased gradient estimate whose
  covariance is ``sigma^2 / batch``), and
* :class:`StochasticBilinearField` is the finite-sum bilinear objective of
  the variational-inequality slides (Gidel et al., ICLR 2019, as presented in Lacoste-Julien's DALI 2019 slides),
  ``f(x, y) = (1/n) sum_i (x' M_i y + x' a_i + y' b_i)``, sampling one index
  or a minibatch of indices per evaluation.

:func:`run` adds uniform and exponential iterate averaging (the "uniform avg"
and "EMA" columns of the slides), projections onto boxes (the slides'
``P_X``; WGAN weight clipping is a box on the critic), and divergence
detection: a run that blows up is reported with ``diverged=True`` and its
trajectory stops at the last finite iterate, so no NaN ever reaches a caller.

Conventions are the package's: ``min_x max_y f``, descent field
``v = (grad_x L_x, grad_y L_y)``, simultaneous GDA ``z+ = z - eta v(z)``.

Examples
--------
>>> import gametheory as gt
>>> from gametheory.dynamics import run
>>> r = run(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1, 1], 2000, eta=0.1,
...         box=(-2, 2), averaging="uniform")
>>> bool(abs(r.average[-1]).max() < 0.05), r.diverged
(True, False)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .simulate import SimulationResult, iterate_rule
from .methods import Method
from .validation import fail, float_array, integer

__all__ = [
    "DynamicsResult", "run", "iterate", "NoisyField", "StochasticBilinearField", "box_projection",
    "uniform_average", "exponential_average", "random_stochastic_bilinear",
]


# ------------------------------------------------------------------ results
@dataclass
class DynamicsResult(SimulationResult):
    """What :func:`run` / :func:`iterate` return: a :class:`~gametheory.simulate.SimulationResult`
    (trajectory, diverged, diverged_at, steps_run, state, nx) with the averaged iterates.

    Attributes
    ----------
    average : ndarray or None
        The averaged iterates, same shape as ``trajectory`` (``averaging``
        given): uniform ``zbar_t = (1/(t+1)) sum_{s<=t} z_s`` or exponential
        ``zbar_t = rho zbar_{t-1} + (1 - rho) z_t``, ``zbar_0 = z_0``.
    """

    average: np.ndarray | None = None

    def distance(self, point, averaged: bool = False) -> np.ndarray:
        """Euclidean distance of every iterate (or averaged iterate) to ``point``."""
        traj = self.average if averaged else self.trajectory
        if traj is None:
            fail("averaged", "True only for a run with averaging", averaged)
        return np.linalg.norm(traj - np.asarray(point, dtype=float).reshape(-1), axis=1)


# ---------------------------------------------------------------- averaging
def uniform_average(trajectory) -> np.ndarray:
    """Running uniform average ``zbar_t = (1/(t+1)) sum_{s=0}^t z_s``.

    The averaged gradient method of Bruck (1977) / Nemirovski et al. (2009),
    as in Algorithm 1 (AvgSGD) of Gidel et al. (ICLR 2019) with constant
    step sizes.

    >>> uniform_average([[0.0], [2.0], [4.0]]).ravel().tolist()
    [0.0, 1.0, 2.0]
    """
    z = float_array("trajectory", trajectory)
    z = z.reshape(len(z), -1)
    return np.cumsum(z, axis=0) / np.arange(1, len(z) + 1)[:, None]


def exponential_average(trajectory, rho: float = 0.99) -> np.ndarray:
    """Exponential moving average ``zbar_t = rho zbar_{t-1} + (1 - rho) z_t``, ``zbar_0 = z_0``.

    The "EMA" of the slides' tables (Gidel et al., ICLR 2019; Yazici et al.,
    ICLR 2019).

    >>> exponential_average([[0.0], [1.0]], rho=0.5).ravel().tolist()
    [0.0, 0.5]
    """
    z = float_array("trajectory", trajectory)
    z = z.reshape(len(z), -1)
    rho = float(float_array("rho", rho))
    if not 0 <= rho < 1:
        fail("rho", "a decay in [0, 1)", rho)
    out = np.empty_like(z)
    if len(z):
        out[0] = z[0]
    for t in range(1, len(z)):
        out[t] = rho * out[t - 1] + (1 - rho) * z[t]
    return out


# --------------------------------------------------------------- projection
def box_projection(lo, hi, nx: int):
    """Euclidean projection onto the box ``lo <= z <= hi`` as a ``project(x, y)`` hook.

    ``lo`` and ``hi`` are scalars (every coordinate) or sequences of length
    ``n`` (``x`` coordinates first; use ``-inf`` / ``inf`` to leave one free).
    The projection onto a box is coordinatewise clipping (the ``P_X`` of
    Gidel et al., ICLR 2019, Algorithms 1-2; WGAN weight clipping, Arjovsky
    et al. 2017, is the box ``|psi| <= c``).

    >>> P = box_projection([-np.inf, -1], [np.inf, 1], nx=1)
    >>> [a.tolist() for a in P(np.array([5.0]), np.array([3.0]))]
    [[5.0], [1.0]]
    """
    nx = integer("nx", nx, minimum=0)
    lo = np.asarray(lo, dtype=float).reshape(-1)
    hi = np.asarray(hi, dtype=float).reshape(-1)
    if np.any(np.isnan(lo)) or np.any(np.isnan(hi)):
        fail("box", "bounds without NaN")
    if lo.size > 1 and hi.size > 1 and lo.size != hi.size:
        fail("box", "lower and upper bounds of the same length", (lo.size, hi.size))
    if np.any(lo > hi):
        fail("box", "lower bounds <= upper bounds", (lo.tolist(), hi.tolist()))

    def part(b, sl):
        return b if b.size == 1 else b[sl]

    def project(x, y):
        n = len(x) + len(y)
        for b in (lo, hi):
            if b.size not in (1, n):
                fail("box", f"scalar bounds or bounds of length {n}", b.size)
        sx, sy = slice(0, nx), slice(nx, None)
        return (np.clip(x, part(lo, sx), part(hi, sx)), np.clip(y, part(lo, sy), part(hi, sy)))

    return project


# ------------------------------------------------------------ noisy fields
class NoisyField:
    """A field with seeded minibatch gradient noise: ``v_hat = v + sigma / sqrt(batch) * xi``.

    ``xi ~ N(0, I)`` is drawn afresh at every evaluation of ``v_x`` and
    ``v_y`` (an unbiased estimate of ``v`` with covariance
    ``sigma^2 / batch I``, the model of a minibatch of ``batch`` samples whose
    per-sample gradient noise has standard deviation ``sigma``; the blog of
    Mangoubi, Sachdeva, Vishnoi ('Training GANs - From Theory to Practice', 2020) writes the batch gradient
    ``(1/n) sum_i grad f_i`` in the same sense). The Jacobian and
    ``grad_y_Lx`` are exact (consensus, SGA, CGD and unrolled see a noisy
    ``v`` and an exact ``J``).

    Parameters
    ----------
    base : field
        A field object (e.g. ``game.field_function()``).
    sigma : float or (sigma_x, sigma_y)
        Per-sample noise standard deviation of each player.
    batch : int
        Minibatch size.
    rng : numpy.random.Generator or int
        The random source or a seed.

    Examples
    --------
    >>> import gametheory as gt
    >>> f = NoisyField(gt.games.bilinear([[1]]).field_function(), 1.0, batch=4, rng=0)
    >>> f.v_x(np.array([0.0]), np.array([0.0])).shape
    (1,)
    """

    def __init__(self, base, sigma, batch: int = 1, rng=0):
        self.base = base
        s = float_array("sigma", sigma).reshape(-1)
        if s.size == 1:
            s = np.repeat(s, 2)
        if s.size != 2 or np.any(s < 0):
            fail("sigma", "a nonnegative standard deviation, or one per player (sigma_x, sigma_y)", sigma)
        self.sigma_x, self.sigma_y = float(s[0]), float(s[1])
        self.batch = integer("batch", batch, minimum=1)
        self.rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(integer("seed", rng))
        self.nx, self.ny = base.nx, base.ny

    def _noise(self, v, sigma):
        if sigma == 0:
            return v
        return v + sigma / np.sqrt(self.batch) * self.rng.standard_normal(np.shape(v))

    def v_x(self, x, y):
        return self._noise(self.base.v_x(x, y), self.sigma_x)

    def v_y(self, x, y):
        return self._noise(self.base.v_y(x, y), self.sigma_y)

    def v(self, x, y):
        return self.v_x(x, y), self.v_y(x, y)

    def jac(self, x, y):
        return self.base.jac(x, y)

    def grad_y_Lx(self, x, y):
        return self.base.grad_y_Lx(x, y)


class StochasticBilinearField:
    """The finite-sum bilinear game of Gidel et al. (ICLR 2019), "Bilinear stochastic experiment".

    ``min_x max_y f(x, y) = (1/n) sum_i (x' M_i y + x' a_i + y' b_i)``. Each
    evaluation samples ``batch`` indices ``i`` uniformly with replacement and
    returns the minibatch field ``v_x = mean_i (M_i y + a_i)``,
    ``v_y = -mean_i (M_i' x + b_i)`` (the descent field; ``batch=None`` gives
    the exact field). Sampling is per *evaluation point*: ``v_x``, ``v_y`` and
    ``jac`` at the same ``(x, y)`` share one sample, as ``F(z, xi)`` does in
    the slides' Algorithms 1-2, so the extrapolation and update steps of
    extragradient draw independent samples ``xi_t`` and ``xi_{t+1/2}``.

    Parameters
    ----------
    M : array (n, dx, dy); a : array (n, dx); b : array (n, dy)
    batch : int or None
    rng : numpy.random.Generator or int (a seed)

    Examples
    --------
    >>> F = random_stochastic_bilinear(n=10, dx=2, dy=2, seed=0, batch=1)
    >>> F.game().n
    4
    """

    def __init__(self, M, a, b, batch: int | None = 1, rng=0):
        self.M = float_array("M", M)
        if self.M.ndim != 3:
            fail("M", "an array of shape (n, dx, dy)", self.M.shape)
        n, dx, dy = self.M.shape
        for name, arr, d in (("a", a, dx), ("b", b, dy)):
            if np.size(arr) != n * d:
                fail(name, f"an array of shape ({n}, {d})", np.shape(arr))
        self.a = float_array("a", a).reshape(n, dx)
        self.b = float_array("b", b).reshape(n, dy)
        self.n, self.nx, self.ny = n, dx, dy
        self.batch = None if batch is None else integer("batch", batch, minimum=1)
        self.rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(integer("seed", rng))
        self._key, self._idx, self._used = None, None, set()

    # exact averages
    @property
    def mean_M(self):
        return self.M.mean(axis=0)

    def game(self):
        """The expected game ``x' Mbar y + abar' x + bbar' y`` (exact rationals of the float means)."""
        from .games import bilinear

        return bilinear(self.mean_M, b=self.a.mean(axis=0), c=self.b.mean(axis=0))

    def equilibrium(self) -> np.ndarray:
        """A solution of ``Mbar y = -abar``, ``Mbar' x = -bbar`` (least squares)."""
        Mb = self.mean_M
        x = np.linalg.lstsq(Mb.T, -self.b.mean(axis=0), rcond=None)[0]
        y = np.linalg.lstsq(Mb, -self.a.mean(axis=0), rcond=None)[0]
        return np.concatenate([x, y])

    def _sample(self, x, y, what):
        if self.batch is None:
            return slice(None)
        key = (np.asarray(x, dtype=float).tobytes(), np.asarray(y, dtype=float).tobytes())
        if key != self._key or what in self._used:
            self._key, self._used = key, set()
            self._idx = self.rng.integers(0, self.n, size=self.batch)
        self._used.add(what)
        return self._idx

    def v_x(self, x, y):
        i = self._sample(x, y, "x")
        return (self.M[i] @ y).mean(axis=0) + self.a[i].mean(axis=0)

    def v_y(self, x, y):
        i = self._sample(x, y, "y")
        return -(np.einsum("kij,i->kj", self.M[i], x).mean(axis=0) + self.b[i].mean(axis=0))

    def v(self, x, y):
        return self.v_x(x, y), self.v_y(x, y)

    def jac(self, x, y):
        i = self._sample(x, y, "jac")
        Mi = self.M[i].mean(axis=0)
        return np.zeros((self.nx, self.nx)), Mi, -Mi.T, np.zeros((self.ny, self.ny))

    def grad_y_Lx(self, x, y):
        i = self._sample(x, y, "gyLx")
        return np.einsum("kij,i->kj", self.M[i], x).mean(axis=0) + self.b[i].mean(axis=0)


def random_stochastic_bilinear(n: int = 100, dx: int = 2, dy: int = 2, *, seed: int = 0, batch: int | None = 1,
                               scale: float = 1.0, offset: float = 1.0) -> StochasticBilinearField:
    """A random instance of the slides' stochastic bilinear objective (seeded).

    ``M_i = Mbar + scale * G_i`` with ``Mbar = I`` (plus zero padding when
    ``dx != dy``) and ``G_i`` standard Gaussian, ``a_i, b_i ~ N(offset, 1)``:
    the mean game is well conditioned and its equilibrium is unique, while the
    per-sample fields are noisy (Gidel et al., ICLR 2019, Section 7 use random
    Gaussian ``M_i, a_i, b_i``; their exact distribution is not stated in the
    slides).
    """
    n, dx, dy = integer("n", n, minimum=1), integer("dx", dx, minimum=1), integer("dy", dy, minimum=1)
    rng = np.random.default_rng(integer("seed", seed))
    base = np.eye(dx, dy)
    M = base[None] + float(scale) * rng.standard_normal((n, dx, dy))
    a = offset + rng.standard_normal((n, dx))
    b = offset + rng.standard_normal((n, dy))
    return StochasticBilinearField(M, a, b, batch=batch, rng=np.random.default_rng(integer("seed", seed) + 1))


# ---------------------------------------------------------------- iteration
def _method_params(method, params):
    p = method.params(params, mode="float")
    for k, v in vars(p).items():
        if isinstance(v, np.ndarray) and v.ndim:
            fail(k, "a single number in a dynamics run (use spectral_radius for grids)", "an array")
    return p


def iterate(field, method: Method, x0, y0, steps: int, *, params=None, state=None, project=None,
            averaging: str | None = None, rho: float = 0.99, blowup: float = 1e12,
            progress: bool = False) -> DynamicsResult:
    """Iterate a registry method's own rule on any field object.

    The core loop shared by :func:`run`: ``s = method.initial_state(...)``,
    then ``s = method.step(s, field, p, NumPyOps)`` and, if given,
    ``(x, y) = project(x, y)`` after every step (projected methods as in
    Gidel et al., ICLR 2019, Algorithms 1-2: the iterates are projected, and
    the field is evaluated only at projected points, so extragradient's
    extrapolation point, extrapolation from the past and the new ``x`` of an
    alternating update are projected too).

    Parameters
    ----------
    field : object with ``v_x``, ``v_y``, ``jac``, ``grad_y_Lx``, ``nx``, ``ny``
    method : Method
    x0, y0 : array_like
    steps : int
    params : dict
        Method parameters (floats).
    state : dict, optional
        An augmented state to resume from.
    project : callable, optional
        ``project(x, y) -> (x, y)``.
    averaging : None, "uniform" or "ema"
    rho : float
        EMA decay.
    blowup : float
        Norm above which the run counts as diverged (also NaN / inf).

    Examples
    --------
    >>> import gametheory as gt
    >>> g = gt.games.bilinear([[1]])
    >>> r = iterate(g.field_function(), gt.methods.get("eg"), [1.0], [1.0], 100, params={"eta": 0.3})
    >>> bool(np.linalg.norm(r.final) < 0.1)
    True
    """
    if not isinstance(method, Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
    steps = integer("steps", steps, minimum=0)
    if averaging not in (None, "uniform", "ema"):
        fail("averaging", "None, 'uniform' or 'ema'", averaging)
    try:
        blowup = float(blowup)
    except (TypeError, ValueError):
        fail("blowup", "a positive number (inf allowed: only non-finite iterates count)", blowup)
    if not blowup > 0:
        fail("blowup", "a positive number (inf allowed: only non-finite iterates count)", blowup)
    p = _method_params(method, dict(params or {}))
    x0 = float_array("x0", x0).reshape(-1)
    y0 = float_array("y0", y0).reshape(-1)
    nx = len(x0)
    traj, diverged_at, s = iterate_rule(field, method, p, x0, y0, steps, blowup=blowup, state=state,
                                        project=project, progress=progress)
    run_steps = len(traj) - 1
    avg = None
    if averaging == "uniform":
        avg = uniform_average(traj)
    elif averaging == "ema":
        avg = exponential_average(traj, rho)
    return DynamicsResult(traj, diverged_at is not None, diverged_at, run_steps, s, nx, average=avg)


def run(game, method: Method, z0, steps: int, *, noise=0.0, batch: int = 1, seed: int | None = 0,
        field=None, box=None, project=None, averaging: str | None = None, rho: float = 0.99,
        blowup: float = 1e12, state=None, progress: bool = False, **params) -> DynamicsResult:
    """Run ``method`` on ``game`` from ``z0``: deterministic, noisy, projected and/or averaged.

    Parameters
    ----------
    game : Game or None
        The game (its exact field is used unless ``field`` is given; ``None``
        is allowed when ``field`` is given).
    method : Method
        Any registry method in any order; its own rule is iterated.
    z0 : array_like
        ``(x0, y0)``.
    steps : int
    noise : float or (float, float)
        Per-sample gradient noise standard deviation (0: deterministic);
        see :class:`NoisyField`.
    batch : int
        Minibatch size of the noise model.
    seed : int
        Seed of the noise (runs with the same seed are identical).
    field : field object, optional
        A custom field, e.g. :class:`StochasticBilinearField`.
    box : (lo, hi), optional
        Project every iterate onto the box (see :func:`box_projection`).
    project : callable, optional
        Any projection ``project(x, y) -> (x, y)`` (instead of ``box``).
    averaging : None, "uniform" or "ema"
    rho : float
        EMA decay.
    blowup : float
        Divergence threshold on ``|z|``; divergence is reported, never NaN.
    **params
        The method's parameters (``eta`` or ``eta_x``/``eta_y``, ``beta``, ...).

    Returns
    -------
    DynamicsResult

    Examples
    --------
    >>> import gametheory as gt
    >>> g, m = gt.games.bilinear([[1]]), gt.methods.get("gd")
    >>> a = run(g, m, [1, 1], 50, eta=0.1, noise=0.5, seed=3)
    >>> b = run(g, m, [1, 1], 50, eta=0.1, noise=0.5, seed=3)
    >>> bool(np.array_equal(a.trajectory, b.trajectory))
    True
    """
    from .games import Game

    if field is None:
        if not isinstance(game, Game):
            fail("game", "a Game (or pass field=...)", type(game).__name__)
        if method.spec.needs_losses:
            game._require_losses(f"the {method.name} method")
        field = game.field_function()
    if np.any(np.asarray(noise, dtype=float) != 0):
        if seed is None:
            fail("seed", "an integer seed for a stochastic run")
        field = NoisyField(field, noise, batch=batch, rng=seed)
    z0 = float_array("z0", z0).reshape(-1)
    n = field.nx + field.ny
    if z0.size != n:
        fail("z0", f"a starting point of length {n} (x then y)", f"length {z0.size}")
    if box is not None and project is not None:
        fail("box", "either box or project, not both")
    if box is not None:
        if not isinstance(box, (tuple, list)) or len(box) != 2:
            fail("box", "a pair (lo, hi)", box)
        project = box_projection(box[0], box[1], field.nx)
    return iterate(field, method, z0[: field.nx], z0[field.nx:], steps, params=params, state=state,
                   project=project, averaging=averaging, rho=rho, blowup=blowup, progress=progress)
