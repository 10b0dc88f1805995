"""Games: players' variables and losses as SymPy expressions, and a catalogue.

Conventions (see also the package docstring)
--------------------------------------------
* Zero-sum games are ``min_x max_y f(x, y)``: ``L_x = f`` and ``L_y = -f``.
  General-sum games give each player the loss it minimises, ``L_x`` and ``L_y``.
* The game's vector field is the *descent* direction stacked over players,
  ``v(z) = (grad_x L_x, grad_y L_y)`` with ``z = (x, y)``; plain simultaneous
  gradient descent is ``z+ = z - eta v(z)``. Its Jacobian is ``J = dv/dz``.
* A field given directly (for fields that come from no loss) is a descent
  field in the same sense. Blog posts often draw the *motion* field ``-v``;
  the catalogue functions below say which one they mean.

Examples
--------
>>> import gametheory as gt
>>> g = gt.games.bilinear([[1]])
>>> g.v.T
Matrix([[y1, -x1]])
>>> g.equilibria
[(0, 0)]
"""
from __future__ import annotations

import sympy as sp

from .expressions import parse_expression
from .validation import ParameterError, choice, exact_number, fail, matrix, vector

__all__ = [
    "Game", "bilinear", "quadratic", "dirac_gan", "curl_field", "cos_sin_field",
    "linear_discriminator", "from_expression", "catalogue",
]


def _symbols(names, default_prefix):
    if isinstance(names, str):
        names = [n for n in names.replace(",", " ").split() if n]
    out = []
    for n in names:
        out.append(n if isinstance(n, sp.Symbol) else sp.Symbol(str(n), real=True))
    if not out:
        fail(default_prefix, "at least one variable name")
    return tuple(out)


