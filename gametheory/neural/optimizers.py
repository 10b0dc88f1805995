"""Every registry method as a Torch optimizer over two players' parameter iterables.

One interface for all methods::

    opt = make_optimizer("eg", gen.parameters(), disc.parameters(), lr=1e-3, adam=True)
    stats = opt.step(loss_fn)      # loss_fn(xs, ys) -> (L_x, L_y), or f for min_x max_y f

The optimizer evaluates the closure itself, at whatever points the method
needs (extrapolated points, the new ``x`` for alternating updates, ``k``
unrolled discriminator steps), computes the gradients it needs with autograd
and writes the new parameters back. There is no ``zero_grad`` / ``backward``
to order between players, and nothing is accumulated in ``.grad``.
``xs`` and ys`` are lists of tensors shaped like each player's parameters;
with a module use :func:`torch.func.functional_call`::

    names_g = [n for n, _ in gen.named_parameters()]
    def loss_fn(xs, ys):
        fake = functional_call(gen, dict(zip(names_g, xs)), (z,))
        ...

Each step returns :class:`StepStats`: how many player gradients and
Hessian-vector products it used (and conjugate-gradient iterations, and the
accept/reject decision for MSV).

The update rules are those of :mod:`gametheory.methods`, run on the Torch
backend (:mod:`gametheory.neural.backend`): ``gd``, ``momentum`` (any sign of
``beta``), ``eg``, ``ogd``, ``past_eg``, ``n_inner`` call the
registry rule directly. ``consensus``, ``sga``, ``cgd``, ``lcgd`` and ``unrolled`` need
Jacobian blocks; the registry rules also run here through matrix-free
operators (``generic=True``: ``torch.func`` forward-over-reverse and
reverse-over-reverse products), but by default a dedicated implementation of
the *same formula* is used that fuses the products (Hessian-vector products
as reverse passes over the gradients' kept graph, one for ``J^T v``;
conjugate gradients for CGD's inverse; autograd through the ``k`` unrolled
steps). Both paths are tested step for step against the NumPy
iteration of the registry rule.

``adam=True`` preconditions each player's field value by Adam (Kingma & Ba,
ICLR 2015) before the rule uses it: ``gd`` becomes (simultaneous or
alternating) Adam, ``eg`` Extra-Adam (Gidel et al., ICLR 2019, Algorithm 4:
moments updated at both evaluations), ``ogd`` Optimistic Adam (Daskalakis et
al., ICLR 2018, Algorithm 1), ``n_inner`` Adam with ``n`` critic steps.
``consensus`` with ``adam=True`` preconditions its whole direction
``v + gamma J^T v`` (ConOpt with an adaptive optimizer, as Mescheder et al.,
NeurIPS 2017, train it). RMSProp (Tieleman & Hinton 2012) is this
preconditioning with ``betas=(0, rho)``: with ``beta1 = 0`` the first moment
is the gradient itself, and the step is ``g / (sqrt(v_hat) + eps)``, RMSProp's
with the mean square bias-corrected (``v_hat = v / (1 - rho^t)``, which only
changes the first ``~1 / (1 - rho)`` steps).
Two more optimizers are not registry rules: ``acgd`` (adaptive CGD,
Schafer, Zheng & Anandkumar, ICML 2020) and ``msv`` (Mangoubi, Sachdeva &
Vishnoi, the accept/reject algorithm of their blog post).

Examples
--------
>>> import torch
>>> x = torch.nn.Parameter(torch.tensor([1.0])); y = torch.nn.Parameter(torch.tensor([1.0]))
>>> opt = make_optimizer("gd", [x], [y], lr=0.5)             # simultaneous GDA
>>> s = opt.step(lambda xs, ys: xs[0] @ ys[0])            # f = x y
>>> [round(x.item(), 4), round(y.item(), 4)], s.grad_evals
([0.5, 1.5], 2)
"""
from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch.func import grad as fgrad

from .. import methods as core_methods
from ..validation import fail, integer
from .field import TorchField
from .linops import TorchOps, conjugate_gradient
from .tensors import assign_flat, flatten, shapes_of

