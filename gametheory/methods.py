"""Training methods, each written once: a pure update rule and the spec that says everything else.

A method is one :class:`MethodSpec` in :data:`REGISTRY`: its update rule, its
initial state, its state blocks (which player each belongs to), its orders
and its parameters (:class:`Param`: name, symbol, default, validation, how
the exact analyses and the optimiser treat it), whether Adam
preconditioning applies, and, optionally, the name of a fused Torch kernel
(:mod:`gametheory.neural.kernels`). Everything downstream (derivation,
spectral radii, sweeps, exact conditions, optimal hyperparameters,
simulation, Torch optimizers) reads the spec; adding a method touches this
module alone.

A rule has the signature ``rule(state, field, p, ops, order) -> new_state``:

* ``state`` is a dict of named blocks (``"x"``, ``"y"``, and for augmented
  methods ``"x_prev"``, ``"gx_prev"``, ...), each a vector of one player;
* ``field`` and ``ops`` come from a backend (:mod:`gametheory.backends`:
  SymPy for derivations, NumPy for iteration; Torch in
  :mod:`gametheory.neural`);
* ``p`` holds the parameters read by :meth:`Method.params`: per-player ones
  as ``eta_x``, ``eta_y`` (and ``beta_x``, ``beta_y``), the others by name
  (``gamma``, ``lam``, ``k``, ``n``, ``eta_extrap``, ``alpha``, ...);
* ``order`` is ``"simultaneous"`` (Jacobi: both players use the old iterate)
  or ``"alternating"`` (Gauss-Seidel: ``x`` moves first and ``y`` sees the new
  ``x``), where the method defines it.

Each method also has ``init(x, y, field, p, ops)`` that builds the augmented
state from a starting point. At an equilibrium it returns the augmented fixed
point, which is where the augmented Jacobian is taken. Optimistic methods
start with the previous gradient equal to the current one, so their first
step is a plain gradient step (never an undefined "previous gradient").

Example
-------
>>> import gametheory as gt
>>> m = gt.methods.get("momentum", order="alternating")
>>> m.state_keys
('x', 'y', 'x_prev', 'y_prev')
>>> [p.name for p in m.spec.parameters]
['eta', 'beta']
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import numpy as np
import sympy as sp

from .validation import exact_number, fail, float_array, integer, is_array

SIM, ALT = "simultaneous", "alternating"
PLAYERS = ("x", "y")


# ------------------------------------------------------------ parameters
class _Required:
    def __repr__(self):
        return "REQUIRED"


#: the default of a parameter that must be given (or stays symbolic in derivations)
REQUIRED = _Required()


@dataclass(frozen=True)
class Param:
    """One parameter of a method, and everything the toolkit needs to know about it.

    Attributes
    ----------
    name : str
        As users pass it (``eta``, ``beta``, ``gamma``, ...).
    doc : str
        What it is, in a few words.
    kind : {"continuous", "integer"}
        Continuous parameters are symbols in derivations and grid axes in
        sweeps; integer ones (``k``, ``n``) change the rule's shape.
    default : object
        :data:`REQUIRED` (must be given; symbolic in derivations), a value
        (used when not given; symbolic in derivations), or None (optional:
        absent unless given, and the rule decides what absence means, e.g.
        ``eta_extrap`` defaults to the step size).
    per_player : bool
        Read into ``<name>_x`` and ``<name>_y``, each overriding ``<name>``
        (``eta`` and ``eta_x``, ``eta_y``).
    nonnegative : bool
        Values must be ``>= 0`` (step sizes); the symbol is positive.
    minimum : int
        Integers: the smallest allowed value.
    maximum : int or None
        Integers: the largest allowed value (documented limit: each
        derivation and each numeric step composes that many steps; beyond
        it a call takes minutes to hours).
    signs : tuple of str
        The sign classes (``"<0"``, ``"=0"``, ``">0"``) in which the exact
        analyses (:mod:`gametheory.analyses.conditions`) ask whether the
        method converges; empty for parameters they do not examine.
    search : tuple or None
        Bounds for the optimiser (:mod:`gametheory.analyses.optimal`); None
        for step-like parameters, whose range scales as ``1 / sigma_max``.
    """

    name: str
    doc: str
    kind: str = "continuous"
    default: object = REQUIRED
    per_player: bool = False
    nonnegative: bool = False
    minimum: int = 1
    maximum: int | None = None
    signs: tuple = ()
    search: tuple | None = None

    @property
    def names(self) -> tuple:
        """Every name a user may pass: ``("eta", "eta_x", "eta_y")`` or ``("gamma",)``."""
        return (self.name,) + ((f"{self.name}_x", f"{self.name}_y") if self.per_player else ())

    @property
    def read_names(self) -> tuple:
        """The names in the namespace a rule reads: ``("eta_x", "eta_y")`` or ``("gamma",)``."""
        return self.names[1:] if self.per_player else (self.name,)

    def symbol(self, name: str | None = None) -> sp.Symbol:
        """The SymPy symbol of ``name`` (default: the shared one), with this parameter's assumptions."""
        if self.kind == "integer":
            raise ValueError(f"{self.name} is an integer parameter (no symbol)")
        return sp.Symbol(name or self.name, **({"positive": True} if self.nonnegative else {"real": True}))