class Game:
    """A two-player differentiable game.

    Parameters
    ----------
    x, y : sequence of sympy.Symbol
        The variables of the min player (``x``) and the max player (``y``).
    f : sympy.Expr, optional
        Zero-sum objective, ``min_x max_y f``.
    L_x, L_y : sympy.Expr, optional
        General-sum losses, each minimised by its player.
    field : sequence of sympy.Expr, optional
        A descent field ``v`` given directly (length ``len(x) + len(y)``).
    equilibria : list of tuples, optional
        Known equilibria ``(x*..., y*...)``; solved from ``v = 0`` when the
        field is polynomial and none are given.
    name, kind : str
        A display name and a family tag (``"bilinear"``, ``"quadratic"``, ...).
    derivatives : tuple, optional
        ``(v, grad_y_Lx, jacobian)`` when the caller knows them in closed form
        (the matrix games of the catalogue: differentiating a 100-variable
        quadratic form symbolically takes seconds); they must equal the
        derivatives of the losses.

    Attributes
    ----------
    v : sympy.Matrix
        The descent field as a column.
    jacobian : sympy.Matrix
        ``dv/dz``.
    grad_y_Lx : sympy.Matrix or None
        ``d L_x / d y`` (needed by the unrolled method); None for fields.
    """

    def __init__(self, x, y, *, f=None, L_x=None, L_y=None, field=None, equilibria=None,
                 name="game", kind="general", data=None, parameters=(), derivatives=None):
        self.x = _symbols(x, "x")
        self.y = _symbols(y, "y")
        self.name, self.kind, self.data = name, kind, dict(data or {})
        z = self.x + self.y
        if len(set(z)) != len(z):
            fail("x, y", "distinct variable names", [str(s) for s in z])
        given = [a is not None for a in (f, L_x if L_x is not None else L_y, field)]
        if sum(given) != 1 or (L_x is None) != (L_y is None):
            raise ParameterError("give exactly one of: f (zero-sum), both L_x and L_y (general-sum), or field")
        if f is None and L_x is not None and sp.expand(sp.sympify(L_x) + sp.sympify(L_y)) == 0:
            f = L_x  # a general-sum description of a zero-sum game
        if f is not None:
            L_x, L_y = sp.sympify(f), -sp.sympify(f)
        self.f = None if f is None else sp.sympify(f)
        self.L_x = None if L_x is None else sp.sympify(L_x)
        self.L_y = None if L_y is None else sp.sympify(L_y)
        if field is not None:
            field = sp.Matrix(list(field))
            if field.shape[0] != len(z):
                fail("field", f"{len(z)} components (one per variable)", f"{field.shape[0]}")
            self.v = field
            self.grad_y_Lx = None
        elif derivatives is not None:  # catalogue games that know them (checked in tests/test_games.py)
            self.v, self.grad_y_Lx = (sp.Matrix(m) for m in derivatives[:2])
        else:
            self.v = sp.Matrix([sp.diff(self.L_x, s) for s in self.x] + [sp.diff(self.L_y, s) for s in self.y])
            self.grad_y_Lx = sp.Matrix([sp.diff(self.L_x, s) for s in self.y])
        self.parameters = tuple(parameters)
        extra = self.v.free_symbols - set(z) - set(self.parameters)
        if extra:
            fail("f / L_x / L_y / field", f"expressions in the declared variables {[str(s) for s in z]} only",
                 f"unknown symbols {sorted(map(str, extra))}")
        if self.v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            fail("f / L_x / L_y / field", "finite expressions (found a division by zero or infinity)", list(self.v))
        self.jacobian = self.v.jacobian(sp.Matrix(z)) if derivatives is None else sp.Matrix(derivatives[2])
        self._equilibria = None if equilibria is None else [self._point(e) for e in equilibria]
        self._cache = {}

    # ------------------------------------------------------------------ basics
    @property
    def zero_sum(self) -> bool:
        return self.f is not None

    @property
    def n(self) -> int:
        return len(self.x) + len(self.y)

    @property
    def is_affine(self) -> bool:
        """True when ``v`` is affine in ``z`` (bilinear and quadratic games)."""
        return not (self.jacobian.free_symbols & set(self.x + self.y))

    def __repr__(self):
        return f"Game({self.name!r}, x={list(self.x)}, y={list(self.y)})"

    def _require_losses(self, what):
        if self.L_x is None:
            raise ParameterError(f"{what} needs the players' losses, but game {self.name!r} is a vector field")

    def _point(self, e):
        pt = vector("equilibria", e, self.n)
        return tuple(pt)

    # ------------------------------------------------------------ equilibria
    @property
    def equilibria(self) -> list:
        """Equilibria as tuples ``(x*..., y*...)`` of exact numbers."""
        if self._equilibria is None:
            self._equilibria = self._solve_equilibria()
        return list(self._equilibria)

    def _solve_equilibria(self):
        z = self.x + self.y
        if not all(e.is_polynomial(*z) for e in self.v):
            raise ParameterError(
                f"game {self.name!r}: its field is not polynomial, so its equilibria are not solved "
                "automatically; pass equilibria=[...] when building the game or at=... to the analysis"
            )
        sols = sp.solve(list(self.v), z, dict=True)
        out = []
        for s in sols:
            pt = [sp.sympify(s.get(v, v)) for v in z]
            free = set().union(*[p.free_symbols for p in pt])
            pt = [p.xreplace({f: 0 for f in free}) for p in pt]  # a point of a continuum
            if all(p.is_real for p in pt):
                out.append(tuple(sp.nsimplify(p) if p.is_Float else p for p in pt))
        return out

    def equilibrium(self, at=None) -> tuple:
        """Return one equilibrium as a tuple: ``at`` if given (checked), else the first known."""
        if at is not None:
            pt = self._point(at)
            resid = self.v.xreplace(dict(zip(self.x + self.y, pt)))
            if any(sp.simplify(r) != 0 for r in resid):
                fail("at", f"an equilibrium of {self.name!r} (v(at) = 0)", [str(r) for r in resid])
            return pt
        eqs = self.equilibria
        if not eqs:
            raise ParameterError(f"game {self.name!r} has no equilibrium (v(z) = 0 has no real solution)")
        return eqs[0]

    def jacobian_at(self, at=None) -> sp.Matrix:
        """``J`` at an equilibrium (exact)."""
        pt = self.equilibrium(at)
        return self.jacobian.xreplace(dict(zip(self.x + self.y, pt)))

    def classify(self, at=None) -> str:
        """Classify an equilibrium of the descent dynamics ``dz/dt = -v``.

        Returns ``"stable"`` (every eigenvalue of ``J`` has positive real part),
        ``"unstable"`` (all negative), ``"saddle"`` (real parts of both signs),
        ``"center"`` (all purely imaginary and nonzero) or ``"degenerate"``.
        """
        eig = self.jacobian_at(at).eigenvals()
        re = [sp.re(sp.nsimplify(e)) for e in eig]
        pos = [bool(r > 0) for r in re]
        neg = [bool(r < 0) for r in re]
        zero = [not p and not q for p, q in zip(pos, neg)]
        if all(pos):
            return "stable"
        if all(neg):
            return "unstable"
        if any(pos) and any(neg):
            return "saddle"
        if all(zero) and all(e != 0 for e in eig):
            return "center"
        return "degenerate"

    def quadratic_model(self, at=None) -> "Game":
        """The second-order Taylor model of the game at an equilibrium.

        Its field is affine with the same value (zero) and Jacobian at the
        equilibrium, so every method whose update depends on the game only
        through ``v`` and ``J`` has the same augmented Jacobian on the model
        (all of them except ``unrolled`` on general-sum games, whose
        ``grad_y L_x`` need not vanish at the equilibrium).
        """
        if self.is_affine:
            return self
        pt = self.equilibrium(at)
        z = self.x + self.y
        at_pt = dict(zip(z, pt))
        dz = sp.Matrix([s - p for s, p in zip(z, pt)])

        def model(L):
            grad = sp.Matrix([sp.diff(L, s) for s in z]).xreplace(at_pt)
            hess = sp.hessian(L, z).xreplace(at_pt)
            return sp.expand((grad.T * dz)[0] + (dz.T * hess * dz)[0] / 2)

        kw = dict(equilibria=[pt], name=f"quadratic model of {self.name}", kind="quadratic_model",
                  parameters=self.parameters)
        if self.f is not None:
            return Game(self.x, self.y, f=model(self.f), **kw)
        if self.L_x is not None:
            return Game(self.x, self.y, L_x=model(self.L_x), L_y=model(self.L_y), **kw)
        return Game(self.x, self.y, field=list(self.jacobian.xreplace(at_pt) * dz), **kw)

    def hessian_blocks(self, at=None) -> tuple:
        """``(grad^2_xx L_x, grad^2_xy L_x, grad^2_yy L_y)`` at an equilibrium."""
        self._require_losses("the Nash / minimax test")
        J = self.jacobian_at(at)
        nx = len(self.x)
        return J[:nx, :nx], J[:nx, nx:], J[nx:, nx:]

    def is_local_nash(self, at=None) -> bool | None:
        """Second-order test for a local Nash equilibrium.

        True when both ``grad^2_xx L_x`` and ``grad^2_yy L_y`` are positive
        definite (sufficient), False when either has a negative eigenvalue (the
        necessary condition fails), None when the second-order test is
        inconclusive (semidefinite).
        """
        Hxx, _, Hyy = self.hessian_blocks(at)
        if Hxx.is_positive_definite and Hyy.is_positive_definite:
            return True
        if not (Hxx.is_positive_semidefinite and Hyy.is_positive_semidefinite):
            return False
        return None

    def is_local_minimax(self, at=None) -> bool | None:
        """Second-order test for a local minimax point (Jin, Netrapalli, Jordan, ICML 2020).

        For zero-sum ``f``: sufficient is ``grad^2_yy f < 0`` and the Schur
        complement ``grad^2_xx f - grad^2_xy f (grad^2_yy f)^-1 grad^2_yx f > 0``;
        necessary is ``grad^2_yy f <= 0`` (and, when it is definite, the Schur
        complement ``>= 0``). Returns True, False, or None when inconclusive.
        """
        if not self.zero_sum:
            raise ParameterError("is_local_minimax is defined for zero-sum games (give f)")
        Hxx, Hxy, Hyy_own = self.hessian_blocks(at)  # Hyy_own = grad^2_yy (-f)
        if not Hyy_own.is_positive_semidefinite:
            return False
        if not Hyy_own.is_positive_definite:
            return None
        S = Hxx + Hxy * Hyy_own.inv() * Hxy.T
        if S.is_positive_definite:
            return True
        if not S.is_positive_semidefinite:
            return False
        return None

    # --------------------------------------------------------------- numerics
    def field_function(self):
        """A NumPy function ``v(x, y) -> (v_x, v_y)`` (compiled once)."""
        from .backends import NumericField

        if "numeric_field" not in self._cache:
            self._cache["numeric_field"] = NumericField(self)
        return self._cache["numeric_field"]