__all__ = ["GameOptimizer", "CGD", "ACGD", "MSV", "StepStats", "make_optimizer", "optimizer_names",
           "ADAM_METHODS", "FUSED_METHODS"]

#: the methods whose spec says Adam preconditioning applies (gametheory.methods.MethodSpec.adam)
ADAM_METHODS = tuple(n for n, s in core_methods.REGISTRY.items() if s.adam)
#: the methods whose spec names a fused Torch kernel (a ``_fused_<kernel>`` method here)
FUSED_METHODS = tuple(n for n, s in core_methods.REGISTRY.items() if s.torch_kernel)


@dataclass
class StepStats:
    """What one optimizer step used.

    ``grad_evals``: player gradients (``grad_x L_x`` and ``grad_y L_y`` count
    one each, so one simultaneous GDA step is 2); ``hvp_evals``:
    Hessian-vector products (each product of one player's gradient map with
    a vector); ``cg_iterations``: conjugate-gradient iterations (CGD, ACGD);
    ``cg_truncated``: solves that ``cg_max_iter`` stopped before the
    tolerance was met (the step then used an inexact solution);
    ``accepted``: the MSV decision (None for other methods).
    """

    grad_evals: int = 0
    hvp_evals: int = 0
    cg_iterations: int = 0
    accepted: bool | None = None
    cg_truncated: int = 0

    def as_dict(self):
        return asdict(self)


def _params(name, params):
    params = list(params)
    if not params or not all(isinstance(p, torch.Tensor) for p in params):
        fail(name, "a non-empty iterable of tensors (e.g. model.parameters())", type(params).__name__)
    return params


class _AdamField:
    """A field whose values are Adam directions ``m_hat / (sqrt(v_hat) + eps)`` of the wrapped field.

    Each call updates that player's moments (state kept by the optimizer).
    """

    def __init__(self, base, opt):
        self.base, self.opt = base, opt
        self.nx, self.ny = base.nx, base.ny

    def v_x(self, x, y):
        return self.opt._adam("x", self.base.v_x(x, y))

    def v_y(self, x, y):
        return self.opt._adam("y", self.base.v_y(x, y))

    def __getattr__(self, name):  # jac, grad_y_Lx, ...: the plain field
        return getattr(self.base, name)