ETA = Param("eta", "step size (eta_x, eta_y: one per player, two timescales)", per_player=True, nonnegative=True)
BETA = Param("beta", "momentum, any sign (beta_x, beta_y: one per player)", default=0, per_player=True,
             signs=("<0", "=0", ">0"), search=(-0.999, 0.999))
GAMMA = Param("gamma", "weight of the consensus term grad(|v|^2 / 2)", signs=(">0",), search=(0.0, 4.0))
LAM = Param("lam", "weight of the symplectic adjustment", signs=(">0",), search=(0.0, 4.0))
ETA_EXTRAP = Param("eta_extrap", "extrapolation step (default: the step size)", default=None, nonnegative=True)
ALPHA = Param("alpha", "coefficient of v(z) (default 2 eta)", default=None, nonnegative=True)
ALPHA_PREV = Param("alpha_prev", "coefficient of v(z_prev) (default eta)", default=None, nonnegative=True)
K = Param("k", "unrolling steps", kind="integer", default=1, maximum=100)
N = Param("n", "discriminator steps per generator step", kind="integer", default=1, maximum=1000)


@dataclass(frozen=True)
class Block:
    """One block of the augmented state: its key, its player and the label of its symbols."""

    key: str
    player: str
    label: str = ""


X, Y = Block("x", "x"), Block("y", "y")
PREV = (Block("x_prev", "x", "prev"), Block("y_prev", "y", "prev"))
VPREV = (Block("gx_prev", "x", "vprev"), Block("gy_prev", "y", "vprev"))
VHALF = (Block("gx_half", "x", "vhalf"), Block("gy_half", "y", "vhalf"))


def _moved_x(order, x, x_new):
    """The ``x`` that player ``y`` sees: the old one (Jacobi) or the new one (Gauss-Seidel)."""
    return x_new if order == ALT else x


# ---------------------------------------------------------------- the rules
def gd_rule(s, field, p, ops, order):
    """Gradient descent-ascent (Arrow, Hurwicz, Uzawa 1958; orders as in Gidel et al., AISTATS 2019).

    ``x+ = x - eta_x v_x(x, y)``; ``y+ = y - eta_y v_y(x', y)`` with ``x' = x``
    (simultaneous) or ``x' = x+`` (alternating).

    >>> import gametheory as gt
    >>> gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd", order="alternating"), [1, 1],
    ...             steps=1, eta=0.5).final.tolist()
    [0.5, 1.25]
    """
    x, y = s["x"], s["y"]
    x_new = x - p.eta_x * field.v_x(x, y)
    y_new = y - p.eta_y * field.v_y(_moved_x(order, x, x_new), y)
    return {"x": x_new, "y": y_new}


def gd_init(x, y, field, p, ops):
    return {"x": x, "y": y}