# ---------------------------------------------------------------- catalogue
def _names(prefix, n):
    return [f"{prefix}{i + 1}" for i in range(n)]


def bilinear(A, b=None, c=None) -> Game:
    """Bilinear game ``min_x max_y x'A y + b'x + c'y``.

    Decouples into one 2x2 rotation per singular value of ``A``, which the
    spectral analysis uses (``Derivation.singular_value_charpoly``).

    Examples
    --------
    >>> bilinear([[1, 0], [0, 2]]).n
    4
    """
    A = matrix("A", A)
    nx, ny = A.shape
    b = sp.zeros(nx, 1) if b is None else vector("b", b, nx)
    c = sp.zeros(ny, 1) if c is None else vector("c", c, ny)
    xs = sp.Matrix(sp.symbols(_names("x", nx), real=True))
    ys = sp.Matrix(sp.symbols(_names("y", ny), real=True))
    f = sp.Add(*[A[i, j] * xs[i] * ys[j] for i in range(nx) for j in range(ny) if A[i, j] != 0],
               *[b[i] * xs[i] for i in range(nx)], *[c[j] * ys[j] for j in range(ny)])
    # equilibria: A y = -b, A^T x = -c (a particular solution if there is a continuum)
    eq = []
    if b.is_zero_matrix and c.is_zero_matrix:
        eq = [(0,) * (nx + ny)]
    else:
        sx = sp.linsolve((A.T, -c), list(xs))
        sy = sp.linsolve((A, -b), list(ys))
        if sx and sy:
            px, py = list(sx)[0], list(sy)[0]
            free = set().union(*[p.free_symbols for p in tuple(px) + tuple(py)])
            eq = [tuple(sp.sympify(p).xreplace({s: 0 for s in free}) for p in tuple(px) + tuple(py))]
    return Game(list(xs), list(ys), f=f, equilibria=eq, name=f"bilinear {nx}x{ny}", kind="bilinear",
                data={"A": A, "b": b, "c": c}, parameters=tuple(f.free_symbols - set(xs) - set(ys)),
                derivatives=_matrix_game_derivatives(xs, ys, sp.zeros(nx, nx), A, sp.zeros(ny, ny), b, c))