class GameOptimizer:
    """A registry method as an optimizer of two players' parameters.

    Parameters
    ----------
    x_params, y_params : iterable of tensors
        The min player's (generator's) and the max player's (discriminator's)
        parameters; updated in place.
    method : str
        A name from :func:`gametheory.methods.names`.
    lr, lr_x, lr_y : float
        Step sizes ``eta`` (both) or ``eta_x``, ``eta_y`` (two timescales).
    order : str, optional
        ``"simultaneous"`` or ``"alternating"`` where the method defines it.
    adam : bool
        Precondition field values by Adam (methods in :data:`ADAM_METHODS`).
    betas, eps : Adam's constants.
    generic : bool
        Run the registry rule through matrix-free operators even where a
        fused implementation exists (the reference path).
    zero_sum : bool, optional
        Declare ``L_y = -L_x`` when the closure returns a pair.
    **method_params
        ``beta`` (momentum), ``gamma`` (consensus), ``lam`` (SGA), ``k``
        (unrolled), ``n`` (n_inner), ``eta_extrap`` (eg).
    """

    def __init__(self, x_params, y_params, method="gd", *, lr=None, lr_x=None, lr_y=None, order=None,
                 adam: bool = False, betas=(0.9, 0.999), eps: float = 1e-8, generic: bool = False,
                 zero_sum: bool | None = None, **method_params):
        self.x_params = _params("x_params", x_params)
        self.y_params = _params("y_params", y_params)
        self.method = core_methods.get(method, order=order)
        given = {"eta": lr, "eta_x": lr_x, "eta_y": lr_y}
        given.update(method_params)
        self.p = self.method.params({k: v for k, v in given.items() if v is not None}, mode="float")
        if adam and not self.method.spec.adam:
            fail("adam", f"False for {self.method.name!r} (Adam preconditioning applies to {', '.join(ADAM_METHODS)};"
                 " use 'acgd' for adaptive CGD)", adam)
        if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
            fail("betas", "two numbers in [0, 1)", betas)
        self.adam, self.betas, self.eps = bool(adam), tuple(float(b) for b in betas), float(eps)
        self.generic = bool(generic)
        if self.adam and self.generic and self.method.spec.torch_kernel:
            fail("generic", f"False for {self.method.name!r} with adam=True (Adam preconditions the fused step's "
                 "direction, e.g. ConOpt's v + gamma J^T v; the registry rule would precondition the field values "
                 "it reads, a different algorithm)", generic)
        self.zero_sum = zero_sum
        self.state = None
        self.steps = 0
        self.totals = StepStats()
        self._adam_state = {"x": None, "y": None}

    # ------------------------------------------------------------ helpers
    @property
    def name(self) -> str:
        return self.method.name

    def __repr__(self):
        return f"{type(self).__name__}({self.method!r}, adam={self.adam})"

    def _adam(self, who, g):
        st = self._adam_state[who]
        if st is None:
            st = self._adam_state[who] = {"m": torch.zeros_like(g), "v": torch.zeros_like(g), "t": 0}
        b1, b2 = self.betas
        st["t"] += 1
        st["m"] = b1 * st["m"] + (1 - b1) * g
        st["v"] = b2 * st["v"] + (1 - b2) * g * g
        m_hat = st["m"] / (1 - b1 ** st["t"])
        v_hat = st["v"] / (1 - b2 ** st["t"])
        return m_hat / (v_hat.sqrt() + self.eps)

    def _field(self, loss_fn):
        return TorchField(loss_fn, shapes_of(self.x_params), shapes_of(self.y_params), zero_sum=self.zero_sum)

    def _finish(self, field, new, stats):
        assign_flat(self.x_params, new["x"])
        assign_flat(self.y_params, new["y"])
        self.state = new
        self.steps += 1
        stats.grad_evals += field.grad_evals
        stats.hvp_evals += field.hvp_evals
        for k in ("grad_evals", "hvp_evals", "cg_iterations", "cg_truncated"):
            setattr(self.totals, k, getattr(self.totals, k) + getattr(stats, k))
        return stats

    def state_dict(self) -> dict:
        """The augmented state and Adam moments (for checkpoints)."""
        return {"state": self.state, "adam": self._adam_state, "steps": self.steps}

    def load_state_dict(self, d):
        self.state, self._adam_state, self.steps = d["state"], d["adam"], d["steps"]

    # ------------------------------------------------------------- a step
    def step(self, loss_fn) -> StepStats:
        """One step of the method; ``loss_fn(xs, ys) -> (L_x, L_y)`` or ``f``.

        Reads the current parameters (so changes made between steps, e.g.
        weight clipping, are seen), applies the rule, writes them back.
        """
        field = self._field(loss_fn)
        x, y = flatten(self.x_params), flatten(self.y_params)
        f = _AdamField(field, self) if self.adam else field
        stats = StepStats()
        with torch.no_grad():
            if self.state is None:
                s = self.method.initial_state(x, y, f, self.p, TorchOps)
            else:
                s = dict(self.state, x=x, y=y)
        new = self._rule(s, f, field, stats)
        return self._finish(field, new, stats)

    def _rule(self, s, f, field, stats):
        kernel = self.method.spec.torch_kernel
        # the spec names the fused kernel; CGD's needs the solver settings of the CGD class
        fused = None if self.generic or kernel is None else getattr(self, f"_fused_{kernel}", None)
        if fused is not None:
            return fused(s, f, field, stats)
        return self.method.step(s, f, self.p, TorchOps)

    # ------------------------------------------ fused forms of the same formulas
    def _fused_consensus(self, s, f, field, stats):
        """``z+ = z - eta (v + gamma J^T v)``, ``J^T v`` in one reverse pass over the kept double graph
        (with ``adam``: ``z+ = z - eta Adam(v + gamma J^T v)``)."""
        x, y, p = s["x"], s["y"], self.p
        so = field.second_order(x, y)
        vx, vy = so.vx, so.vy
        gx, gy = so.jac_T_v(vx, vy)
        dx, dy = vx + p.gamma * gx, vy + p.gamma * gy
        if self.adam:  # ConOpt with RMSProp / Adam: the combined direction is preconditioned
            dx, dy = self._adam("x", dx), self._adam("y", dy)
        return {"x": x - p.eta_x * dx, "y": y - p.eta_y * dy}

    def _fused_sga(self, s, f, field, stats):
        """``z+ = z - eta (v + lam A^T v)``, ``A^T v = (J^T v - J v) / 2``: one VJP and one JVP."""
        x, y, p = s["x"], s["y"], self.p
        so = field.second_order(x, y)
        vx, vy = so.vx, so.vy
        tx, ty = so.jac_T_v(vx, vy)
        jx, jy = so.jac_v(vx, vy)
        return {"x": x - p.eta_x * (vx + p.lam * (tx - jx) / 2), "y": y - p.eta_y * (vy + p.lam * (ty - jy) / 2)}

    def _fused_lcgd(self, s, f, field, stats):
        """``dx = -eta_x (v_x - eta_y J_xy v_y)``, ``dy = -eta_y (v_y - eta_x J_yx v_x)``: two products."""
        x, y, p = s["x"], s["y"], self.p
        so = field.second_order(x, y)
        vx, vy = so.vx, so.vy
        return {"x": x - p.eta_x * (vx - p.eta_y * so.jxy_mv(vy)), "y": y - p.eta_y * (vy - p.eta_x * so.jyx_mv(vx))}

    def _fused_unrolled(self, s, f, field, stats):
        """``x`` descends ``L_x(x, y_k(x))`` by autograd through the ``k`` ascent steps
        (equal to the registry's ``grad_x L_x + D_k^T grad_y L_x``); ``y`` takes its own step."""
        x, y, p = s["x"], s["y"], self.p

        def surrogate(xx):
            yj = y
            for _ in range(p.k):
                yj = yj - p.eta_y * fgrad(lambda yy: field.L_y(xx, yy))(yj)
            return field.L_x(xx, yj)

        gx = fgrad(surrogate)(x).detach()
        field.grad_evals += p.k + 1
        field.hvp_evals += p.k
        vy = field.v_y(x, y)
        if self.adam:
            gx, vy = self._adam("x", gx), self._adam("y", vy)
        return {"x": x - p.eta_x * gx, "y": y - p.eta_y * vy}