def momentum_rule(s, field, p, ops, order):
    """Heavy-ball momentum (Polyak 1964) on games; Gidel et al., AISTATS 2019.

    ``x+ = x - eta_x v_x(x, y) + beta_x (x - x_prev)``;
    ``y+ = y - eta_y v_y(x', y) + beta_y (y - y_prev)``, ``x'`` as in ``gd``.
    Any real momentum: negative momentum is the point of Gidel et al. One
    ``beta`` for both players, or per-player momenta ``beta_x``, ``beta_y``
    (Zhang & Yu, ICLR 2020, Sec. 4), as ``eta_x``, ``eta_y`` are for step
    sizes. Augmented state ``(x, y, x_prev, y_prev)``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("momentum", order="alternating"), [1, 1], steps=2, eta=0.5, beta=-0.5)
    >>> r.final.round(12).tolist()
    [0.125, 1.1875]
    """
    x, y = s["x"], s["y"]
    x_new = x - p.eta_x * field.v_x(x, y) + p.beta_x * (x - s["x_prev"])
    y_new = y - p.eta_y * field.v_y(_moved_x(order, x, x_new), y) + p.beta_y * (y - s["y_prev"])
    return {"x": x_new, "y": y_new, "x_prev": x, "y_prev": y}


def momentum_init(x, y, field, p, ops):
    return {"x": x, "y": y, "x_prev": x, "y_prev": y}


def eg_rule(s, field, p, ops, order):
    """Extragradient (Korpelevich 1976; Gidel et al., ICLR 2019).

    ``z_half = z - eta' v(z)``, ``z+ = z - eta v(z_half)`` with extrapolation
    step ``eta' = eta_extrap`` (default: ``eta``). Alternating (Gauss-Seidel,
    as analysed by Zhang & Yu, ICLR 2020): each of the two half steps moves
    ``x`` first and lets ``y`` see the new ``x``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("eg"), [1, 1], steps=1, eta=0.5)
    >>> r.final.round(12).tolist()
    [0.25, 1.25]
    """
    x, y = s["x"], s["y"]
    ex = p.eta_x if p.eta_extrap is None else p.eta_extrap
    ey = p.eta_y if p.eta_extrap is None else p.eta_extrap
    xh = x - ex * field.v_x(x, y)
    yh = y - ey * field.v_y(_moved_x(order, x, xh), y)
    x_new = x - p.eta_x * field.v_x(xh, yh)
    y_new = y - p.eta_y * field.v_y(_moved_x(order, xh, x_new), yh)
    return {"x": x_new, "y": y_new}


def ogd_rule(s, field, p, ops, order):
    """Optimistic gradient descent / OMD (Daskalakis et al., ICLR 2018).

    ``z+ = z - 2 eta v(z) + eta v(z_prev)``; with free coefficients (Zhang &
    Yu, ICLR 2020, Sec. 3) ``z+ = z - alpha v(z) + alpha_prev v(z_prev)``
    (``alpha`` defaults to ``2 eta``, ``alpha_prev`` to ``eta``, per player
    when ``eta_x``, ``eta_y`` differ). The previous field value is part of
    the state (``gx_prev``, ``gy_prev``) and starts equal to ``v(z0)``, so
    the first step is a plain gradient step with ``alpha - alpha_prev``.
    Alternating: ``y`` uses ``x+``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("ogd"), [1, 1], steps=2, eta=0.5)
    >>> r.final.round(12).tolist()
    [-0.5, 1.5]
    """
    x, y = s["x"], s["y"]
    (ax, ay), (bx, by) = _optimistic_coefficients(p)
    gx = field.v_x(x, y)
    x_new = x - ax * gx + bx * s["gx_prev"]
    gy = field.v_y(_moved_x(order, x, x_new), y)
    y_new = y - ay * gy + by * s["gy_prev"]
    return {"x": x_new, "y": y_new, "gx_prev": gx, "gy_prev": gy}


def _optimistic_coefficients(p):
    """``((alpha_x, alpha_y), (alpha_prev_x, alpha_prev_y))``: given, or ``2 eta`` and ``eta``."""
    alpha = (2 * p.eta_x, 2 * p.eta_y) if p.alpha is None else (p.alpha, p.alpha)
    prev = (p.eta_x, p.eta_y) if p.alpha_prev is None else (p.alpha_prev, p.alpha_prev)
    return alpha, prev