def _matrix_game_derivatives(xs, ys, P, A, Q, b, c):
    """``(v, grad_y L_x, J)`` of ``f = 1/2 x'Px + x'Ay - 1/2 y'Qy + b'x + c'y`` in closed form.

    ``v = (Px + Ay + b, -(A'x - Qy + c))`` and ``J = [[P, A], [-A', Q]]``
    (the matrix games' derivatives, instead of differentiating ``f``).
    """
    grad_y = A.T * xs - Q * ys + c  # d f / d y
    return (sp.Matrix.vstack(P * xs + A * ys + b, -grad_y), grad_y,
            sp.Matrix.vstack(sp.Matrix.hstack(P, A), sp.Matrix.hstack(-A.T, Q)))


def quadratic(P, A, Q) -> Game:
    """Quadratic game ``min_x max_y 1/2 x'Px + x'Ay - 1/2 y'Qy``.

    ``P`` and ``Q`` must be symmetric; they may be indefinite. The origin is
    an equilibrium.
    """
    A = matrix("A", A)
    nx, ny = A.shape
    P = matrix("P", P, (nx, nx))
    Q = matrix("Q", Q, (ny, ny))
    for nm, M in (("P", P), ("Q", Q)):
        if M != M.T:
            fail(nm, "a symmetric matrix", M.tolist())
    xs = sp.Matrix(sp.symbols(_names("x", nx), real=True))
    ys = sp.Matrix(sp.symbols(_names("y", ny), real=True))
    f = sp.Add(*[P[i, j] * xs[i] * xs[j] / 2 for i in range(nx) for j in range(nx) if P[i, j] != 0],
               *[A[i, j] * xs[i] * ys[j] for i in range(nx) for j in range(ny) if A[i, j] != 0],
               *[-Q[i, j] * ys[i] * ys[j] / 2 for i in range(ny) for j in range(ny) if Q[i, j] != 0])
    return Game(list(xs), list(ys), f=f, equilibria=[(0,) * (nx + ny)], name=f"quadratic {nx}x{ny}",
                kind="quadratic", data={"P": P, "A": A, "Q": Q},
                parameters=tuple(f.free_symbols - set(xs) - set(ys)),
                derivatives=_matrix_game_derivatives(xs, ys, P, A, Q, sp.zeros(nx, 1), sp.zeros(ny, 1)))


