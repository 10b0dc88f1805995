"""Local equilibria of small neural GANs: find ``v(z*) = 0``, read the spectrum, classify, name the kernel.

A stationary point ``z* = (x*, y*)`` of the descent field ``v`` is found in
two stages:

1. a **start**: ``"realizable"`` (for a :class:`~gametheory.neural.fixed_batch.FixedBatchGAN`:
   the generator is fitted to reproduce the fixed real batch exactly,
   ``G(z_i) = r_i``, by a minimal-norm Levenberg-Marquardt fit, and the
   discriminator's last layer is set to zero, so ``D`` is constant: the
   equilibrium Mescheder, Geiger & Nowozin (ICML 2018) analyse,
   ``p_g = p_data`` with ``D = 0``, carried to a fixed batch), ``"trained"``
   (a registry optimizer run from the initialisation), or ``"given"``;
2. a **refinement**: Levenberg-Marquardt on ``|v|^2`` with the Jacobian of
   :mod:`gametheory.neural.spectrum` (``scipy.optimize.least_squares``:
   MINPACK's ``lm`` with the dense ``J`` for small networks, ``trf`` with
   LSMR on the matrix-free ``J`` otherwise), until the relative norm
   ``|v(z*)| / |v(z_0)|`` (``z_0`` the networks' initialisation) is at most
   ``tol`` (default ``1e-6``).

**The kernel.** Equilibria of networks are rarely isolated: symmetries and
over-parametrisation (here, e.g., every hidden layer of a constant
discriminator, and every generator direction that keeps the fake batch
fixed) give directions along which ``z*`` can move and stay an equilibrium,
``J k = 0``. :func:`find_equilibrium` names them explicitly:

* the **exact kernel**: singular values of ``J`` at most ``1e-8 sigma_max``
  (:func:`~gametheory.neural.spectrum.kernel_of`, with the spectral gap to
  the rest): its *geometric* multiplicity (independent null vectors) and,
  from Kublanovskaya's staircase at the same threshold, its *algebraic*
  multiplicity and Jordan blocks (``algebraic >= geometric``; larger only
  for a Jordan block at 0);
* **slow modes** (``kernel="gap"``, the default): above the exact kernel,
  the eigenvalues below the uppermost gap (a ratio of at least 10 between
  consecutive distinct moduli) whose lower side is at most
  ``0.05 |lambda|_max``: every mode set aside is then at least 10 times
  slower than every mode kept
  (near-symmetries: on any practical horizon they neither move nor show in
  ``|v|``). ``kernel="exact"`` keeps them; a float sets the relative
  cut-off ``|lambda| <= c |lambda|_max`` directly.

One accounting: the ``algebraic`` smallest moduli are the exact kernel,
the next ``slow_modes`` moduli up to :attr:`Equilibrium.kernel_threshold`
are the slow modes (none of them counted twice), and
``treated_as_kernel = algebraic + slow_modes`` eigenvalues, those of modulus
at most the threshold, are called *kernel*; predictions (:mod:`gametheory.neural.prediction`) are rates
over the others, and measurements are read on ``|v(z_t)|``, which the kernel
directions do not change.

**Classification** (from the spectra of ``J`` off the kernel and of the
players' own Hessian blocks ``J_xx = grad^2_xx L_x``, ``J_yy = grad^2_yy L_y``):
``"local Nash"`` when both blocks are positive semidefinite (each player at
a local minimum of its own loss, to second order); else ``"stable for
simultaneous GDA only"`` when every eigenvalue of ``J`` off the kernel has a
positive real part (a non-Nash attractor of small-step GDA); else
``"saddle"``.

Example
-------
>>> from gametheory.neural.fixed_batch import fixed_batch_gan
>>> eq = find_equilibrium(fixed_batch_gan("gaussians4", scale="tiny", seed=0))
>>> eq.relative_grad_norm < 1e-6, eq.kind, eq.kernel.dim > 0
(True, 'local Nash', True)
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field as dc_field

import numpy as np
import torch
from torch.func import jacrev

from ..validation import choice, fail, integer
from .field import TorchField
from .spectrum import DENSE_MAX, GameJacobian, Kernel, kernel_of, single_blas_threaded, top_eigenvalues
from .tensors import flatten, unflatten

__all__ = ["Equilibrium", "find_equilibrium", "refine", "realizable_point", "trained_point", "classify",
           "kernel_threshold", "STARTS", "KINDS"]

STARTS = ("realizable", "trained", "given")
KINDS = ("local Nash", "stable for simultaneous GDA only", "saddle")
F64 = torch.float64
EXACT_KERNEL_TOL = 1e-8
SLOW_MAX = 5e-2
MIN_GAP = 10.0


@dataclass
class Equilibrium:
    """A stationary point of a neural game with its spectrum, kernel and classification.

    Attributes
    ----------
    field : TorchField
    x, y : Tensor
        ``z*`` (flat, float64).
    grad_norm : float
        ``|v(z*)|``.
    relative_grad_norm : float
        ``|v(z*)| / reference_grad_norm``.
    reference_grad_norm : float
        ``|v(z_0)|`` at the initialisation (the start for ``start="given"``).
    converged : bool
        ``relative_grad_norm <= tol``.
    kind : str
        One of :data:`KINDS`.
    nash, gda_stable : bool
        Both Hessian blocks PSD; every off-kernel ``Re lambda > 0``.
    eigenvalues : numpy.ndarray
        All eigenvalues of ``J`` (dense) or the ARPACK selection.
    kernel : Kernel or None
        The exact kernel (dense only).
    kernel_threshold : float
        Eigenvalues with ``|lambda| <=`` this are treated as kernel.
    slow_modes : int
        Eigenvalues above the exact kernel (its algebraic multiplicity) set
        aside as slow (near-symmetries); ``kernel_dim = kernel.algebraic + slow_modes``.
    slow_gap : float
        The ratio of the gap that separated them (1 when none).
    hessian_min : dict
        Smallest eigenvalue of each player's block (``"x"``, ``"y"``).
    start : str
    seconds : float
    history : list of dict
    settings : dict
    """

    field: TorchField
    x: torch.Tensor
    y: torch.Tensor
    grad_norm: float
    relative_grad_norm: float
    reference_grad_norm: float
    converged: bool
    kind: str
    nash: bool
    gda_stable: bool
    eigenvalues: np.ndarray
    kernel: Kernel | None
    kernel_threshold: float
    slow_modes: int
    slow_gap: float
    hessian_min: dict
    start: str
    seconds: float
    dense: bool = True
    history: list = dc_field(default_factory=list)
    settings: dict = dc_field(default_factory=dict)
    _J: object = None

    @property
    def nx(self) -> int:
        return self.field.nx

    @property
    def ny(self) -> int:
        return self.field.ny

    @property
    def n(self) -> int:
        return self.nx + self.ny

    def jacobian(self) -> GameJacobian:
        """:class:`GameJacobian` at ``z*`` (cached: its dense ``J`` is kept)."""
        if self._J is None:
            self._J = GameJacobian(self.field, self.x, self.y)
        return self._J

    def off_kernel(self) -> np.ndarray:
        """The eigenvalues of ``J`` with ``|lambda| > kernel_threshold``."""
        lam = np.asarray(self.eigenvalues)
        return lam[np.abs(lam) > self.kernel_threshold]

    @property
    def kernel_dim(self) -> int:
        """Eigenvalues treated as kernel (exact kernel and slow modes)."""
        return int(np.sum(np.abs(self.eigenvalues) <= self.kernel_threshold)) if self.dense else \
            (self.kernel.dim if self.kernel is not None else 0)

    def summary(self) -> dict:
        """The JSON summary (``grad_norm``, ``relative_grad_norm``, ``n_params``, ``kind``, the kernel, ...)."""
        off = self.off_kernel()
        lmax = float(np.max(np.abs(self.eigenvalues))) if len(self.eigenvalues) else 0.0
        return {"grad_norm": float(self.grad_norm), "relative_grad_norm": float(self.relative_grad_norm),
                "reference_grad_norm": float(self.reference_grad_norm), "converged": bool(self.converged),
                "n_params": int(self.n), "nx": int(self.nx), "ny": int(self.ny), "kind": self.kind,
                "nash": bool(self.nash), "gda_stable": bool(self.gda_stable),
                "min_real_part_off_kernel": float(off.real.min()) if len(off) else None,
                "max_abs_eigenvalue": lmax,
                "max_imag_over_real": float(np.max(np.abs(off.imag) / np.maximum(np.abs(off.real), 1e-300)))
                if len(off) else None,
                "kernel": {"exact": self.kernel.summary() if self.kernel is not None else None,
                           "slow_modes": int(self.slow_modes), "slow_gap": float(self.slow_gap),
                           "threshold": float(self.kernel_threshold),
                           "relative_threshold": float(self.kernel_threshold / lmax) if lmax else 0.0,
                           "treated_as_kernel": self.kernel_dim,
                           "counts": "exact.dim (= geometric_multiplicity): independent null vectors of J, singular "
                                     f"values <= {EXACT_KERNEL_TOL:g} sigma_max; exact.algebraic_multiplicity: "
                                     "eigenvalues 0 with their Jordan blocks (Kublanovskaya's staircase, same "
                                     "threshold), >= dim; slow_modes: the eigenvalues above those, up to threshold; "
                                     "treated_as_kernel = algebraic_multiplicity + slow_modes",
                           "how": "eigenvalues of J with |lambda| <= threshold (the exact kernel by SVD at "
                                  f"{EXACT_KERNEL_TOL:g} sigma_max, plus slow modes below the largest spectral gap) "
                                  "are excluded from predicted rates; measured rates are read on the step of the "
                                  "augmented state off the invariant subspace of those modes (dense J), else on "
                                  "|v(z_t)|, which the kernel directions do not change"},
                "hessian_min": {k: float(v) for k, v in self.hessian_min.items()}, "start": self.start,
                "seconds": round(float(self.seconds), 3), "dense": bool(self.dense), "settings": self.settings}


# ------------------------------------------------------------------ starts
def realizable_point(gan, *, tol: float = 1e-13, max_iter: int = 200):
    """``(x, y, info)``: the generator fitted to reproduce the batch, the discriminator constant.

    Levenberg-Marquardt, minimal-norm steps ``dx = -R^T (R R^T + mu I)^-1 r``
    for the residual ``r(x) = G_x(z_i) - r_i`` (underdetermined when the
    generator has more parameters than ``batch x dim``); then the
    discriminator's last linear layer (weight and bias) is zeroed, so
    ``D = 0`` everywhere, ``v_y = 0`` (fake and real batches coincide) and
    ``v_x = 0`` (``grad D = 0``). ``info["fit_residual"]`` says how exactly
    the batch was reproduced.
    """
    x = gan.x0.clone()

    def res(xx):
        return (gan.fake(xx) - gan.real).reshape(-1)

    r = res(x)
    mu, it = 1e-3, 0
    for it in range(1, integer("max_iter", max_iter, minimum=1) + 1):
        if float(r.norm()) <= tol * max(1.0, float(gan.real.norm())):
            break
        R = jacrev(res)(x)
        improved = False
        while mu < 1e12:
            A = R @ R.T + mu * torch.eye(len(r), dtype=F64, device=r.device)
            dx = -R.T @ torch.linalg.solve(A, r)
            rn = res(x + dx)
            if float(rn.norm()) < float(r.norm()):
                x, r, mu, improved = x + dx, rn, max(mu / 5, 1e-15), True
                break
            mu *= 10
        if not improved:
            break
    ys = [t.clone() for t in unflatten(gan.y0.clone(), gan.y_shapes)]
    last = [m for m in gan.disc if isinstance(m, torch.nn.Linear)][-1]
    n_last = last.weight.numel() + last.bias.numel()
    y = torch.cat([t.reshape(-1) for t in ys])
    y[-n_last:] = 0.0
    return x.detach(), y.detach(), {"fit_residual": float(r.norm()), "fit_iterations": it,
                                    "constraints": int(r.numel()), "generator_parameters": int(x.numel())}


def trained_point(gan, *, steps: int = 500, method: str = "gd", order: str | None = None, lr: float = 1e-2,
                  adam: bool = True, **options):
    """``(x, y, info)`` after ``steps`` steps of a registry optimizer from the initialisation."""
    from .optimizers import make_optimizer

    xp = [t.clone().requires_grad_(True) for t in unflatten(gan.x0.clone(), gan.x_shapes)]
    yp = [t.clone().requires_grad_(True) for t in unflatten(gan.y0.clone(), gan.y_shapes)]
    opt = make_optimizer(method, xp, yp, lr=lr, order=order, adam=adam, **options)
    for _ in range(integer("steps", steps, minimum=0)):
        opt.step(gan.loss_fn)
    return flatten(xp), flatten(yp), {"train_method": method, "train_steps": int(steps), "lr": float(lr),
                                      "adam": bool(adam)}


# -------------------------------------------------------------- refinement
def _vnorm(field, x, y):
    vx, vy = field.v(x, y)
    return float(torch.sqrt((vx * vx).sum() + (vy * vy).sum()))


def refine(field: TorchField, x, y, *, target: float = 0.0, max_nfev: int = 200, dense: bool | None = None):
    """Levenberg-Marquardt on ``|v|^2`` from ``(x, y)`` (``scipy.optimize.least_squares``).

    ``dense`` (default: ``n <= DENSE_MAX``) uses MINPACK's ``lm`` with the
    dense ``J``; otherwise ``trf`` with LSMR on the matrix-free ``J``
    (:meth:`GameJacobian.linear_operator`). Stops at once when
    ``|v| <= target``. Returns ``(x, y, info)``.
    """
    from scipy.optimize import least_squares

    x = torch.as_tensor(x).detach().to(F64)
    y = torch.as_tensor(y).detach().to(F64)
    nx = x.numel()
    n = nx + y.numel()
    before = _vnorm(field, x, y)
    if before <= target:
        return x, y, {"refine_nfev": 0, "grad_norm_before": before, "refine_method": None}
    use_dense = n <= DENSE_MAX if dense is None else bool(dense)
    dev = x.device

    def split(z):
        zt = torch.from_numpy(np.ascontiguousarray(z, dtype=float)).to(dev)
        return zt[:nx].clone(), zt[nx:].clone()

    def fun(z):
        xx, yy = split(z)
        vx, vy = field.v(xx, yy)
        return torch.cat([vx, vy]).cpu().numpy()

    def jac(z):
        xx, yy = split(z)
        J = GameJacobian(field, xx, yy)
        return J.dense() if use_dense else J.linear_operator()

    z0 = torch.cat([x, y]).cpu().numpy()
    kw = dict(xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=integer("max_nfev", max_nfev, minimum=1))
    if use_dense:
        res = least_squares(fun, z0, jac=jac, method="lm", **kw)
    else:
        res = least_squares(fun, z0, jac=jac, method="trf", tr_solver="lsmr", **kw)
    xs, ys = split(res.x)
    return xs, ys, {"refine_nfev": int(res.nfev), "grad_norm_before": before,
                    "refine_method": "lm (dense J)" if use_dense else "trf + lsmr (matrix-free J)",
                    "refine_distance": float(np.linalg.norm(res.x - z0))}


# ------------------------------------------------------- kernel, classification
def kernel_threshold(eigenvalues, exact_dim: int, kernel="gap"):
    """``(threshold, slow_modes, gap)``: which eigenvalues count as kernel (see the module docstring).

    ``exact_dim`` is the exact kernel's *algebraic* multiplicity (with a
    Jordan block at 0 its eigenvalues scatter to ``O(sqrt(eps))`` under
    rounding ``eps``; they are still the kernel, not slow modes).
    ``kernel="gap"``: the exact kernel (the ``exact_dim`` smallest moduli)
    plus the modes below the uppermost ratio gap of at least ``10`` between
    consecutive distinct moduli whose lower one is at most ``0.05 |lambda|_max``; ``"exact"``: the exact kernel
    only; a float ``c``: ``|lambda| <= c |lambda|_max``.

    >>> lam = np.array([0, 0, 1e-6, 2e-6, 1e-2j, -1e-2j, 1.0])
    >>> t, slow, gap = kernel_threshold(lam, 2)          # the uppermost gap: 1e-2 -> 1
    >>> slow, round(gap), 1e-2 < t < 1
    (4, 100, True)
    >>> kernel_threshold(np.array([0, 1e-6, 1e-3, 0.2, 1.0]), 1)[1]  # 1e-3 -> 0.2 is a gap, but 0.2 is not slow
    2
    """
    mod = np.sort(np.abs(np.asarray(eigenvalues)))
    if not len(mod):
        return 0.0, 0, 1.0
    lmax = float(mod[-1])
    d = int(exact_dim)
    tiny = np.finfo(float).tiny

    def between(i):  # the geometric middle between sorted moduli i-1 and i
        return float(np.sqrt(max(mod[i - 1], tiny) * max(mod[i], tiny))) if 0 < i < len(mod) else \
            (float(mod[-1]) if i >= len(mod) else 0.0)

    exact = between(d) if d else 0.0
    if isinstance(kernel, str):
        choice("kernel", kernel, ("gap", "exact"))
        if kernel == "exact" or d >= len(mod):
            return exact, 0, 1.0
        # distinct moduli above the exact kernel (a conjugate pair counts once)
        above = mod[d:]
        uniq = [float(above[0])]
        for m_ in above[1:]:
            if m_ > uniq[-1] * (1 + 1e-9) + tiny:
                uniq.append(float(m_))
        best, at = 1.0, None
        for j in range(1, len(uniq)):
            if uniq[j - 1] > SLOW_MAX * lmax:
                break
            ratio = uniq[j] / max(uniq[j - 1], tiny)
            if ratio >= MIN_GAP:  # the uppermost gap of the slow band: every mode below it is >= 10x slower
                best, at = ratio, j
        if at is None:
            return exact, 0, 1.0
        thr = float(np.sqrt(uniq[at - 1] * uniq[at]))
        return thr, int(np.sum(mod <= thr)) - d, float(best)
    c = float(kernel)
    if not 0 <= c < 1:
        fail("kernel", "'gap', 'exact' or a relative threshold in [0, 1)", kernel)
    thr = max(c * lmax, exact)
    return thr, max(0, int(np.sum(mod <= thr)) - d), 1.0


def classify(J: np.ndarray, nx: int, off_kernel, *, tol: float = 1e-7) -> dict:
    """``{"kind", "nash", "gda_stable", "hessian_min"}`` from a dense ``J`` (see the module docstring).

    ``tol`` is relative to ``|J|``: Hessian eigenvalues ``>= -tol |J|`` count as
    nonnegative (the kernel gives zeros), real parts ``> tol |J|`` as positive.

    >>> classify(np.array([[0.0, 1.0], [-1.0, 1.0]]), 1, np.array([0.5 + 0.866j, 0.5 - 0.866j]))["kind"]
    'local Nash'
    """
    J = np.asarray(J, dtype=float)
    scale = float(np.max(np.abs(J))) if J.size else 1.0
    hx = np.linalg.eigvalsh((J[:nx, :nx] + J[:nx, :nx].T) / 2) if nx else np.zeros(1)
    hy = np.linalg.eigvalsh((J[nx:, nx:] + J[nx:, nx:].T) / 2) if J.shape[0] > nx else np.zeros(1)
    hmin = {"x": float(hx.min()), "y": float(hy.min())}
    nash = hmin["x"] >= -tol * scale and hmin["y"] >= -tol * scale
    off = np.asarray(off_kernel)
    stable = bool(len(off) == 0 or off.real.min() > tol * scale * 1e-3)
    kind = KINDS[0] if nash else (KINDS[1] if stable else KINDS[2])
    return {"kind": kind, "nash": bool(nash), "gda_stable": stable, "hessian_min": hmin}


def _classify_matrix_free(J: GameJacobian, k: int, seed: int):
    """Classification from ARPACK eigenvalues (large networks): ``J``'s smallest real parts, the blocks' smallest
    eigenvalues (``eigsh`` on the matrix-free blocks)."""
    from scipy.sparse.linalg import LinearOperator, eigsh

    lam_lm = top_eigenvalues(J.linear_operator(), k, "LM", seed=seed)
    lam_sr = top_eigenvalues(J.linear_operator(), k, "SR", seed=seed)
    f, x, y = J.field, J.x, J.y
    out = {}
    for who, n, mv in (("x", J.nx, lambda u: f.jxx_mv(x, y, u)), ("y", J.ny, lambda u: f.jyy_mv(x, y, u))):
        op = LinearOperator((n, n), matvec=lambda u, mv=mv: mv(torch.from_numpy(np.ascontiguousarray(u)).to(
            x.device)).cpu().numpy(), dtype=np.float64)
        out[who] = float(eigsh(op, k=1, which="SA", v0=np.random.default_rng(seed).standard_normal(n),
                               return_eigenvectors=False)[0]) if n > 2 else 0.0
    return np.concatenate([lam_lm, lam_sr]), out


@single_blas_threaded
def find_equilibrium(game, *, start: str = "realizable", x=None, y=None, tol: float = 1e-6,
                     kernel="gap", dense: bool | None = None, max_nfev: int = 200, train_steps: int = 500,
                     train_options: dict | None = None, k: int = 10, seed: int = 0) -> Equilibrium:
    """Find, classify and describe a local equilibrium ``v(z*) = 0``.

    Parameters
    ----------
    game : FixedBatchGAN or TorchField
        A fixed-batch GAN (:func:`~gametheory.neural.fixed_batch.fixed_batch_gan`)
        or any two-player field (then ``start="given"`` with ``x``, ``y``).
    start : {"realizable", "trained", "given"}
    x, y : Tensor, optional
        The start for ``"given"``.
    tol : float
        Target relative norm ``|v(z*)| / |v(z_0)|``.
    kernel : "gap", "exact" or float
        How the kernel is delimited (:func:`kernel_threshold`).
    dense : bool, optional
        Dense ``J`` (default ``n <= DENSE_MAX``); otherwise ARPACK (``k``
        eigenvalues by modulus and by smallest real part).
    train_steps, train_options :
        For ``start="trained"`` (:func:`trained_point`).

    Returns
    -------
    Equilibrium
        ``converged`` is False (and the summary says so) when the refinement
        did not reach ``tol``; nothing is raised.
    """
    t0 = time.perf_counter()
    choice("start", start, STARTS)
    from .fixed_batch import FixedBatchGAN

    info = {}
    if isinstance(game, FixedBatchGAN):
        field, settings = game.field, dict(game.settings)
        reference = _vnorm(field, game.x0, game.y0)
        if start == "realizable":
            x0, y0, info = realizable_point(game)
        elif start == "trained":
            x0, y0, info = trained_point(game, steps=train_steps, **(train_options or {}))
        else:
            if x is None or y is None:
                fail("x", "the start point (x and y) for start='given'")
            x0, y0 = x, y
    elif isinstance(game, TorchField):
        if start != "given" or x is None or y is None:
            fail("start", "'given' with x and y for a TorchField (the other starts need a FixedBatchGAN)", start)
        field, settings = game, {}
        x0, y0 = x, y
        reference = _vnorm(field, torch.as_tensor(x0).to(F64), torch.as_tensor(y0).to(F64))
    else:
        fail("game", "a FixedBatchGAN or a TorchField", type(game).__name__)
    reference = max(reference, np.finfo(float).tiny)
    history = [{"phase": "start", "grad_norm": _vnorm(field, torch.as_tensor(x0).to(F64),
                                                      torch.as_tensor(y0).to(F64))}]
    xs, ys, rinfo = refine(field, x0, y0, target=tol * reference * 1e-4, max_nfev=max_nfev, dense=dense)
    info.update(rinfo)
    gnorm = _vnorm(field, xs, ys)
    history.append({"phase": "refined", "grad_norm": gnorm, "nfev": rinfo["refine_nfev"]})
    J = GameJacobian(field, xs, ys)
    use_dense = J.n <= DENSE_MAX if dense is None else bool(dense)
    if use_dense:
        Jd = J.dense()
        lam = np.linalg.eigvals(Jd)
        K = kernel_of(Jd, EXACT_KERNEL_TOL, lam)
        thr, slow, gap = kernel_threshold(lam, K.algebraic, kernel)  # the zero eigenvalue counted with its Jordan blocks
        cls = classify(Jd, J.nx, lam[np.abs(lam) > thr])
    else:
        lam, hmin = _classify_matrix_free(J, integer("k", k, minimum=1), seed)
        K, slow, gap = None, 0, 1.0
        thr = 0.0 if isinstance(kernel, str) else float(kernel) * float(np.max(np.abs(lam)))
        off = lam[np.abs(lam) > thr]
        scale = float(np.max(np.abs(lam)))
        nash = hmin["x"] >= -1e-7 * scale and hmin["y"] >= -1e-7 * scale
        stable = bool(off.real.min() > 1e-10 * scale)
        cls = {"kind": KINDS[0] if nash else (KINDS[1] if stable else KINDS[2]), "nash": nash, "gda_stable": stable,
               "hessian_min": hmin}
    settings = dict(settings, start=start, tol=float(tol), kernel=kernel if isinstance(kernel, str) else float(kernel),
                    **{k_: v for k_, v in info.items()})
    return Equilibrium(field, xs, ys, gnorm, gnorm / reference, reference, gnorm / reference <= tol, cls["kind"],
                       cls["nash"], cls["gda_stable"], lam, K, thr, slow, gap, cls["hessian_min"], start,
                       time.perf_counter() - t0, use_dense, history, settings, J)