def ogd_init(x, y, field, p, ops):
    return {"x": x, "y": y, "gx_prev": field.v_x(x, y), "gy_prev": field.v_y(x, y)}


def past_eg_rule(s, field, p, ops, order):
    """Extrapolation from the past (Popov 1980; Gidel et al., ICLR 2019).

    ``z_half = z - eta v(z_half_prev)``, ``z+ = z - eta v(z_half)``; the state
    keeps the field at the last extrapolated point (``gx_half``, ``gy_half``),
    starting at ``v(z0)``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("past_eg"), [1, 1], steps=1, eta=0.5)
    >>> r.final.round(12).tolist()
    [0.25, 1.25]
    """
    x, y = s["x"], s["y"]
    xh = x - p.eta_x * s["gx_half"]
    yh = y - p.eta_y * s["gy_half"]
    gx, gy = field.v_x(xh, yh), field.v_y(xh, yh)
    return {"x": x - p.eta_x * gx, "y": y - p.eta_y * gy, "gx_half": gx, "gy_half": gy}


def past_eg_init(x, y, field, p, ops):
    return {"x": x, "y": y, "gx_half": field.v_x(x, y), "gy_half": field.v_y(x, y)}


def consensus_rule(s, field, p, ops, order):
    """Consensus optimization (Mescheder, Nowozin, Geiger, NeurIPS 2017).

    ``z+ = z - eta (v + gamma grad L)`` with ``L = 1/2 |v|^2``, so
    ``grad L = J^T v``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("consensus"), [1, 1], steps=1, eta=0.5, gamma=1.0)
    >>> r.final.round(12).tolist()
    [0.0, 1.0]
    """
    x, y = s["x"], s["y"]
    vx, vy = field.v_x(x, y), field.v_y(x, y)
    Jxx, Jxy, Jyx, Jyy = field.jac(x, y)
    gLx = Jxx.T @ vx + Jyx.T @ vy
    gLy = Jxy.T @ vx + Jyy.T @ vy
    return {"x": x - p.eta_x * (vx + p.gamma * gLx), "y": y - p.eta_y * (vy + p.gamma * gLy)}


def sga_rule(s, field, p, ops, order):
    """Symplectic gradient adjustment (Balduzzi et al., ICML 2018).

    ``z+ = z - eta (v + lam A^T v)`` with ``A = (J - J^T)/2`` the antisymmetric
    part of the Jacobian (fixed ``lam``; the paper's sign-alignment rule for
    ``lam`` is not applied).

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("sga"), [1, 1], steps=1, eta=0.5, lam=1.0)
    >>> r.final.round(12).tolist()
    [0.0, 1.0]
    """
    x, y = s["x"], s["y"]
    vx, vy = field.v_x(x, y), field.v_y(x, y)
    Jxx, Jxy, Jyx, Jyy = field.jac(x, y)
    # A^T = (J^T - J)/2, blockwise
    ax = ((Jxx.T - Jxx) @ vx + (Jyx.T - Jxy) @ vy) / 2
    ay = ((Jxy.T - Jyx) @ vx + (Jyy.T - Jyy) @ vy) / 2
    return {"x": x - p.eta_x * (vx + p.lam * ax), "y": y - p.eta_y * (vy + p.lam * ay)}


def _competitive(s, field, p, ops, exact_inverse):
    x, y = s["x"], s["y"]
    vx, vy = field.v_x(x, y), field.v_y(x, y)
    _, Jxy, Jyx, _ = field.jac(x, y)
    rx = vx - p.eta_y * (Jxy @ vy)
    ry = vy - p.eta_x * (Jyx @ vx)
    if exact_inverse:
        rx = ops.solve(ops.eye(len(rx)) - p.eta_x * p.eta_y * (Jxy @ Jyx), rx)
        ry = ops.solve(ops.eye(len(ry)) - p.eta_x * p.eta_y * (Jyx @ Jxy), ry)
    return {"x": x - p.eta_x * rx, "y": y - p.eta_y * ry}