# Probabilists' Gauss-Hermite rule with 3 nodes: exact for polynomials of degree <= 5
_GH_NODES = ((0, sp.Rational(2, 3)), (sp.sqrt(3), sp.Rational(1, 6)), (-sp.sqrt(3), sp.Rational(1, 6)))


def dirac_gan(loss="gan", reg=None, gamma=0, sigma=0) -> Game:
    """The Dirac-GAN of Mescheder, Geiger, Nowozin (ICML 2018), Section 2.

    Generator ``delta_theta``, linear discriminator ``D(x) = psi x``, data
    ``delta_0``; ``L(theta, psi) = f(psi theta) + f(0)`` with
    ``f(t) = -log(1 + exp(-t))`` (``"gan"``, saturating generator),
    the non-saturating generator ``L_x = -f(-psi theta)`` (``"ns"``) or
    ``f(t) = t`` (``"wgan"``; clipping is a projection, see the dynamics). The
    generator ``theta`` minimises ``L``, the discriminator ``psi`` maximises it.

    Regularisers, added to the discriminator's loss with weight ``gamma``:
    ``"r1"`` / ``"r2"``: ``gamma/2 E|grad_x D|^2 = gamma/2 psi^2`` (identical for
    the Dirac-GAN); ``"gp"``: ``gamma/2 (|psi| - 1)^2`` (WGAN-GP, target norm 1;
    not differentiable at ``psi = 0``); ``"instance_noise"``: real and fake
    samples get Gaussian noise of standard deviation ``sigma``, and the
    expectation is taken with the 3-node Gauss-Hermite rule (exact for the
    Jacobian at the equilibrium, an approximation of the field far from it).
    """
    choice("loss", loss, ("gan", "ns", "wgan"))
    choice("reg", reg, (None, "r1", "r2", "gp", "instance_noise"))
    gamma, sigma = exact_number("gamma", gamma), exact_number("sigma", sigma)
    if reg in (None, "instance_noise") and gamma != 0:
        fail("gamma", "0 unless reg is 'r1', 'r2' or 'gp' (gamma is the penalty weight)", gamma)
    if reg != "instance_noise" and sigma != 0:
        fail("sigma", "0 unless reg='instance_noise' (sigma is the noise standard deviation)", sigma)
    if reg in ("r1", "r2", "gp") and not gamma > 0:
        fail("gamma", "a positive penalty weight", gamma)
    if reg == "instance_noise" and not sigma > 0:
        fail("sigma", "a positive noise standard deviation", sigma)
    theta, psi = sp.symbols("theta psi", real=True)

    def f(t):
        return t if loss == "wgan" else -sp.log(1 + sp.exp(-t))

    nodes = _GH_NODES if reg == "instance_noise" else ((0, 1),)
    L = sum(w * (f(psi * (theta + sigma * e)) + f(-psi * sigma * e)) for e, w in nodes)
    L_x = -sum(w * f(-psi * (theta + sigma * e)) for e, w in nodes) if loss == "ns" else L
    penalty = {None: 0, "instance_noise": 0, "r1": gamma / 2 * psi**2, "r2": gamma / 2 * psi**2,
               "gp": gamma / 2 * (sp.Abs(psi) - 1) ** 2}[reg]
    L_y = -L + penalty
    name = f"Dirac-GAN ({loss}" + (f", {reg}" if reg else "") + ")"
    return Game([theta], [psi], L_x=L_x, L_y=L_y, equilibria=[(0, 0)], name=name, kind="dirac_gan",
                data={"loss": loss, "reg": reg, "gamma": gamma, "sigma": sigma})