class CGD(GameOptimizer):
    """Competitive gradient descent (Schafer & Anandkumar, NeurIPS 2019), matrix-free.

    The registry rule's formula, written as the Nash equilibrium of the local
    bilinear game: ``dx = -H_x (v_x + J_xy dy)``, ``dy = -H_y (v_y + J_yx dx)``
    with ``H = eta I``. Eliminating ``dy``:
    ``(I - H_x J_xy H_y J_yx) dx = -H_x (v_x - J_xy H_y v_y)``, then
    ``dy = -H_y (v_y + J_yx dx)`` (one product instead of a second solve).
    Zero-sum (``J_yx = -J_xy^T``): with ``dx = H_x^(1/2) u`` the system
    ``(I + H_x^(1/2) J_xy H_y J_xy^T H_x^(1/2)) u = ...`` is symmetric positive
    definite and solved by conjugate gradients, warm-started from the last
    step's ``u`` with the residual ``r0 = b - A u0``. General-sum games use
    conjugate gradients on the normal equations. ``J_yx dx`` for ``dy`` is
    accumulated by the solver from the products it already made (one
    product per step fewer: ``3 + 2k`` mixed products for ``k`` iterations
    from a warm start, ``1 + 2k`` from a cold one). The mixed products
    ``J_xy w``, ``J_yx u`` are reverse passes over the gradients' kept graph
    (:class:`~gametheory.neural.field.SecondOrder`): measured, about three
    times cheaper here than forward-over-reverse ``torch.func`` products,
    which recompute the forward pass each time (those remain in
    ``TorchField.jac`` for the registry rule, ``generic=True``).

    Parameters beyond :class:`GameOptimizer`: ``cg_tol`` (relative residual),
    ``cg_atol`` (absolute residual; a solve stops at
    ``|r| <= max(cg_tol |b|, cg_atol)``: an absolute floor keeps the solver
    from chasing a relative target when ``|b|`` is tiny), ``cg_max_iter``
    (a solve it cuts short is counted in ``totals.cg_truncated``),
    ``warm_start``.
    """

    def __init__(self, x_params, y_params, *, lr=None, lr_x=None, lr_y=None, cg_tol: float = 1e-6,
                 cg_max_iter: int = 50, warm_start: bool = True, zero_sum=None, generic=False, order=None,
                 cg_atol: float = 0.0):
        super().__init__(x_params, y_params, "cgd", lr=lr, lr_x=lr_x, lr_y=lr_y, zero_sum=zero_sum,
                         generic=generic, order=order)
        if not (cg_tol > 0) or not math.isfinite(cg_tol):
            fail("cg_tol", "a positive tolerance", cg_tol)
        if not (cg_atol >= 0) or not math.isfinite(cg_atol):
            fail("cg_atol", "an absolute tolerance >= 0", cg_atol)
        self.cg_tol, self.cg_atol = float(cg_tol), float(cg_atol)
        self.cg_max_iter = integer("cg_max_iter", cg_max_iter, minimum=1)
        self.warm_start = bool(warm_start)
        self._u = None

    def _step_sizes(self, vx, vy):
        return (torch.full_like(vx, self.p.eta_x), torch.full_like(vy, self.p.eta_y))

    def _fused_cgd(self, s, f, field, stats):
        x, y = s["x"], s["y"]
        so = field.second_order(x, y)
        vx, vy = so.vx, so.vy
        Hx, Hy = self._step_sizes(vx, vy)
        Sx = Hx.sqrt()
        Jxy, Jyx = so.jxy_mv, so.jyx_mv
        rhs = -Sx * (vx - Jxy(Hy * vy))        # dx = Sx * u

        def M(u):  # (M u, T u) with T u = Jyx(Sx u), kept for dy
            t = Jyx(Sx * u)
            return u - Sx * Jxy(Hy * t), t

        u0 = self._u if (self.warm_start and self._u is not None and self._u.shape == rhs.shape) else None
        info = {}
        cg = dict(tol=self.cg_tol, atol=self.cg_atol, max_iter=self.cg_max_iter, with_image=True, info=info)
        if field.zero_sum:  # M is SPD (Jyx = -Jxy^T)
            u, it, _, t = conjugate_gradient(M, rhs, u0, **cg)
        else:  # normal equations M^T M u = M^T rhs
            JxyT, JyxT = so.jxy_rmv, so.jyx_rmv
            MT = lambda a: a - Sx * JyxT(Hy * JxyT(Sx * a))  # noqa: E731

            def MTM(v):
                Mv, t = M(v)
                return MT(Mv), t

            u, it, _, t = conjugate_gradient(MTM, MT(rhs), u0, **cg)
        self._u = u
        dx = Sx * u
        dy = -Hy * (vy + (0.0 if t is None else t))  # t = Jyx(dx), accumulated by the solver
        stats.cg_iterations += it
        stats.cg_truncated += not info.get("converged", True)
        return {"x": x + dx, "y": y + dy}