def cgd_rule(s, field, p, ops, order):
    """Competitive gradient descent (Schafer & Anandkumar, NeurIPS 2019).

    Each player plays the Nash equilibrium of the local bilinear game with
    quadratic regularisation ``1/(2 eta)``. With ``J_xy = D_xy L_x`` and
    ``J_yx = D_yx L_y``:
    ``dx = -eta_x (I - eta_x eta_y J_xy J_yx)^-1 (v_x - eta_y J_xy v_y)``,
    ``dy = -eta_y (I - eta_x eta_y J_yx J_xy)^-1 (v_y - eta_x J_yx v_x)``;
    for zero-sum ``f`` (``B = D_xy f``) this is
    ``dx = -eta (I + eta^2 B B^T)^-1 (grad_x f + eta B grad_y f)``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("cgd"), [1, 1], steps=1, eta=0.5)
    >>> r.final.round(12).tolist()
    [0.4, 1.2]
    """
    return _competitive(s, field, p, ops, exact_inverse=True)


def lcgd_rule(s, field, p, ops, order):
    """Linearised competitive gradient descent (Schafer & Anandkumar 2019).

    ``dx = -eta_x (v_x - eta_y J_xy v_y)``, ``dy = -eta_y (v_y - eta_x J_yx v_x)``:
    CGD with the matrix inverse replaced by the identity.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("lcgd"), [1, 1], steps=1, eta=0.5)
    >>> r.final.round(12).tolist()
    [0.25, 1.25]
    """
    return _competitive(s, field, p, ops, exact_inverse=False)


def unrolled_rule(s, field, p, ops, order):
    """Unrolled GAN (Metz et al., ICLR 2017), ``k`` unrolling steps.

    ``y`` takes its own step ``y+ = y - eta_y v_y(x, y)``. ``x`` descends the
    surrogate ``L_x(x, y_k(x))`` where ``y_0 = y`` and
    ``y_{j+1} = y_j - eta_y v_y(x, y_j)``, differentiated through the ``k``
    steps: ``x+ = x - eta_x (grad_x L_x + D_k^T grad_y L_x)(x, y_k)`` with
    ``D_{j+1} = D_j - eta_y (J_yx + J_yy D_j)(x, y_j)``, ``D_0 = 0``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("unrolled", k=1), [1, 1], steps=1, eta=0.5)
    >>> r.final.round(12).tolist()
    [0.0, 1.5]
    """
    x, y = s["x"], s["y"]
    yj, D = y, ops.zeros(len(y), len(x))
    for _ in range(p.k):
        _, _, Jyx, Jyy = field.jac(x, yj)
        D = D - p.eta_y * (Jyx + Jyy @ D)
        yj = yj - p.eta_y * field.v_y(x, yj)
    gx = field.v_x(x, yj) + D.T @ field.grad_y_Lx(x, yj)
    return {"x": x - p.eta_x * gx, "y": y - p.eta_y * field.v_y(x, y)}


def n_inner_rule(s, field, p, ops, order):
    """``n`` discriminator steps per generator step (WGAN's ``n_critic``; Arjovsky et al. 2017).

    ``y`` takes ``n`` steps ``y_{j+1} = y_j - eta_y v_y(x, y_j)``; then ``x``
    takes one: ``x+ = x - eta_x v_x(x, y_n)`` (``"alternating"``, the default
    and WGAN's schedule, so here ``y`` moves first) or ``x - eta_x v_x(x, y)``
    (``"simultaneous"``).

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("n_inner", n=2), [1, 1], steps=1, eta=0.5)
    >>> r.final.round(12).tolist()
    [0.0, 2.0]
    """
    x, y = s["x"], s["y"]
    yj = y
    for _ in range(p.n):
        yj = yj - p.eta_y * field.v_y(x, yj)
    x_new = x - p.eta_x * field.v_x(x, yj if order == ALT else y)
    return {"x": x_new, "y": yj}