def curl_field() -> Game:
    """The constant curl field of Huszár's post on *The Numerics of GANs* (inFERENCe blog, 2017).

    The post draws the motion ``(-phi, theta)``; as a descent field this is
    ``v(theta, phi) = (phi, -theta)``, the field of ``min_theta max_phi theta*phi``,
    given here directly (no losses).
    """
    theta, phi = sp.symbols("theta phi", real=True)
    return Game([theta], [phi], field=[phi, -theta], equilibria=[(0, 0)], name="curl field", kind="field")


def cos_sin_field(extent: int = 1) -> Game:
    """The field ``(cos phi, sin theta)`` of Huszár's post (motion direction).

    Descent field ``v = (-cos phi, -sin theta)``. Equilibria ``theta = m pi``,
    ``phi = pi/2 + k pi`` are listed for ``|m|, |k| <= extent``; ``classify``
    tells centers (the post's "equilibria") from saddles.
    """
    theta, phi = sp.symbols("theta phi", real=True)
    eqs = [(m * sp.pi, sp.pi / 2 + k * sp.pi) for m in range(-extent, extent + 1)
           for k in range(-extent - 1, extent + 1)]
    return Game([theta], [phi], field=[-sp.cos(phi), -sp.sin(theta)], equilibria=eqs,
                name="cos-sin field", kind="field")


def linear_discriminator(data_mean=1, latent_mean=1) -> Game:
    """WGAN with linear generator and discriminator, from Lacoste-Julien's DALI 2019 slides (Gidel et al., ICLR 2019).

    ``min_theta max_phi phi * E[X] - phi * theta * E[Z]`` with scalar ``theta``,
    ``phi`` (the slides' ``|phi| <= 1`` constraint is inactive at the
    equilibrium ``theta* = E[X] / E[Z]``, ``phi* = 0``; use a box projection in
    the dynamics to impose it).
    """
    mx, mz = exact_number("data_mean", data_mean), exact_number("latent_mean", latent_mean)
    if mz == 0:
        fail("latent_mean", "a nonzero mean of the latent variable", latent_mean)
    theta, phi = sp.symbols("theta phi", real=True)
    return Game([theta], [phi], f=phi * mx - phi * theta * mz, equilibria=[(mx / mz, 0)],
                name="linear-discriminator WGAN", kind="bilinear",
                data={"A": sp.Matrix([[-mz]]), "b": sp.Matrix([0]), "c": sp.Matrix([mx])})


def _loss_expression(value, table: dict, name: str) -> sp.Expr:
    """A loss given as text (parsed safely) or as a SymPy expression, over the declared variables.

    A SymPy expression's symbols are matched to the declared variables by
    name, so ``sympy.symbols("x y")`` (without ``real=True``) works too.
    """
    if isinstance(value, str):
        return parse_expression(value, table, name)
    if isinstance(value, sp.Basic) and not isinstance(value, sp.MatrixBase):
        if not isinstance(value, sp.Expr):
            fail(name, "a scalar expression (text or a SymPy expression)", type(value).__name__)
        return value.xreplace({s: table[s.name] for s in value.free_symbols
                               if isinstance(s, sp.Symbol) and s.name in table})
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return exact_number(name, value)
    fail(name, "an expression: text such as 'x*y' or a SymPy expression", type(value).__name__)