class ACGD(CGD):
    """Adaptive competitive gradient descent (Schafer, Zheng & Anandkumar, ICML 2020, "Implicit
    competitive regularization in GANs", Algorithm ACGD).

    CGD with per-coordinate step sizes from RMSProp/Adam second moments of
    each player's gradient: ``H_x = lr_x sqrt(1 - beta2^t) / (sqrt(s_x) + eps)``,
    ``s_x <- beta2 s_x + (1 - beta2) v_x^2`` (and so for ``y``); the local game
    is then solved exactly as in :class:`CGD` with the diagonal ``H_x``,
    ``H_y`` (symmetrised by ``H_x^(1/2)``, conjugate gradients warm-started
    with the correct residual ``r0 = b - A u0``; the reference package
    restarted from ``r0 = b``).

    ``eps`` defaults to ``1e-5``, the reference implementation's value,
    chosen by measurement on the four-Gaussian GAN of the experiments (paper
    sizes, 66,691 parameters, ``lr_x = 1e-3``, ``lr_y = 1e-4``, zero-sum
    cross-entropy, 30 steps, one thread): the largest first-step move of a
    weight, in units of the player's learning rate, was 65 (generator) and
    576 (discriminator) with ``eps = 1e-8``, 5.3 and 138 with ``1e-6``,
    0.91 and 11 with ``1e-5``, 0.83 and 1.04 with ``1e-4``; the mean
    conjugate-gradient iterations per step 4.1, 4.0, 3.4 and 2.8
    (``benchmarks/bench_acgd_defaults.py`` reruns it). A coordinate whose
    gradient is far below ``eps`` gets a step of about
    ``lr |v| / eps`` instead of ``lr`` (``eps`` bounds the step size
    ``H <= lr / eps``).
    """

    def __init__(self, x_params, y_params, *, lr=None, lr_x=None, lr_y=None, beta2: float = 0.99,
                 eps: float = 1e-5, cg_tol: float = 1e-6, cg_max_iter: int = 50, warm_start=True, zero_sum=None,
                 order=None, cg_atol: float = 0.0):
        super().__init__(x_params, y_params, lr=lr, lr_x=lr_x, lr_y=lr_y, cg_tol=cg_tol, cg_max_iter=cg_max_iter,
                         warm_start=warm_start, zero_sum=zero_sum, order=order, cg_atol=cg_atol)
        if not 0 <= beta2 < 1:
            fail("beta2", "a number in [0, 1)", beta2)
        if not (eps > 0) or not math.isfinite(eps):
            fail("eps", "a positive number", eps)
        self.beta2, self.eps = float(beta2), float(eps)
        self._sq = {"x": None, "y": None}
        self._t = 0

    def _step_sizes(self, vx, vy):
        self._t += 1
        out = []
        for who, g, lr in (("x", vx, self.p.eta_x), ("y", vy, self.p.eta_y)):
            sq = torch.zeros_like(g) if self._sq[who] is None else self._sq[who]
            sq = self.beta2 * sq + (1 - self.beta2) * g * g
            self._sq[who] = sq
            out.append(lr * (1 - self.beta2 ** self._t) ** 0.5 / (sq.sqrt() + self.eps))
        return tuple(out)