# ------------------------------------------------------------- the registry
@dataclass(frozen=True)
class MethodSpec:
    """Everything about one method, in one place.

    Attributes
    ----------
    name : str
    rule, init : callable
        The update rule and the initial (augmented) state, see the module docstring.
    state : tuple of Block
        The state blocks, in the order of the augmented state.
    orders : tuple of str
        The orders the rule defines; the first is the default.
    params : tuple of Param
        Parameters beyond the step size :data:`ETA` (which every method has).
    adam : bool
        Adam preconditioning of the field values applies (Torch optimizers).
    needs_losses : bool
        The rule uses ``field.grad_y_Lx`` (the players' losses, not only the
        field), so it needs a game with losses, and on general-sum games its
        Jacobian is not that of the quadratic model.
    torch_kernel : str or None
        Name of a fused Torch implementation of the same formula in
        :mod:`gametheory.neural.kernels` (kept only where a benchmark shows it
        pays; tested step for step against the rule).
    steps_optional_with : tuple of str
        The step size may be omitted when all these parameters are given
        (OGD with free coefficients).
    """

    name: str
    rule: Callable
    init: Callable
    state: tuple
    orders: tuple
    params: tuple = ()
    adam: bool = False
    needs_losses: bool = False
    torch_kernel: str | None = None
    steps_optional_with: tuple = ()

    @property
    def parameters(self) -> tuple:
        """The step size, then :attr:`params`."""
        return (ETA,) + tuple(self.params)

    @property
    def state_keys(self) -> tuple:
        return tuple(b.key for b in self.state)

    @property
    def default_order(self) -> str:
        return self.orders[0]

    @property
    def integer_params(self) -> tuple:
        """Names of the structural (integer) parameters."""
        return tuple(q.name for q in self.params if q.kind == "integer")

    @property
    def optional_params(self) -> tuple:
        """Names of the optional parameters (absent unless given)."""
        return tuple(q.name for q in self.params if q.default is None)

    def param(self, name: str) -> Param:
        """The :class:`Param` that ``name`` belongs to (``"eta_x"`` -> ``ETA``)."""
        for q in self.parameters:
            if name in q.names:
                return q
        fail(name, f"a parameter of {self.name!r}: one of {sorted(n for q in self.parameters for n in q.names)}")


def _spec(name, rule, init, state, orders=(SIM, ALT), **kw) -> MethodSpec:
    return MethodSpec(name, rule, init, state, orders, **kw)


REGISTRY = {s.name: s for s in (
    _spec("gd", gd_rule, gd_init, (X, Y), adam=True),
    _spec("momentum", momentum_rule, momentum_init, (X, Y) + PREV, params=(BETA,), adam=True),
    _spec("eg", eg_rule, gd_init, (X, Y), params=(ETA_EXTRAP,), adam=True),
    _spec("ogd", ogd_rule, ogd_init, (X, Y) + VPREV, params=(ALPHA, ALPHA_PREV), adam=True,
          steps_optional_with=("alpha", "alpha_prev")),
    _spec("past_eg", past_eg_rule, past_eg_init, (X, Y) + VHALF, orders=(SIM,), adam=True),
    _spec("consensus", consensus_rule, gd_init, (X, Y), orders=(SIM,), params=(GAMMA,), adam=True,
          torch_kernel="consensus"),
    _spec("sga", sga_rule, gd_init, (X, Y), orders=(SIM,), params=(LAM,), torch_kernel="sga"),
    _spec("cgd", cgd_rule, gd_init, (X, Y), orders=(SIM,), torch_kernel="cgd"),
    _spec("lcgd", lcgd_rule, gd_init, (X, Y), orders=(SIM,), torch_kernel="lcgd"),
    _spec("unrolled", unrolled_rule, gd_init, (X, Y), orders=(SIM,), params=(K,), adam=True, needs_losses=True,
          torch_kernel="unrolled"),
    _spec("n_inner", n_inner_rule, gd_init, (X, Y), orders=(ALT, SIM), params=(N,), adam=True),
)}

