"""Numeric iteration of a method on a game (the NumPy backend of the same rule).

Examples
--------
>>> import gametheory as gt
>>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1, 1], steps=50, eta=0.5)
>>> r.diverged, r.trajectory.shape
(False, (51, 2))
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import TYPE_CHECKING

import numpy as np

from .backends import NumPyOps
from .methods import Method
from .validation import ParameterError, fail, float_array, integer

if TYPE_CHECKING:
    from .games import Game


class TrajectoryViews:
    """``x``, ``y`` and ``final`` views of a ``trajectory`` with ``nx`` leading ``x`` coordinates."""

    @property
    def x(self):
        return self.trajectory[:, : self.nx]

    @property
    def y(self):
        return self.trajectory[:, self.nx :]

    @property
    def final(self):
        return self.trajectory[-1]


@dataclass
class SimulationResult(TrajectoryViews):
    """What :func:`simulate` returns.

    Attributes
    ----------
    trajectory : ndarray, shape (steps_run + 1, n)
        ``z_t = (x_t, y_t)`` for every step run; a diverged run stops at the
        last finite iterate below the blow-up threshold.
    diverged : bool
        The iterate became non-finite or exceeded ``blowup`` in norm.
    diverged_at : int or None
        The step at which it did.
    steps_run : int
    state : dict
        The final augmented state (for resuming: pass it as ``state=``).
    """

    trajectory: np.ndarray
    diverged: bool
    diverged_at: int | None
    steps_run: int
    state: dict = dc_field(repr=False)
    nx: int = 0

    def distance(self, point) -> np.ndarray:
        """Distance of every iterate to ``point`` (e.g. an equilibrium)."""
        return np.linalg.norm(self.trajectory - np.asarray(point, dtype=float), axis=1)


def simulate(game: Game, method: Method, z0, steps: int, *, blowup: float = 1e12, state: dict | None = None,
             project=None, progress: bool = False, **params) -> SimulationResult:
    """Iterate ``method`` on ``game`` from ``z0`` for ``steps`` steps.

    Parameters
    ----------
    game, method : Game, Method
    z0 : array_like, length ``len(x) + len(y)``
        Starting point ``(x0, y0)``.
    steps : int
    blowup : float
        Norm above which the run counts as diverged (also on NaN/inf).
    state : dict, optional
        An augmented state to resume from (``SimulationResult.state``).
    project : callable, optional
        ``project(x, y) -> (x, y)`` applied to the start and after every
        step (e.g. a box); the field is evaluated only at projected points.
    progress : bool
        Show a progress bar (tqdm).
    **params
        Method parameters as floats.
    """
    from .games import Game

    if not isinstance(game, Game):
        fail("game", "a Game", type(game).__name__)
    if not isinstance(method, Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
    steps = integer("steps", steps, minimum=0)
    z0 = float_array("z0", z0).reshape(-1)
    if z0.size != game.n:
        fail("z0", f"a starting point of length {game.n} (x then y)", f"length {z0.size}")
    if method.spec.needs_losses:
        game._require_losses(f"the {method.name} method")
    for k, v in params.items():
        if np.ndim(v) if not isinstance(v, str) else False:
            fail(k, "a single number in simulate (use spectral_radius for grids)", "an array")
    p = method.params(params, mode="float")
    nx = len(game.x)
    traj, diverged_at, s = iterate_rule(game.field_function(), method, p, z0[:nx], z0[nx:], steps,
                                        blowup=blowup, state=state, project=project, progress=progress)
    return SimulationResult(traj, diverged_at is not None, diverged_at, len(traj) - 1, s, nx)


class _FieldAtProjection:
    """A field evaluated at the projection of its argument: ``v(P(x, y))`` (and ``J``, ``grad_y L_x``).

    Projected methods (Gidel et al., ICLR 2019, Algorithms 1-2; Nemirovski
    2004 for extragradient) evaluate the field only at projected points: the
    extrapolation point of extragradient and extrapolation from the past,
    the new ``x`` an alternating update hands to ``y``, inner ascent steps.
    Wrapping the field does this for every registry rule without touching
    the rules; at the (projected) iterates themselves nothing changes, since
    a projection is idempotent.
    """

    def __init__(self, field, project):
        self.field, self.project = field, project

    def v_x(self, x, y):
        return self.field.v_x(*self.project(x, y))

    def v_y(self, x, y):
        return self.field.v_y(*self.project(x, y))

    def jac(self, x, y):
        return self.field.jac(*self.project(x, y))

    def grad_y_Lx(self, x, y):
        return self.field.grad_y_Lx(*self.project(x, y))

    def __getattr__(self, name):  # nx, ny, ...
        return getattr(self.field, name)


def iterate_rule(field, method, p, x0, y0, steps, *, blowup=1e12, state=None, project=None, progress=False):
    """The one loop that iterates a rule on the NumPy backend (used by ``simulate`` and ``dynamics``).

    Returns ``(trajectory, diverged_at, final_state)``; a step whose state
    (any block, augmented ones included) is non-finite, exceeds ``blowup`` in
    norm or makes a linear solve fail ends the run as diverged, and the
    trajectory stops at the last good iterate. With ``project``, the start
    and every iterate are projected and the field is only evaluated at
    projected points (:class:`_FieldAtProjection`).
    """
    ops = NumPyOps
    if project is not None:
        field = _FieldAtProjection(field, project)
        if state is None:
            x0, y0 = project(x0, y0)
    with np.errstate(all="ignore"):
        s = state if state is not None else method.initial_state(x0, y0, field, p, ops)
        traj = np.empty((steps + 1, len(s["x"]) + len(s["y"])))
        traj[0] = np.concatenate([s["x"], s["y"]])
        diverged_at = None
        it = range(1, steps + 1)
        if progress:
            from tqdm.auto import tqdm

            it = tqdm(it, desc=f"{method.name}", leave=False)
        for t in it:
            try:
                new = method.step(s, field, p, ops)
            except np.linalg.LinAlgError:
                diverged_at = t
                break
            if project is not None:
                new["x"], new["y"] = project(new["x"], new["y"])
            z = np.concatenate([new["x"], new["y"]])
            finite = all(np.all(np.isfinite(v)) for v in new.values())
            if not finite or np.linalg.norm(z) > blowup:
                diverged_at = t
                break
            s = new
            traj[t] = z
    run = steps if diverged_at is None else diverged_at - 1
    return traj[: run + 1].copy(), diverged_at, s


__all__ = ["simulate", "iterate_rule", "SimulationResult", "ParameterError"]
