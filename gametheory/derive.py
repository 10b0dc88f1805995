"""Symbolic derivation: update map, augmented Jacobian, characteristic polynomial.

:func:`derive` runs a method's single update rule on the SymPy backend, so the
fixed-point operator is derived from the same code that iterates numerically.

Examples
--------
>>> import gametheory as gt
>>> d = gt.derive(gt.games.bilinear([[1]]), gt.methods.get("gd"))
>>> d.charpoly
eta**2 + mu**2 - 2*mu + 1
>>> d.reduced_charpoly      # per singular value, in s = eta * sigma
mu**2 - 2*mu + s**2 + 1
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field as dc_field
from typing import TYPE_CHECKING

import sympy as sp

from .backends import SymbolicField, SymPyOps
from .exact import MU
from .methods import ETA, PARAMETERS, Method, parameter_symbols
from .validation import ParameterError, fail

if TYPE_CHECKING:
    from .games import Game

S = sp.Symbol("s", positive=True)          # eta * sigma in the bilinear reduction
SIGMA = sp.Symbol("sigma", positive=True)  # a singular value of A

#: the symbol of every continuous parameter name (from the methods' specs: eta, eta_x, beta, beta_x, ...)
PARAM_SYMBOLS = parameter_symbols()


@dataclass
class Derivation:
    """What :func:`derive` returns.

    Attributes
    ----------
    method, game : the inputs.
    state : tuple of sympy.Symbol
        The augmented state, flattened block by block (``method.state_keys``).
    state_names : tuple of str
    params : dict
        Parameter name -> value or symbol used.
    update : sympy.Matrix
        The fixed-point operator ``F(state)`` as a column.
    fixed_point : tuple
        The augmented equilibrium where the Jacobian is taken.
    jacobian : sympy.Matrix
        ``dF/dstate`` at the fixed point (the augmented Jacobian).
    charpoly : sympy.Expr
        ``det(mu I - jacobian)`` in the symbol ``mu``.
    singular_value_charpoly : sympy.Expr or None
        Bilinear games: the same for the 2x2 block of one singular value
        ``sigma``.
    reduced_charpoly : sympy.Expr or None
        Bilinear games with one step size: ``singular_value_charpoly`` written
        in ``s = eta * sigma`` (None if it does not depend on ``eta*sigma`` only).
    """

    method: Method
    game: object
    state: tuple
    state_names: tuple
    params: dict
    update: sp.Matrix
    fixed_point: tuple
    jacobian: sp.Matrix
    mu: sp.Symbol = MU
    singular_value_charpoly: sp.Expr | None = None
    reduced_charpoly: sp.Expr | None = None
    _charpoly: sp.Expr | None = dc_field(default=None, repr=False)

    @property
    def charpoly(self) -> sp.Expr:
        if self._charpoly is None:
            self._charpoly = sp.expand(self.jacobian.charpoly(self.mu).as_expr())
        return self._charpoly

    @property
    def free_params(self) -> list:
        return sorted({v for v in self.params.values() if isinstance(v, sp.Symbol)}, key=str)

    def latex(self) -> str:
        """A LaTeX summary: update map, Jacobian and characteristic polynomial."""
        z = sp.Matrix(self.state)
        lines = [
            rf"\text{{{self.method.name} ({self.method.order}) on {self.game.name}}}",
            sp.latex(z) + r" \mapsto " + sp.latex(self.update),
            r"J_F = " + sp.latex(self.jacobian),
            r"\det(\mu I - J_F) = " + sp.latex(self.charpoly),
        ]
        if self.reduced_charpoly is not None:
            lines.append(r"\text{per singular value } (s=\eta\sigma):\ " + sp.latex(self.reduced_charpoly))
        elif self.singular_value_charpoly is not None:
            lines.append(r"\text{per singular value } \sigma:\ " + sp.latex(self.singular_value_charpoly))
        return " \\\\\n".join(lines)

    def _repr_latex_(self):
        return "$$" + self.latex() + "$$"

    def __str__(self):
        return (f"{self.method!r} on {self.game.name}\n  state: {self.state_names}\n"
                f"  jacobian: {self.jacobian.tolist()}\n  charpoly: {self.charpoly}")


def _tidy(expr):
    expr = sp.sympify(expr)
    if expr.is_number:
        return sp.nsimplify(expr) if expr.is_Float else expr
    try:
        return sp.factor_terms(sp.cancel(expr))
    except sp.PolynomialError:
        return sp.simplify(expr)


def _state_symbols(method, game):
    blocks, names = {}, []
    for block in method.spec.state:
        vars_ = game.x if block.player == "x" else game.y
        syms = [sp.Symbol(f"{v}_{block.label}", real=True) for v in vars_] if block.label else list(vars_)
        blocks[block.key] = sp.Matrix(syms)
        names += [str(s) for s in syms]
    return blocks, tuple(names)


def _symbols(per_player) -> dict:
    """Parameter symbols for a derivation: per-player names share the parameter's symbol unless separate.

    ``per_player``: True (every per-player parameter gets ``<name>_x``,
    ``<name>_y``), False (none) or the names of those that do.
    """
    out = dict(PARAM_SYMBOLS)
    for q in PARAMETERS.values():
        if q.per_player and not (per_player is True or (per_player and q.name in per_player)):
            for n in q.read_names:
                out[n] = PARAM_SYMBOLS[q.name]
    return out


def check_game_method(game, method):
    """Raise :class:`ParameterError` unless ``game`` is a Game and ``method`` a Method."""
    from .games import Game

    if not isinstance(game, Game):
        fail("game", "a Game (e.g. gametheory.games.bilinear([[1]]))", type(game).__name__)
    if not isinstance(method, Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)


def _game_and_method(game, method):
    """``(game, method)`` from either argument order (``derive(method, game)`` is deprecated)."""
    if isinstance(game, Method) and not isinstance(method, Method):
        warnings.warn("derive(method, game) is deprecated: call derive(game, method), the argument order of "
                      "spectral_radius and stability", DeprecationWarning, stacklevel=3)
        game, method = method, game
    check_game_method(game, method)
    return game, method


def _flatten(blocks, keys):
    out = []
    for k in keys:
        out += list(blocks[k])
    return out


def derive(game: Game, method: Method, *, at=None, two_timescale: bool = False, per_player=None,
           simplify: bool = True, _bilinear_block: bool = True, **params) -> Derivation:
    """Derive a method's fixed-point operator and augmented Jacobian on a game.

    Parameters
    ----------
    game : Game
    method : Method
        From :func:`gametheory.methods.get`. (The old order ``derive(method,
        game)`` still works, with a ``DeprecationWarning``.)
    at : tuple, optional
        The equilibrium (default: the game's first).
    two_timescale : bool
        Use separate step-size symbols ``eta_x``, ``eta_y`` (default: one ``eta``).
    per_player : bool or tuple of str, optional
        Which per-player parameters get separate symbols for the two players
        (``True``: all, e.g. ``beta_x``, ``beta_y`` for momentum); the default
        is the step size when ``two_timescale`` is set, else none.
    **params
        Values for parameters; those not given stay symbolic (``k`` and ``n``
        must be integers; optional parameters such as ``eta_extrap`` stay
        absent unless given, possibly as a symbol).

    Returns
    -------
    Derivation
    """
    game, method = _game_and_method(game, method)
    if method.spec.needs_losses:
        game._require_losses(f"the {method.name} method")
    if per_player is None:
        per_player = ("eta",) if two_timescale else False
    symbols = _symbols(per_player)
    p = method.params(params, mode="symbolic", symbols=symbols)
    ops = SymPyOps
    blocks, names = _state_symbols(method, game)
    keys = method.state_keys
    state = tuple(_flatten(blocks, keys))
    eq = game.equilibrium(at)
    nx = len(game.x)

    def run(g):
        field = SymbolicField(g)
        new = method.step(blocks, field, p, ops)
        init = method.initial_state(sp.Matrix(eq[:nx]), sp.Matrix(eq[nx:]), field, p, ops)
        return sp.Matrix(_flatten(new, keys)), tuple(sp.sympify(e) for e in _flatten(init, keys))

    update, fixed = run(game)
    # the fixed point must be one: F(fixed) == fixed
    residual = update.xreplace(dict(zip(state, fixed))) - sp.Matrix(fixed)
    if any(sp.simplify(r) != 0 for r in residual):
        raise ParameterError(f"the point {eq} is not a fixed point of {method!r} on {game.name!r}")
    # The Jacobian at the fixed point only sees v and J there, so it is taken on the
    # game's quadratic model (affine field): same matrix, much smaller expressions.
    exact_model = game.is_affine or (method.spec.needs_losses and not game.zero_sum)
    linear_update = update if exact_model else run(game.quadratic_model(at))[0]
    jac = linear_update.jacobian(state).xreplace(dict(zip(state, fixed)))
    if jac.has(sp.DiracDelta, sp.nan, sp.zoo):
        raise ParameterError(
            f"{method!r} on {game.name!r}: the update is not differentiable at the equilibrium {eq}")
    if simplify:
        jac = jac.applyfunc(_tidy)
    used = {k: getattr(p, k) for k in vars(p)}
    d = Derivation(method, game, state, names, used, update, fixed, jac)
    if _bilinear_block and game.kind == "bilinear" and len(game.x) + len(game.y) > 0:
        _add_bilinear_block(d, method, per_player, params)
    return d


def symbolic_derivation(game, method, params: dict, at=None) -> Derivation:
    """The derivation with every continuous parameter symbolic, cached on the game.

    ``params`` may hold any parameter values: only the structural ones
    (``k``, ``n``) and which optional parameters are given (``eta_extrap``,
    ``alpha``, ...) shape the derivation; the values are substituted by the
    caller. Per-player parameters (``eta_x``, ``eta_y``, ``beta_x``,
    ``beta_y``) always have separate symbols here.
    """
    structural = method.structural(params)
    optional = {k: PARAM_SYMBOLS[k] for k in method.optional_given(params)}
    key = ("derivation", method.key, tuple(sorted(structural.items())), tuple(sorted(optional)),
           None if at is None else tuple(map(str, at)))
    cache = game._cache
    if key not in cache:
        cache[key] = derive(game, method, at=at, per_player=True, _bilinear_block=False, **structural, **optional)
    return cache[key]


def _add_bilinear_block(d, method, per_player, params):
    """Per-singular-value polynomial: the method on ``min_x max_y sigma x y``."""
    from .games import bilinear

    block = derive(bilinear([[SIGMA]]), method, per_player=per_player, _bilinear_block=False, **params)
    poly = block.charpoly
    d.singular_value_charpoly = poly
    eta = PARAM_SYMBOLS["eta"]
    if not per_player and not set(ETA.names) & set(params):
        reduced = sp.expand(sp.simplify(poly.xreplace({SIGMA: S / eta})))
        if eta not in reduced.free_symbols:
            d.reduced_charpoly = reduced


def singular_values(A) -> list:
    """Exact singular values of a matrix (square roots of the eigenvalues of ``A^T A``)."""
    A = sp.Matrix(A)
    G = A.T * A if A.shape[0] >= A.shape[1] else A * A.T
    out = []
    for ev, mult in G.eigenvals().items():
        out += [sp.sqrt(sp.nsimplify(ev))] * mult
    return sorted(out, key=lambda e: float(e))