#: every parameter of every method, by name (``ETA``, ``BETA``, ...)
PARAMETERS = {q.name: q for s in REGISTRY.values() for q in s.parameters}
#: the continuous parameters as a rule reads them (``eta_x``, ``eta_y``, ``beta_x``, ``beta_y``, ``gamma``, ...)
CONTINUOUS = tuple(n for q in PARAMETERS.values() if q.kind == "continuous" for n in q.read_names)
#: documented upper limits of the structural integers (``k`` unrolled steps, ``n`` inner steps)
INTEGER_LIMITS = {q.name: q.maximum for q in PARAMETERS.values() if q.kind == "integer"}


def parameter_symbols() -> dict:
    """The SymPy symbol of every continuous parameter name (shared and per-player), with its assumptions.

    >>> parameter_symbols()["beta_x"]
    beta_x
    """
    return {n: q.symbol(n) for q in PARAMETERS.values() if q.kind == "continuous" for n in q.names}


# which player each state block belongs to, and the label of its symbols (every spec's blocks)
BLOCK_PLAYER = {b.key: b.player for s in REGISTRY.values() for b in s.state}
BLOCK_LABEL = {b.key: b.label for s in REGISTRY.values() for b in s.state if b.label}


@dataclass(frozen=True)
class Method:
    """A registry method with its order and any parameters bound by :func:`get`.

    Call :meth:`params` to check and complete a parameter dict, and
    :meth:`step` / :meth:`initial_state` to run the rule on a backend.
    """

    name: str
    order: str
    bound: tuple = ()  # (name, value) pairs fixed at get()

    @property
    def spec(self) -> MethodSpec:
        return REGISTRY[self.name]

    @property
    def state_keys(self) -> tuple:
        return self.spec.state_keys

    @property
    def param_names(self) -> tuple:
        """Every parameter name this method accepts."""
        return tuple(n for q in self.spec.parameters for n in q.names)

    @property
    def key(self) -> tuple:
        return (self.name, self.order, self.bound)

    def __repr__(self):
        extra = "".join(f", {k}={v}" for k, v in self.bound)
        return f"Method({self.name!r}, order={self.order!r}{extra})"

    @property
    def doc(self) -> str:
        return self.spec.rule.__doc__ or ""

    def bind(self, **params) -> "Method":
        """The same method with more parameters bound (``k``, ``n``, or defaults of continuous ones)."""
        return get(self.name, self.order, **{**dict(self.bound), **params})

    def step(self, state, field, p, ops):
        return self.spec.rule(state, field, p, ops, self.order)

    def initial_state(self, x, y, field, p, ops):
        return self.spec.init(x, y, field, p, ops)

    def block_sizes(self, nx: int, ny: int) -> list:
        """The length of each state block, for players of sizes ``nx`` and ``ny``."""
        return [nx if b.player == "x" else ny for b in self.spec.state]

    def merged(self, params: dict) -> dict:
        """The bound parameters overridden by ``params`` (None values dropped)."""
        out = dict(self.bound)
        out.update({k: v for k, v in params.items() if v is not None})
        return out

    def structural(self, params: dict) -> dict:
        """The integer parameters (``k``, ``n``) that change the rule's shape."""
        merged = self.merged(params)
        return {q.name: integer(q.name, merged.get(q.name, q.default), minimum=q.minimum, maximum=q.maximum)
                for q in self.spec.params if q.kind == "integer"}

    def optional_given(self, params: dict) -> tuple:
        """The optional parameters that are given (each adds a symbol to a derivation)."""
        merged = self.merged(params)
        return tuple(n for n in self.spec.optional_params if merged.get(n) is not None)

    def per_player_given(self, params: dict) -> tuple:
        """The per-player names given (``eta_x``, ``beta_y``, ...): the players' values may then differ."""
        merged = self.merged(params)
        return tuple(n for q in self.spec.parameters if q.per_player for n in q.read_names if n in merged)

    def continuous_values(self, params: dict, mode: str = "exact") -> dict:
        """The continuous parameters given or defaulted, keyed by the names a rule reads, read in ``mode``.

        ``mode`` is that of :meth:`params` (``"exact"`` or ``"float"``;
        floats keep NumPy arrays as arrays).

        >>> get("momentum").continuous_values({"eta": "1/2", "beta_y": -1})
        {'eta_x': 1/2, 'eta_y': 1/2, 'beta_x': 0, 'beta_y': -1}
        """
        p = self.params(params, mode=mode)
        return {n: getattr(p, n) for n in CONTINUOUS if getattr(p, n, None) is not None}

    def params(self, given: dict, *, mode: str = "exact", symbols: dict | None = None) -> SimpleNamespace:
        """Check ``given`` and return the full parameter namespace a rule reads.

        ``mode="exact"``: numbers become exact SymPy numbers (floats at their
        binary value); ``mode="float"``: floats (arrays allowed);
        ``mode="symbolic"``: continuous parameters not given become the SymPy
        ``symbols`` given (by name; used by :func:`gametheory.derive`), except
        optional ones, which stay absent (None).

        >>> p = get("momentum").params({"eta": 0.1, "beta_y": -0.5}, mode="float")
        >>> p.eta_x, p.eta_y, p.beta_x, p.beta_y
        (0.1, 0.1, 0.0, -0.5)
        """
        spec = self.spec
        unknown = set(given) - set(self.param_names)
        if unknown:
            fail(sorted(unknown)[0], f"a parameter of {self.name!r}: one of {sorted(self.param_names)}")
        merged = self.merged(given)
        symbols = symbols or {}
        steps_optional = bool(spec.steps_optional_with) and all(
            merged.get(n) is not None for n in spec.steps_optional_with)

        def read(name, value, q):
            if value is None:
                return None
            if q.kind == "integer":
                return integer(name, value, minimum=q.minimum, maximum=q.maximum)
            if mode == "symbolic" and isinstance(value, sp.Basic) and value.free_symbols:
                return value
            if mode == "float":
                out = float_array(name, value) if is_array(value) else float(float_array(name, value))
            else:
                out = exact_number(name, value)
            if q.nonnegative and np.any(np.asarray(out, dtype=float) < 0):
                fail(name, "a value >= 0" if q is not ETA else "a step size >= 0", value)
            return out

        out = {}
        for q in spec.parameters:
            for name in q.read_names:
                source = name if merged.get(name) is not None else q.name
                value = merged.get(source)
                if value is None and q.kind == "continuous" and mode == "symbolic" and q.default is not None:
                    value = symbols.get(name, symbols.get(q.name))
                if value is None and q.default is REQUIRED:
                    if q is ETA and steps_optional:
                        out[name] = None
                        continue
                    if q is ETA:
                        fail("eta", f"a step size for {self.name!r}: give eta, or both eta_x and eta_y")
                    fail(q.name, f"a value for {self.name!r} (it has no default)")
                if value is None:
                    value = q.default
                out[name] = read(source, value, q)
        return SimpleNamespace(**out)


def names() -> list:
    """The registered method names."""
    return sorted(REGISTRY)


def get(name: str, order: str | None = None, **options) -> Method:
    """Look up a method: ``get("momentum", order="alternating", beta=-0.5)``.

    ``options`` bind parameters (``k`` for ``unrolled``, ``n`` for
    ``n_inner``, or any continuous parameter as a default).
    """
    if not isinstance(name, str) or name not in REGISTRY:
        fail("method", "a method name, one of " + ", ".join(names()), name)
    spec = REGISTRY[name]
    order = spec.default_order if order is None else order
    if order not in spec.orders:
        if order not in (SIM, ALT):
            fail("order", "'simultaneous' or 'alternating'", order)
        fail("order", f"an order that {name!r} defines: {', '.join(spec.orders)}", order)
    for k in options:
        q = spec.param(k)
        if q.kind == "integer":
            options[k] = integer(k, options[k], minimum=q.minimum, maximum=q.maximum)
    return Method(name, order, tuple(sorted(options.items())))


def registry(orders: bool = True) -> list:
    """Every method in every order it defines (for contract tests and tables)."""
    return [get(n, o) for n in names() for o in (REGISTRY[n].orders if orders else REGISTRY[n].orders[:1])]