class MSV(GameOptimizer):
    """The Mangoubi-Sachdeva-Vishnoi algorithm as an optimizer (blog post "Training GANs - From
    Theory to Practice", 2020; arXiv:2006.12376).

    Each step ``i``:

    1. the generator proposes ``x' = x - lr_x a_x`` with ``a_x`` its Adam
       direction of the batch gradient ``grad_x L_x(x, y)``;
    2. the discriminator simulates its response: ``n`` Adam ascent steps on
       ``f(x', .)`` from ``y``, giving ``w`` and ``h(x', y) = f(x', w)``;
    3. **the blog's rule**: if ``h(x', y) < h(x, y) = f(x, y)`` accept both
       updates, ``(x, y) = (x', w)``; otherwise accept both with the small
       annealed probability ``exp(-T_i)``, ``T_i = T0 + exp((i / tau)^2)``
       (:func:`gametheory.msv.acceptance_probability`). Every
       ``skip_every``-th step is accepted without a test (the authors' 4).
       On rejection both players' parameters *and* their Adam moments are
       restored.

    ``f`` is the game's value for the max player, ``f = -L_y`` (for the GAN:
    ``E log D(real) + E log(1 - D(fake))``), unless ``value_fn`` is given to
    :meth:`step`. The authors' notebook restores only the generator and
    compares the discriminator's loss ``L_y`` (the opposite sign); this
    follows the blog. Defaults are the authors' 4-Gaussian settings (Adam,
    ``beta1 = 0.5``, ``n = 6``, ``skip_every = 4``).
    """

    def __init__(self, x_params, y_params, *, lr=None, lr_x=None, lr_y=None, n: int = 6, skip_every: int = 4,
                 T0: float = 4.0, tau: float = 20000.0, betas=(0.5, 0.999), eps: float = 1e-8, seed: int = 0,
                 zero_sum=None):
        super().__init__(x_params, y_params, "gd", lr=lr, lr_x=lr_x, lr_y=lr_y, adam=True, betas=betas, eps=eps,
                         zero_sum=zero_sum)
        self.n = integer("n", n, minimum=1)
        self.skip_every = integer("skip_every", skip_every, minimum=0)
        self.T0, self.tau = float(T0), float(tau)
        if not self.tau > 0:
            fail("tau", "a positive annealing time scale", tau)
        self.rng = np.random.default_rng(integer("seed", seed))
        self.accepted = 0

    def step(self, loss_fn, value_fn=None) -> StepStats:
        """One MSV iteration; ``value_fn(xs, ys) -> f`` overrides ``f = -L_y`` for the test."""
        from ..msv import acceptance_probability
        from .tensors import unflatten

        field = self._field(loss_fn)
        p = self.p
        i = self.steps + 1
        x, y = flatten(self.x_params), flatten(self.y_params)

        def value(xx, yy):
            with torch.no_grad():
                if value_fn is not None:
                    return float(value_fn(unflatten(xx, field.x_shapes), unflatten(yy, field.y_shapes)))
                return -float(field.L_y(xx, yy))

        saved = copy.deepcopy(self._adam_state)
        h_old = value(x, y)
        x_new = x - p.eta_x * self._adam("x", field.v_x(x, y))
        w = y
        for _ in range(self.n):
            w = w - p.eta_y * self._adam("y", field.v_y(x_new, w))
        h_new = value(x_new, w)
        skipped = self.skip_every > 0 and i % self.skip_every == 0
        accept = skipped or h_new < h_old or bool(self.rng.random() < float(acceptance_probability(i, self.T0,
                                                                                                   self.tau)))
        stats = StepStats(accepted=accept)
        if accept:
            self.accepted += 1
            new = {"x": x_new, "y": w}
        else:
            self._adam_state = saved
            new = {"x": x, "y": y}
        return self._finish(field, new, stats)