def from_expression(f: str | sp.Expr | None = None, *, x="x", y="y", L_x: str | sp.Expr | None = None,
                    L_y: str | sp.Expr | None = None, equilibria=None, name: str | None = None) -> Game:
    """Build a game from an expression: text (parsed safely, no ``eval``) or a SymPy expression.

    Parameters
    ----------
    f : str or sympy.Expr, optional
        Zero-sum objective ``min_x max_y f``.
    x, y : str or sequence
        The players' variables: names separated by spaces or commas
        (``"x1 x2"``), or a list of names or SymPy symbols.
    L_x, L_y : str or sympy.Expr, optional
        General-sum losses (give both instead of ``f``), each minimised by its player.
    equilibria : list of tuples, optional
        Known equilibria; solved from ``v = 0`` when the field is polynomial.
    name : str, optional
        Display name (default: the expression).

    Returns
    -------
    Game

    Examples
    --------
    >>> from_expression("x*y + x**2/2", x="x", y="y").equilibria
    [(0, 0)]
    >>> from_expression(L_x="x**2 + x*y", L_y="y**2 - x*y", x="x", y="y").zero_sum
    False
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b")
    >>> from_expression(a**2 * b - b**2, x="a", y="b").v.T
    Matrix([[2*a*b, -a**2 + 2*b]])
    """
    xs, ys = _symbols(x, "x"), _symbols(y, "y")
    table = {str(s): s for s in xs + ys}
    if f is not None and (L_x is not None or L_y is not None):
        raise ParameterError("give either f (zero-sum) or L_x and L_y (general-sum), not both")
    if f is not None:
        expr = _loss_expression(f, table, "f")
        return Game(xs, ys, f=expr, equilibria=equilibria, name=name or str(f))
    if L_x is None or L_y is None:
        raise ParameterError("parameter 'f': expected a zero-sum objective, or both L_x and L_y")
    return Game(xs, ys, L_x=_loss_expression(L_x, table, "L_x"), L_y=_loss_expression(L_y, table, "L_y"),
                equilibria=equilibria, name=name or f"L_x={L_x}, L_y={L_y}")


def catalogue() -> dict:
    """A small registry of named example games (used by the contract tests and the CLI)."""
    return {
        "bilinear": lambda: bilinear([[1]]),
        "bilinear2": lambda: bilinear([[1, 0], [0, 2]]),
        "bilinear_offset": lambda: bilinear([[2]], b=[1], c=[-1]),
        "quadratic": lambda: quadratic([[1]], [[1]], [[1]]),
        "quadratic_indefinite": lambda: quadratic([[-1]], [[2]], [[1]]),
        "icr": lambda: from_expression("x**2 + 10*x*y + y**2", name="ICR example"),
        "dirac_gan": lambda: dirac_gan("gan"),
        "dirac_ns": lambda: dirac_gan("ns"),
        "dirac_wgan": lambda: dirac_gan("wgan"),
        "dirac_r1": lambda: dirac_gan("gan", reg="r1", gamma=1),
        "dirac_noise": lambda: dirac_gan("gan", reg="instance_noise", sigma=sp.Rational(7, 10)),
        "curl": curl_field,
        "cos_sin": cos_sin_field,
        "linear_discriminator": linear_discriminator,
        "general_sum": lambda: from_expression(L_x="x**2/2 + 2*x*y", L_y="y**2/2 - x*y", name="general-sum"),
    }


def get(name: str) -> Game:
    """A catalogue game by name, with a clear error listing the known names."""
    games = catalogue()
    if name not in games:
        fail("game", "one of " + ", ".join(sorted(games)), name)
    return games[name]()
