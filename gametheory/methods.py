"""Training methods, each written once as a pure update rule.

A rule has the signature ``rule(state, field, p, ops, order) -> new_state``:

* ``state`` is a dict of named blocks (``"x"``, ``"y"``, and for augmented
  methods ``"x_prev"``, ``"gx_prev"``, ...), each a vector of one player;
* ``field`` and ``ops`` come from a backend (:mod:`gametheory.backends`:
  SymPy for derivations, NumPy for iteration; Torch in
  :mod:`gametheory.neural`);
* ``p`` holds the parameters (``eta_x``, ``eta_y``, ``beta``, ``gamma``,
  ``lam``, ``k``, ``n``, ``eta_extrap``);
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
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from types import SimpleNamespace
from typing import Callable

import numpy as np
import sympy as sp

from .validation import exact_number, fail, float_array, integer, is_array

SIM, ALT = "simultaneous", "alternating"
STEP_NAMES = ("eta", "eta_x", "eta_y")
#: the continuous parameters, as they appear in derivations (``eta`` is read into ``eta_x``, ``eta_y``)
CONTINUOUS = ("eta_x", "eta_y", "beta", "gamma", "lam", "eta_extrap")


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

    ``x+ = x - eta_x v_x(x, y) + beta (x - x_prev)``;
    ``y+ = y - eta_y v_y(x', y) + beta (y - y_prev)``, ``x'`` as in ``gd``.
    Any real ``beta``: negative momentum is the point of Gidel et al.
    Augmented state ``(x, y, x_prev, y_prev)``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("momentum", order="alternating"), [1, 1], steps=2, eta=0.5, beta=-0.5)
    >>> r.final.round(12).tolist()
    [0.125, 1.1875]
    """
    x, y = s["x"], s["y"]
    x_new = x - p.eta_x * field.v_x(x, y) + p.beta * (x - s["x_prev"])
    y_new = y - p.eta_y * field.v_y(_moved_x(order, x, x_new), y) + p.beta * (y - s["y_prev"])
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

    ``z+ = z - 2 eta v(z) + eta v(z_prev)``; the previous field value is part
    of the state (``gx_prev``, ``gy_prev``) and starts equal to ``v(z0)``, so
    the first step is a plain gradient step. Alternating: ``y`` uses ``x+``.

    On ``f = xy`` from ``(1, 1)``:

    >>> import gametheory as gt
    >>> r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("ogd"), [1, 1], steps=2, eta=0.5)
    >>> r.final.round(12).tolist()
    [-0.5, 1.5]
    """
    x, y = s["x"], s["y"]
    gx = field.v_x(x, y)
    x_new = x - 2 * p.eta_x * gx + p.eta_x * s["gx_prev"]
    gy = field.v_y(_moved_x(order, x, x_new), y)
    y_new = y - 2 * p.eta_y * gy + p.eta_y * s["gy_prev"]
    return {"x": x_new, "y": y_new, "gx_prev": gx, "gy_prev": gy}


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
    """How a method is defined: its rule, initial state, orders and parameters."""

    rule: Callable
    init: Callable
    state_keys: tuple
    orders: tuple
    params: tuple = ()          # required beyond the step sizes
    defaults: dict = dc_field(default_factory=dict)
    integer_params: tuple = ()  # structural parameters (fixed integers)
    default_order: str = SIM


REGISTRY = {
    "gd": MethodSpec(gd_rule, gd_init, ("x", "y"), (SIM, ALT)),
    "momentum": MethodSpec(momentum_rule, momentum_init, ("x", "y", "x_prev", "y_prev"), (SIM, ALT),
                           params=("beta",), defaults={"beta": 0}),
    "eg": MethodSpec(eg_rule, gd_init, ("x", "y"), (SIM, ALT), defaults={"eta_extrap": None}),
    "ogd": MethodSpec(ogd_rule, ogd_init, ("x", "y", "gx_prev", "gy_prev"), (SIM, ALT)),
    "past_eg": MethodSpec(past_eg_rule, past_eg_init, ("x", "y", "gx_half", "gy_half"), (SIM,)),
    "consensus": MethodSpec(consensus_rule, gd_init, ("x", "y"), (SIM,), params=("gamma",)),
    "sga": MethodSpec(sga_rule, gd_init, ("x", "y"), (SIM,), params=("lam",)),
    "cgd": MethodSpec(cgd_rule, gd_init, ("x", "y"), (SIM,)),
    "lcgd": MethodSpec(lcgd_rule, gd_init, ("x", "y"), (SIM,)),
    "unrolled": MethodSpec(unrolled_rule, gd_init, ("x", "y"), (SIM,), defaults={"k": 1}, integer_params=("k",)),
    "n_inner": MethodSpec(n_inner_rule, gd_init, ("x", "y"), (ALT, SIM), defaults={"n": 1},
                          integer_params=("n",), default_order=ALT),
}
#: documented upper limits of the structural integers: ``k`` unrolled steps, ``n`` inner steps (each derivation
#: and each numeric step composes that many steps; beyond these it takes minutes to hours)
INTEGER_LIMITS = {"k": 100, "n": 1000}
# which player each state block belongs to
BLOCK_PLAYER = {"x": "x", "y": "y", "x_prev": "x", "y_prev": "y", "gx_prev": "x", "gy_prev": "y",
                "gx_half": "x", "gy_half": "y"}
BLOCK_LABEL = {"x_prev": "prev", "y_prev": "prev", "gx_prev": "vprev", "gy_prev": "vprev",
               "gx_half": "vhalf", "gy_half": "vhalf"}


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
        return STEP_NAMES + self.spec.params + tuple(k for k in self.spec.defaults if k not in self.spec.params)

    @property
    def key(self) -> tuple:
        return (self.name, self.order, self.bound)

    def __repr__(self):
        extra = "".join(f", {k}={v}" for k, v in self.bound)
        return f"Method({self.name!r}, order={self.order!r}{extra})"

    @property
    def doc(self) -> str:
        return self.spec.rule.__doc__ or ""

    def step(self, state, field, p, ops):
        return self.spec.rule(state, field, p, ops, self.order)

    def initial_state(self, x, y, field, p, ops):
        return self.spec.init(x, y, field, p, ops)

    def structural(self, params: dict) -> dict:
        """The integer parameters (``k``, ``n``) that change the rule's shape."""
        merged = {**self.spec.defaults, **dict(self.bound), **params}
        return {k: integer(k, merged[k], minimum=1, maximum=INTEGER_LIMITS.get(k)) for k in self.spec.integer_params}

    def continuous_values(self, params: dict, mode: str = "exact") -> dict:
        """The continuous parameters given (``eta_x``, ``beta``, ...) keyed by name, read in ``mode``.

        ``mode`` is that of :meth:`params` (``"exact"`` or ``"float"``; floats
        keep NumPy arrays as arrays).
        """
        p = self.params(params, mode=mode)
        out = {}
        for name in CONTINUOUS:
            val = getattr(p, name, None)
            if val is not None and not isinstance(val, int):
                out[name] = val
        return out

    def params(self, given: dict, *, mode: str = "exact", symbols: dict | None = None) -> SimpleNamespace:
        """Check ``given`` and return the full parameter namespace.

        ``mode="exact"``: numbers become exact SymPy numbers (floats at their
        binary value); ``mode="float"``: floats (arrays allowed);
        ``mode="symbolic"``: missing continuous parameters become the SymPy
        ``symbols`` given (used by :func:`gametheory.derive`).
        """
        allowed = set(self.param_names)
        unknown = set(given) - allowed
        if unknown:
            fail(sorted(unknown)[0], f"a parameter of {self.name!r}: one of {sorted(allowed)}")
        merged = dict(self.bound)
        merged.update({k: v for k, v in given.items() if v is not None})
        symbols = symbols or {}

        def read(name, value):
            if name in self.spec.integer_params:
                return integer(name, value, minimum=1, maximum=INTEGER_LIMITS.get(name))
            if value is None:
                return None
            if mode == "float":
                if is_array(value):
                    return float_array(name, value)
                return float(float_array(name, value))
            return exact_number(name, value)

        out = {}
        # step sizes: eta for both players, or eta_x / eta_y (each overriding eta)
        for who in ("eta_x", "eta_y"):
            source = who if merged.get(who) is not None else "eta"
            value = merged.get(source)
            if value is None:
                if mode == "symbolic":
                    value = symbols.get(who, symbols.get("eta"))
                else:
                    fail("eta", f"a step size for {self.name!r}: give eta, or both eta_x and eta_y")
            out[who] = read(source, value)
            if mode != "symbolic" or not isinstance(out[who], sp.Basic) or out[who].is_number:
                if np.any(np.asarray(out[who], dtype=float) < 0):
                    fail(source, "a step size >= 0", value)
        # continuous parameters: symbolic when deriving, else given or the default
        for name in self.spec.params:
            value = merged.get(name)
            if value is None:
                value = symbols.get(name) if mode == "symbolic" else self.spec.defaults.get(name)
            if value is None:
                fail(name, f"a value for {self.name!r} (it has no default)")
            out[name] = read(name, value)
        # options with defaults (eta_extrap, k, n)
        for name, default in self.spec.defaults.items():
            if name not in out:
                out[name] = read(name, merged.get(name, default))
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
        known = (SIM, ALT)
        if order not in known:
            fail("order", "'simultaneous' or 'alternating'", order)
        fail("order", f"an order that {name!r} defines: {', '.join(spec.orders)}", order)
    m = Method(name, order)
    allowed = set(m.param_names)
    for k in options:
        if k not in allowed:
            fail(k, f"a parameter of {name!r}: one of {sorted(allowed)}")
    for k in spec.integer_params:
        if k in options:
            options[k] = integer(k, options[k], minimum=1, maximum=INTEGER_LIMITS.get(k))
    return Method(name, order, tuple(sorted(options.items())))


def registry(orders: bool = True) -> list:
    """Every method in every order it defines (for contract tests and tables)."""
    return [get(n, o) for n in names() for o in (REGISTRY[n].orders if orders else REGISTRY[n].orders[:1])]
