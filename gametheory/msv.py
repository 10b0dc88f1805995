"""The Mangoubi-Sachdeva-Vishnoi algorithm on low-dimensional functions.

Source: O. Mangoubi, S. Sachdeva, N. K. Vishnoi, "Training GANs - from theory
to practice" (Off the Convex Path blog, July 2020) and "A convergent and dimension-independent
min-max optimization algorithm" (arXiv:2006.12376). The blog's rule, which is
followed here (the authors' GAN notebooks compare the discriminator's loss,
the opposite sign; as the authors' notebooks do):

For ``i = 1, 2, ...``

1. the min player proposes ``x' = P_X(x - eta_x g)`` where ``g`` is a batch
   gradient with mean ``grad_x f(x, y)`` (here: ``grad_x f`` plus seeded
   Gaussian noise of standard deviation ``noise / sqrt(batch)``);
2. the max player simulates its response: projected gradient ascent
   ``w <- P_Y(w + eta_y grad_y f(x', w))`` from ``w = y`` until the gradient
   mapping ``|P_Y(w + eta_y grad_y f) - w| / eta_y`` is below ``ascent_tol``
   (a first-order stationary point) or ``ascent_steps`` steps; this gives
   the local max function ``h(x', y) = f(x', w)``;
3. if ``h(x', y) < h(x, y)`` accept both updates, ``(x, y) = (x', w)``;
   otherwise accept them with a small annealed probability
   ``p_i = exp(-T_i)``, ``T_i = T0 + exp((i / tau)^2)`` (the temperature
   schedule of the authors' 0/1-MNIST notebook, ``T0 = 4``; ``tau`` is scaled
   to the run length here).

At the start, ``h(x0, y0)`` is computed by the same ascent from ``y0``
(``y0`` itself is kept until a proposal is accepted), so the first test
compares like with like even when ``y0`` is not stationary.

The run stops early when ``patience`` proposals in a row are rejected ("it
only stops if it can't find such an update after many attempts", blog
Figure 3). Box constraints use projected gradients, as the blog's version on
``f(x, y) = xy``, ``x, y in [-5, 5]`` does (its Figure 3): there the set of
global min-max points is the segment ``x = 0`` (the red line), since
``max_y xy = 5|x|``.

Examples
--------
>>> import gametheory as gt
>>> r = msv(xy_game(), [3.0, -2.0], 400, box=(-5, 5), seed=0)
>>> bool(abs(r.final[0]) < 0.2), bool(r.accepted.sum() > 10)
(True, True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .backends import lambdify_matrix
from .validation import ParameterError, fail, float_array, integer
from .simulate import TrajectoryViews

__all__ = ["MSVResult", "msv", "xy_game", "local_max", "acceptance_probability"]


def xy_game():
    """``f(x, y) = x y``, the blog's example (its Figures 1 and 3), as a zero-sum game.

    >>> xy_game().f
    x*y
    """
    from .games import from_expression

    return from_expression("x*y", x="x", y="y", name="f = xy")


@dataclass
class MSVResult(TrajectoryViews):
    """What :func:`msv` returns.

    Attributes
    ----------
    trajectory : ndarray (iterations + 1, n)
        The current point ``(x, y)`` after every iteration (unchanged on a
        rejection).
    proposals : ndarray (iterations, n)
        Each proposal ``(x', w)`` (the min player's step and the simulated
        max player's response).
    accepted : ndarray of bool (iterations,)
    improved : ndarray of bool (iterations,)
        Accepted because ``h`` decreased (the rest of ``accepted`` were
        annealed acceptances).
    h : ndarray (iterations + 1,)
        The local max function at the current point.
    ascent_steps : ndarray of int (iterations,)
        Gradient-ascent steps the max player used per proposal.
    stopped_at : int or None
        The iteration after which ``patience`` rejections in a row ended the run.
    nx : int
    """

    trajectory: np.ndarray
    proposals: np.ndarray
    accepted: np.ndarray
    improved: np.ndarray
    h: np.ndarray
    ascent_steps: np.ndarray
    stopped_at: int | None
    nx: int


def acceptance_probability(i, T0: float = 4.0, tau: float = 200.0):
    """Probability of accepting a non-improving proposal at iteration ``i``.

    ``p_i = exp(-T_i)`` with the annealed temperature ``T_i = T0 + exp((i/tau)^2)``
    (the schedule of the authors' 0/1-MNIST notebook uses ``T0 = 4``,
    ``tau = 20000``; see the module docstring).

    >>> round(float(acceptance_probability(0)), 5)
    0.00674
    """
    i = np.asarray(i, dtype=float)
    with np.errstate(over="ignore"):
        return np.exp(-(T0 + np.exp((i / tau) ** 2)))


def _box(lo, hi, n):
    lo = np.broadcast_to(np.asarray(lo, dtype=float).reshape(-1), (n,)) if np.size(lo) in (1, n) else None
    hi = np.broadcast_to(np.asarray(hi, dtype=float).reshape(-1), (n,)) if np.size(hi) in (1, n) else None
    if lo is None or hi is None:
        fail("box", f"scalar bounds or bounds of length {n}")
    if np.any(lo > hi):
        fail("box", "lower bounds <= upper bounds", (lo.tolist(), hi.tolist()))
    return lo, hi


class _Objective:
    """``f`` and its gradients compiled once with NumPy."""

    def __init__(self, game):
        if getattr(game, "f", None) is None:
            fail("game", "a zero-sum game with an objective f (min_x max_y f)", getattr(game, "name", game))
        z = list(game.x) + list(game.y)
        self.nx = len(game.x)
        self._f = lambdify_matrix(sp.Matrix([game.f]), z)
        self.field = game.field_function()

    def f(self, x, y):
        return float(self._f(*x, *y)[0, 0])

    def grad_x(self, x, y):
        return np.asarray(self.field.v_x(x, y), dtype=float)

    def grad_y(self, x, y):  # ascent direction grad_y f = -v_y
        return -np.asarray(self.field.v_y(x, y), dtype=float)


def local_max(game_or_objective, x, y, *, eta_y: float = 0.1, tol: float = 1e-3, max_steps: int = 200,
              box_y=None):
    """The max player's response: projected gradient ascent to a near-stationary point.

    ``w <- P_Y(w + eta_y grad_y f(x, w))`` from ``w = y`` until the gradient
    mapping ``|P_Y(w + eta_y grad_y f(x, w)) - w| / eta_y <= tol`` (Idea 1 of
    the blog). Returns ``(w, f(x, w), steps)``.

    >>> w, h, k = local_max(xy_game(), np.array([1.0]), np.array([0.0]), box_y=(-5, 5))
    >>> round(float(w[0]), 6), round(h, 6)
    (5.0, 5.0)
    """
    obj = game_or_objective if isinstance(game_or_objective, _Objective) else _Objective(game_or_objective)
    w = np.array(y, dtype=float)
    lo, hi = (None, None) if box_y is None else box_y
    steps = 0
    for steps in range(max_steps + 1):
        step = w + eta_y * obj.grad_y(x, w)
        if lo is not None:
            step = np.clip(step, lo, hi)
        if np.linalg.norm(step - w) / eta_y <= tol or steps == max_steps:
            break
        w = step
    return w, obj.f(x, w), steps


def msv(game, z0, iterations: int, *, eta_x: float = 0.05, eta_y: float = 0.25, noise: float = 2.0,
        batch: int = 1, ascent_tol: float = 1e-3, ascent_steps: int = 200, box=None, T0: float = 4.0,
        tau: float | None = None, patience: int | None = 100, skip_test_every: int | None = None,
        seed: int = 0, progress: bool = False) -> MSVResult:
    """Run the Mangoubi-Sachdeva-Vishnoi algorithm (blog "Our algorithm").

    Parameters
    ----------
    game : Game
        A zero-sum game ``min_x max_y f`` (``game.f`` is used).
    z0 : array_like
        ``(x0, y0)``.
    iterations : int
        Number of proposals.
    eta_x : float
        Step of the min player's proposal ``x' = P_X(x - eta_x g)``.
    eta_y : float
        Step of the max player's gradient ascent.
    noise, batch : float, int
        The batch gradient is ``g = grad_x f + noise / sqrt(batch) * xi``,
        ``xi ~ N(0, I)`` (mean ``grad_x f``, as in the blog's Step 1).
    ascent_tol, ascent_steps : float, int
        Stationarity tolerance and step cap of the max player's ascent.
    box : (lo, hi), optional
        Box constraint on all coordinates (scalars or length-``n`` arrays),
        handled with projected gradients.
    T0, tau : float
        Annealing: a non-improving proposal is accepted with probability
        ``exp(-(T0 + exp((i/tau)^2)))``; ``tau`` defaults to ``iterations / 2``.
    patience : int or None
        Stop after this many rejections in a row.
    skip_test_every : int or None
        Accept unconditionally every ``k``-th iteration (the authors' GAN
        notebooks skip the test every 4th iteration; off by default).
    seed : int

    Returns
    -------
    MSVResult

    Examples
    --------
    >>> r = msv(xy_game(), [4.0, 4.0], 300, box=(-5, 5), seed=1)
    >>> bool(abs(r.final[0]) < 0.2)
    True
    """
    obj = _Objective(game)
    iterations = integer("iterations", iterations, minimum=0)
    z0 = float_array("z0", z0).reshape(-1)
    n = len(game.x) + len(game.y)
    if z0.size != n:
        fail("z0", f"a starting point of length {n} (x then y)", f"length {z0.size}")
    for name, val in (("eta_x", eta_x), ("eta_y", eta_y)):
        if not float(val) > 0:
            fail(name, "a positive step size", val)
    if float(noise) < 0:
        fail("noise", "a nonnegative standard deviation", noise)
    batch = integer("batch", batch, minimum=1)
    tau = max(1.0, iterations / 2) if tau is None else float(tau)
    if tau <= 0:
        fail("tau", "a positive annealing scale", tau)
    patience = None if patience is None else integer("patience", patience, minimum=1)
    skip = None if skip_test_every is None else integer("skip_test_every", skip_test_every, minimum=1)
    rng = np.random.default_rng(integer("seed", seed))
    nx = obj.nx
    if box is not None:
        lo, hi = _box(box[0], box[1], n)
        box_x, box_y = (lo[:nx], hi[:nx]), (lo[nx:], hi[nx:])
        z0 = np.clip(z0, lo, hi)
    else:
        box_x = box_y = None
    x, y = z0[:nx].copy(), z0[nx:].copy()
    _, h_cur, _ = local_max(obj, x, y, eta_y=eta_y, tol=ascent_tol, max_steps=ascent_steps, box_y=box_y)

    traj = np.empty((iterations + 1, n))
    traj[0] = z0
    props = np.empty((iterations, n))
    acc = np.zeros(iterations, dtype=bool)
    imp = np.zeros(iterations, dtype=bool)
    hs = np.empty(iterations + 1)
    hs[0] = h_cur
    nsteps = np.zeros(iterations, dtype=int)
    rejected_in_row, stopped = 0, None
    it = range(iterations)
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(it, desc="msv", leave=False)
    done = iterations
    for i in it:
        g = obj.grad_x(x, y) + noise / np.sqrt(batch) * rng.standard_normal(nx)
        xp = x - eta_x * g
        if box_x is not None:
            xp = np.clip(xp, *box_x)
        w, h_new, k = local_max(obj, xp, y, eta_y=eta_y, tol=ascent_tol, max_steps=ascent_steps, box_y=box_y)
        u = rng.random()  # drawn every iteration so the random stream does not depend on outcomes
        props[i] = np.concatenate([xp, w])
        nsteps[i] = k
        if not (np.all(np.isfinite(props[i])) and np.isfinite(h_new)):
            raise ParameterError("msv: a proposal became non-finite; use a box or smaller steps")
        better = h_new < h_cur
        forced = skip is not None and (i + 1) % skip == 0
        if better or forced or u < acceptance_probability(i, T0, tau):
            x, y, h_cur = xp, w, h_new
            acc[i], imp[i] = True, bool(better)
            rejected_in_row = 0
        else:
            rejected_in_row += 1
        traj[i + 1] = np.concatenate([x, y])
        hs[i + 1] = h_cur
        if patience is not None and rejected_in_row >= patience:
            stopped = done = i + 1
            break
    return MSVResult(traj[: done + 1], props[:done], acc[:done], imp[:done], hs[: done + 1], nsteps[:done],
                     stopped, nx)