# optimizers with options of their own: CGD's conjugate-gradient settings, and two that are not registry rules
_CLASSES = {"cgd": CGD, "acgd": ACGD, "msv": MSV}  # noqa: the classes' extra options, not a rule


def optimizer_names() -> list:
    """Every optimizer :func:`make_optimizer` builds: the registry methods, ``acgd`` and ``msv``.

    >>> "acgd" in optimizer_names() and "eg" in optimizer_names()
    True
    """
    return sorted(set(core_methods.names()) | set(_CLASSES))


def make_optimizer(method, x_params, y_params, **options) -> GameOptimizer:
    """Build the optimizer for ``method`` (see :func:`optimizer_names`).

    ``options`` are those of :class:`GameOptimizer` (``lr``, ``lr_x``,
    ``lr_y``, ``order``, ``adam``, ``betas``, ``beta``, ``gamma``, ``lam``,
    ``k``, ``n``, ...), :class:`CGD`/:class:`ACGD` (``cg_tol``,
    ``cg_atol``, ``cg_max_iter``) or :class:`MSV` (``n``, ``skip_every``, ``T0``, ``tau``,
    ``seed``).

    >>> import torch
    >>> x, y = torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)
    >>> make_optimizer("momentum", [x], [y], lr=0.1, beta=-0.3)
    GameOptimizer(Method('momentum', order='simultaneous'), adam=False)
    """
    if method not in optimizer_names():
        fail("method", "one of " + ", ".join(optimizer_names()), method)
    cls = _CLASSES.get(method)
    if cls is None:
        return GameOptimizer(x_params, y_params, method, **options)
    try:
        return cls(x_params, y_params, **options)
    except TypeError as exc:
        fail("options", f"options accepted by {cls.__name__} ({exc})")
