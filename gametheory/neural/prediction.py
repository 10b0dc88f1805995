"""Predicted and measured local rates of registry methods at a neural GAN's equilibrium.

At an equilibrium ``z*`` (:func:`gametheory.neural.equilibrium.find_equilibrium`)
each method of :mod:`gametheory.methods` has a local rate, the spectral
radius ``rho`` of its augmented Jacobian over the modes off the kernel.

**Predicted** over a parameter grid, through the toolkit's spectral engine:

* ``"closed form"``: for simultaneous methods that are functions of ``J``
  with one step size (GD, heavy ball, EG, OGD, past EG;
  :func:`gametheory.sweep.spectral_applies`), the largest root modulus of the
  method's derived scalar polynomial ``q(mu, lambda)`` over the eigenvalues
  ``lambda`` of ``J`` off the kernel (:func:`gametheory.sweep.eigenvalue_sweep`,
  the sweep engine's spectral path);
* ``"augmented"``: for every other method and order (alternating, two
  timescales, CGD, LCGD, consensus, SGA, unrolled, ``n_inner``), the
  augmented Jacobian as the JVP of one step of the registry rule
  (:class:`~gametheory.neural.augmented.AugmentedOperator`), over its modes
  visible in the field: compressed onto the observable subspace
  (:meth:`~gametheory.neural.augmented.AugmentedOperator.observable_radius`)
  when the dense ``J`` is at hand, else dense or by ARPACK.

**Measured**: the method's registry rule run on the Torch backend (``method.step``
with :class:`~gametheory.neural.field.TorchField` and ``TorchOps``, as the
optimizers do with ``generic=True``; for consensus, SGA, CGD, LCGD and
unrolled the optimizer's fused form of the same formula, tested step for step
against it and several times cheaper, CGD's system solved to ``1e-13``) from
``z* + delta`` (a random direction,
``|delta| = delta_rel * max(1, |z*|)``, float64, fixed seed) for ``steps``
steps. The kernel is treated explicitly on both sides: the prediction is the
radius over the modes off the kernel and slow modes, and the measurement
reads the rate on the same modes. With a dense ``J`` the rate is fitted on
``r_t = |(I - S S^H)(s_{t+1} - s_t)|``, the step of the augmented state off
``S``, the invariant subspace of the augmented Jacobian spanned by its kernel
and slow modes (:meth:`~gametheory.neural.augmented.AugmentedOperator.hidden_subspace`):
in the linearisation the component off an invariant subspace evolves by the
quotient map, whose eigenvalues are exactly the predicted ones, so the
kernel and slow modes (which would dominate ``|v|`` after a short
transient) cannot mask the rate; the step rather than the deviation because
the run converges to a *nearby* point of the manifold of equilibria, whose
offset from ``z*`` is not in ``S`` at second order (when the zero eigenvalue
is defective there is no such manifold, and the rate is read on ``|v|``). The fit window ends when
``r_t`` falls below ``1e-6 r_1``. Without a dense ``J`` the rate is read on
``|v(z_t)|`` (the kernel directions do not change ``v``) down to a floor of
10 times the largest kernel modulus over the largest one. The fit is a
least-squares line through ``log r_t`` over the last three quarters of the
window that ends at the floor, or over the last third of the run when it
lasts all ``steps`` (the asymptotic rate, not a mixture with a faster
transient). A run
whose measured norm grows past ``10^6`` times its first value or whose iterate gets farther from
``z*`` than ``10^3 |delta|`` has left the neighbourhood: it *diverges*
locally (wherever it ends up).

**Verdicts** (both): ``"converges"`` when ``rho < 1 - band``, ``"diverges"``
when ``rho > 1 + band`` (or the run blew up), else ``"bounded"``; ``band =
1 / steps`` by default (a rate within it changes ``|v|`` by less than a factor
``e`` over the run). A point is **clearly converging** when both verdicts say
so and ``rho_predicted < 1 - 10 band``; there the decay exponents
``-log rho`` are compared (the target: within 10%).

Where the verdicts disagree the point says which assumption broke, tested in
this order: ``"nonlinearity"`` (a run from ``delta / 10``, ``/ 100`` or
``/ 1000`` agrees with the prediction: the perturbation left the linear
regime), ``"step too large for the linearisation"`` (no smaller perturbation
helps and a predicted converging or bounded run's iterates moved more than
``10^3`` times the initial perturbation: the linearised step's own transient
growth at this step size leaves the linear neighbourhood), ``"kernel"`` (the
zero eigenvalue is defective, kernel modes of the augmented operator have
``|mu| > 1``, or the iterate of the smallest run drifted along the kernel by
more than 10 times its perturbation), else ``"unexplained"``, with the
numbers (:func:`_diagnose`). A clearly converging point whose exponents
differ by more than 10% gets a reason too (:func:`_diagnose_rate`):
``"nonlinearity"`` (from ``delta / 100`` the exponent is within 10%),
``"rate fit"`` (from two other random directions it is within 10%: the run
reached the floor in a few steps and this direction's slowest-mode component
was small, so the short window mixed modes) or ``"unexplained"``.

Example
-------
>>> import gametheory as gt
>>> from gametheory.neural.fixed_batch import fixed_batch_gan
>>> from gametheory.neural.equilibrium import find_equilibrium
>>> eq = find_equilibrium(fixed_batch_gan("gaussians4", scale="tiny", seed=0, r1=1.0))
>>> res = predict(eq, gt.methods.get("gd"), {"eta": [0.5, 3.0]}, steps=200, progress=False)
>>> [(p.predicted_verdict, p.measured_verdict) for p in res.points]
[('converges', 'converges'), ('diverges', 'diverges')]
"""
from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass, field as dc_field

import numpy as np
import torch

from .. import methods as core_methods
from ..methods import Method
from ..validation import fail, integer
from .augmented import DENSE_AUGMENTED_MAX, AugmentedOperator
from .spectrum import single_blas_threaded
from .linops import TorchOps
from .optimizers import FUSED_METHODS

__all__ = ["PointResult", "Measurement", "PredictionResult", "predict", "predict_rates", "measure_rate",
           "verdict_of_rate", "grid_points", "VERDICTS"]

VERDICTS = ("converges", "bounded", "diverges")
F64 = torch.float64
BLOWUP = 1e6
#: a run whose iterate gets farther than this many times the initial perturbation has left the neighbourhood
LEFT = 1e3
NUMERIC_FLOOR = 1e-8
#: the relative floor of the quotient norm (the deviation off the kernel and slow modes), far above rounding
QUOTIENT_FLOOR = 1e-6
#: the smallest perturbation the diagnosis re-measures from (below it the fit floor nears rounding)
MIN_DELTA = 1e-7


def verdict_of_rate(rho: float, band: float) -> str:
    """``"converges"`` / ``"bounded"`` / ``"diverges"`` for a rate with the band ``|rho - 1| <= band``.

    >>> verdict_of_rate(0.9, 0.01), verdict_of_rate(1.005, 0.01), verdict_of_rate(1.2, 0.01)
    ('converges', 'bounded', 'diverges')
    """
    if rho is None or not math.isfinite(rho):
        return "diverges"
    if rho < 1 - band:
        return "converges"
    if rho > 1 + band:
        return "diverges"
    return "bounded"


def grid_points(grid: dict) -> list:
    """The Cartesian grid of ``{name: [values]}`` as a list of ``{name: value}`` (first name varies slowest).

    >>> grid_points({"eta": [0.1, 0.2], "beta": [0]})
    [{'eta': 0.1, 'beta': 0}, {'eta': 0.2, 'beta': 0}]
    """
    if not isinstance(grid, dict) or not grid:
        fail("grid", "a dict {name: [values, ...]} with at least one name")
    names = list(grid)
    vals = []
    for k in names:
        v = grid[k]
        v = list(v) if isinstance(v, (list, tuple, np.ndarray)) else [v]
        if not v:
            fail(k, "at least one value")
        vals.append(v)
    return [dict(zip(names, combo)) for combo in itertools.product(*vals)]


def _bound(method: Method, point: dict):
    """The method with this point's integer parameters bound, and the continuous rest."""
    ints = {k: v for k, v in point.items() if k in method.spec.integer_params}
    rest = {k: v for k, v in point.items() if k not in method.spec.integer_params}
    if ints:
        merged = dict(method.bound)
        merged.update(ints)
        method = core_methods.get(method.name, order=method.order, **merged)
    return method, rest


def predict_rates(eq, method: Method, points: list, *, dense: bool | None = None, seed: int = 0) -> list:
    """Predicted ``(rho, path, extra)`` at each point (see the module docstring).

    ``extra`` holds the augmented path's top eigenvalue ``mu`` and the
    largest ``|mu|`` over its kernel modes.
    """
    from ..sweep import eigenvalue_sweep, spectral_applies

    out = [None] * len(points)
    groups = {}
    for i, pt in enumerate(points):
        m, rest = _bound(method, pt)
        groups.setdefault(m.key, (m, []))[1].append((i, rest))
    off = eq.off_kernel()
    Jd = eq.jacobian().dense() if eq.dense else None
    for m, items in groups.values():
        closed = all(spectral_applies(m, **rest) for _, rest in items)
        if closed and eq.dense:
            names = sorted({k for _, rest in items for k in rest})
            arrays = {k: np.array([float(rest.get(k, np.nan)) for _, rest in items]) for k in names}
            rho = eigenvalue_sweep(m, off, **arrays)
            for (i, _), r in zip(items, rho):
                out[i] = (float(r), "closed form", {})
            continue
        for i, rest in items:
            A = AugmentedOperator(m, eq.field, eq.x, eq.y, rest)
            if Jd is not None and eq.kernel is not None and dense is None:
                r = A.observable_radius(Jd, eq.kernel.range_basis, threshold=eq.kernel_threshold)
            else:
                r = A.radius(J=Jd if Jd is not None else eq.jacobian(), threshold=eq.kernel_threshold, seed=seed,
                             dense=dense)
            out[i] = (r.rho, f"augmented ({r.path})", {"mu": [r.mu.real, r.mu.imag], "kernel_rho": r.kernel_rho,
                                                       "visible_modes": r.visible, "kernel_modes": r.hidden})
    return out


@dataclass
class Measurement:
    """A measured run from ``z* + delta``.

    Attributes
    ----------
    rho : float
        Fitted rate of ``|v(z_t)|`` (``nan`` without a window to fit).
    verdict : str
    steps : int
        Steps run.
    window : tuple
        ``(t_start, t_end)`` of the fit.
    diverged : bool
        ``|v|`` grew past ``10^6 |v(z_0)|`` or became non-finite, or the iterate
        left the neighbourhood (``|z_t - z*| > 10^3 |delta|``).
    reached_floor : bool
    excursion : float
        ``max_t |z_t - z*| / |z_0 - z*|``.
    kernel_drift : float or None
        ``|P_K (z_T - z*)| / |z_0 - z*|`` on the exact kernel (dense only).
    v_norms : list
        The measured norms (``|v(z_t)|`` or ``r_t``; every step up to 400, then subsampled).
    delta : float
        ``|z_0 - z*|``.
    floor : float
        The relative floor of the fit window.
    observed : str
        What the rate was read on: ``"step off the kernel and slow modes"`` or ``"|v|"``.
    """

    rho: float
    verdict: str
    steps: int
    window: tuple
    diverged: bool
    reached_floor: bool
    excursion: float
    kernel_drift: float | None
    v_norms: list
    delta: float
    floor: float
    observed: str = "|v|"


def _floor(eq) -> float:
    """The relative floor of ``|v|``: 10 times the largest kernel modulus over the largest one (at least 1e-8)."""
    lam = np.abs(np.asarray(eq.eigenvalues))
    if not len(lam) or lam.max() == 0:
        return NUMERIC_FLOOR
    ker = lam[lam <= eq.kernel_threshold]
    return max(NUMERIC_FLOOR, 10 * float(ker.max()) / float(lam.max()) if len(ker) else 0.0)


def _hidden_basis(eq, method: Method, params: dict):
    """``(P, s*)``: the orthogonal projector off the augmented kernel/slow invariant subspace and the fixed state.

    ``(None, None)`` when the equilibrium has no dense ``J``, the augmented
    state is too large for a dense ``M``, or the zero eigenvalue of ``J`` is
    defective (the rate is then read on ``|v|``): along a Jordan chain
    ``J k_2 = k_1`` the iterate drifts linearly and ``v`` does not decay, and
    the quotient off the kernel's invariant subspace would hide exactly that.
    """
    if not eq.dense or eq.kernel_threshold <= 0:
        return None, None
    if eq.kernel is not None and eq.kernel.defective:  # a Jordan block at 0: no manifold of equilibria to quotient by
        return None, None
    A = AugmentedOperator(method, eq.field, eq.x, eq.y, params)
    if A.n > DENSE_AUGMENTED_MAX:
        return None, None
    S = A.hidden_subspace(eq.jacobian().dense(), eq.kernel_threshold)
    # the orthogonal projector off S: real, since S is closed under conjugation (conjugate pairs are kept together)
    P = np.eye(A.n) - (S @ S.conj().T).real
    return torch.as_tensor(P, dtype=F64, device=eq.x.device), A.s0


def measure_rate(eq, method: Method, params: dict, *, steps: int = 400, delta: float = 1e-5, seed: int = 0,
                 band: float | None = None, hidden=None) -> Measurement:
    """Run the registry rule from ``z* + delta`` and fit the rate of ``|v(z_t)|`` (see the module docstring).

    ``hidden`` is the ``(P, s*)`` pair of :func:`_hidden_basis` for this method and point when already at hand
    (the diagnosis re-measures the same point several times).
    """
    method, params = _bound(method, params)
    steps = integer("steps", steps, minimum=10)
    band = 1.0 / steps if band is None else float(band)
    p = method.params(params, mode="float")
    field = eq.field
    xs, ys = eq.x, eq.y
    g = torch.Generator().manual_seed(integer("seed", seed))
    d = torch.randn(eq.n, generator=g, dtype=F64).to(xs.device)
    zstar = torch.cat([xs, ys])
    dnorm = float(delta) * max(1.0, float(zstar.norm()))
    d = d / d.norm() * dnorm
    x0, y0 = xs + d[:eq.nx], ys + d[eq.nx:]
    P_off, s_star = _hidden_basis(eq, method, params) if hidden is None else hidden
    floor = _floor(eq) if P_off is None else QUOTIENT_FLOOR
    opt = None
    if method.name in FUSED_METHODS:  # the optimizer's fused form of the same formula (tested step for step)
        from .optimizers import make_optimizer
        from .tensors import flatten, unflatten

        xp = [t.clone() for t in unflatten(x0.clone(), field.x_shapes)]
        yp = [t.clone() for t in unflatten(y0.clone(), field.y_shapes)]
        extra = {"cg_tol": 1e-13, "cg_max_iter": 10 * eq.n + 50} if method.name == "cgd" else {}
        given = {k: v for k, v in params.items() if k not in ("eta", "eta_x", "eta_y")}
        given.update({k: v for k, v in method.bound})
        opt = make_optimizer(method.name, xp, yp, order=method.order, zero_sum=field.zero_sum,
                             **{"lr" if k == "eta" else "lr_x" if k == "eta_x" else "lr_y": v
                                for k, v in params.items() if k in ("eta", "eta_x", "eta_y")}, **given, **extra)
        s = {"x": x0, "y": y0}
    else:
        with torch.no_grad():
            s = method.initial_state(x0, y0, field, p, TorchOps)
    norms, excursion, diverged, reached, t_end = [], 1.0, False, False, steps
    e_prev = None
    for t in range(steps + 1):
        if P_off is None:
            vx, vy = field.v(s["x"], s["y"])
            r = float(torch.sqrt((vx * vx).sum() + (vy * vy).sum()))
        else:  # the step's component off the kernel and slow modes' invariant subspace
            e = torch.cat([(s[k] - s_star[k]).reshape(-1) for k in s_star])
            if t == 0:
                r = None
            else:
                r = float(torch.linalg.vector_norm(P_off @ (e - e_prev)))
                r = r if math.isfinite(r) else float("inf")
            e_prev = e
        if r is not None:
            norms.append(r)
        dz = float(torch.sqrt(((s["x"] - xs) ** 2).sum() + ((s["y"] - ys) ** 2).sum()))
        excursion = max(excursion, dz / dnorm) if math.isfinite(dz) else float("inf")
        if r is not None and (not math.isfinite(r) or r > BLOWUP * norms[0]) or excursion > LEFT:
            diverged, t_end = True, t
            break
        if r is not None and r < floor * norms[0]:
            reached, t_end = True, t
            break
        if t == steps:
            break
        if opt is not None:
            opt.step(field.loss_fn)
            s = {"x": flatten(xp), "y": flatten(yp)}
        else:
            with torch.no_grad():
                s = method.step(s, field, p, TorchOps)
    last = len(norms) - 1
    # a run that ended early (floor or blow-up) is fitted over the last three quarters of its window; a run that
    # lasted the whole horizon over its last third, so that slow modes are not averaged with a faster transient
    a = last // 4 if (reached or diverged) else (2 * last) // 3
    if last - a < 5:
        a = 0
    logs = np.log(np.maximum(np.array(norms[a:last + 1]), 1e-300))
    ok = np.isfinite(logs)
    ts = np.arange(a, last + 1)[ok]
    if len(ts) >= 2:
        slope = float(np.polyfit(ts, logs[ok], 1)[0])
        rho = float(np.exp(slope))
    else:
        rho = float("nan")
    if diverged:
        verdict = "diverges"
    elif reached:
        verdict = "converges" if (math.isfinite(rho) and rho < 1) else verdict_of_rate(rho, band)
    else:
        verdict = verdict_of_rate(rho, band)
    drift = None
    if eq.kernel is not None and eq.kernel.dim and not diverged:
        B = eq.kernel.basis
        zt = (torch.cat([s["x"], s["y"]]) - zstar).cpu().numpy()
        drift = float(np.linalg.norm(B.T @ zt) / dnorm)
    keep = norms if len(norms) <= 400 else [norms[i] for i in np.unique(np.linspace(0, len(norms) - 1, 400)
                                                                            .astype(int))]
    return Measurement(rho, verdict, t_end, (int(a), int(last)), diverged, reached, float(excursion), drift,
                       [float(v) for v in keep], dnorm, floor,
                       "|v|" if P_off is None else "step off the kernel and slow modes")


@dataclass
class PointResult:
    """One grid point: prediction, measurement, agreement and (when they disagree) the broken assumption."""

    params: dict
    predicted_rho: float
    measured_rho: float | None
    predicted_verdict: str
    measured_verdict: str | None
    agree: bool | None
    path: str
    clearly_converging: bool = False
    exponent_predicted: float | None = None
    exponent_measured: float | None = None
    exponent_rel_error: float | None = None
    #: the broken assumption where the verdicts disagree, or where a clearly converging point's exponents differ by
    #: more than 10% (``agree`` tells which)
    reason: str | None = None
    details: dict = dc_field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PredictionResult:
    """Predictions and measurements over a grid, with the equilibrium and the agreement summary."""

    equilibrium: dict
    eigenvalues: list
    points: list
    settings: dict
    summary: dict

    def to_json(self) -> dict:
        """The ``--json`` layout: ``equilibrium``, ``eigenvalues`` (``[re, im]``), ``points``, ``settings``, ``summary``."""
        return {"equilibrium": self.equilibrium, "eigenvalues": self.eigenvalues,
                "points": [p.as_dict() for p in self.points], "settings": self.settings, "summary": self.summary}


def _diagnose(eq, method, pt, pred_verdict, meas: Measurement, extra, steps, delta, seed, band):
    """``(reason, details)``: which assumption of the prediction broke at a disagreeing point (module docstring).

    The causes are tested so that each is named only on evidence of it:

    1. **nonlinearity**: re-measured from ``delta / 10``, ``delta / 100``,
       ``delta / 1000`` (not below :data:`MIN_DELTA`), stopping at the first
       run whose verdict is the predicted one. The linearisation is exact in
       the limit of small perturbations, so agreement there means the
       perturbation ``delta`` was outside the linear neighbourhood;
    2. **step too large for the linearisation**: no smaller perturbation
       helps, and some run's iterates moved more than :data:`LEFT` times
       their perturbation. In the linear regime that excursion does not
       depend on ``|delta|``: it is the transient growth of the linearised
       step itself (a non-normal augmented Jacobian at this step size), so
       the run leaves any fixed neighbourhood before the asymptotic rate can
       show, however small ``delta`` is;
    3. **kernel**: the zero eigenvalue of ``J`` is defective (a Jordan block:
       linear drift along the kernel, ``v`` does not decay), kernel modes of
       the augmented operator have ``|mu| > 1 + band``, or, in the smallest
       run, the iterate drifted along the exact kernel by more than 10 times
       its perturbation;
    4. otherwise **unexplained**, with the numbers.

    A drift along the kernel seen only at the large ``delta`` is the
    nonlinearity's effect (the curved set of equilibria), not a kernel cause:
    that is why the smaller runs come first.
    """
    ladder, small = [], meas
    hidden = _hidden_basis(eq, *_bound(method, pt))
    for f in (10, 100, 1000):
        if delta / f < MIN_DELTA:
            break
        small = measure_rate(eq, method, pt, steps=steps, delta=delta / f, seed=seed, band=band, hidden=hidden)
        ladder.append({"delta": delta / f, "rho": small.rho, "verdict": small.verdict,
                       "excursion": small.excursion, "kernel_drift": small.kernel_drift})
        if small.verdict == pred_verdict:
            break
    info = {"smaller_delta": ladder}
    if ladder:
        info["delta_over_10"] = {"rho": ladder[0]["rho"], "verdict": ladder[0]["verdict"]}
    if ladder and small.verdict == pred_verdict:
        f = round(delta / ladder[-1]["delta"])
        return ("nonlinearity: from delta/" + f"{f} the measured verdict agrees with the prediction "
                f"({small.verdict}, rho {small.rho:.6g}; at delta {meas.verdict}, rho {meas.rho:.6g}): the "
                f"perturbation {meas.delta:.2g} left the linear regime"), info
    excursion = max(meas.excursion, small.excursion)
    if excursion > LEFT and pred_verdict != "diverges":
        return (f"step too large for the linearisation: the iterates moved {excursion:.3g} times the initial "
                f"perturbation ({small.excursion:.3g} times from the smallest, {small.delta:.2g}: the linearised "
                "step's own transient growth at this step size) and left the linear neighbourhood before the "
                "asymptotic rate could show"), info
    kernel_bits = []
    if eq.kernel is not None and eq.kernel.defective:
        kernel_bits.append(f"the zero eigenvalue is defective (algebraic multiplicity {eq.kernel.algebraic} > "
                           f"geometric {eq.kernel.dim}, Jordan blocks {eq.kernel.jordan_blocks}: linear drift "
                           "along the kernel, v does not decay)")
    if extra.get("kernel_rho", 0) > 1 + band:
        kernel_bits.append(f"modes along the kernel grow (|mu| = {extra['kernel_rho']:.6g})")
    if small.kernel_drift is not None and small.kernel_drift > 10:
        kernel_bits.append(f"the iterate drifted {small.kernel_drift:.3g} times the perturbation along the kernel "
                           f"(from {small.delta:.2g})")
    if kernel_bits:
        return "kernel: " + "; ".join(kernel_bits), info
    return (f"unexplained: measured {meas.verdict} (rho {meas.rho:.6g}, window {meas.window}) vs predicted "
            f"{pred_verdict}; from smaller perturbations "
            + ", ".join(f"{r['delta']:.2g}: {r['verdict']} (rho {r['rho']:.6g})" for r in ladder)), info


def _diagnose_rate(eq, method, pt, rho_pred, meas: Measurement, steps, delta, seed, band):
    """``(reason, details)`` for a clearly converging point whose decay exponents differ by more than 10%.

    The same assumptions are tested, then the measurement's own one, the
    random direction of ``delta``:

    1. **nonlinearity**: from ``delta / 100`` the exponent is within 10%;
    2. **rate fit**: from the next two seeds' directions (same ``|delta|``)
       the exponent is within 10% on both: the linearisation holds, but this
       direction of ``delta`` has a small component along the slowest mode,
       and the run reached the fit floor after ``window`` steps, before the
       faster modes had died out (a short window mixes modes; not a failure
       of the prediction);
    3. otherwise **unexplained**, with the numbers.
    """
    e_pred = -math.log(rho_pred)

    def err(m):
        return abs(-math.log(m.rho) - e_pred) / e_pred if math.isfinite(m.rho) and m.rho > 0 else float("inf")

    info = {}
    hidden = _hidden_basis(eq, *_bound(method, pt))
    if delta / 100 >= MIN_DELTA:
        small = measure_rate(eq, method, pt, steps=steps, delta=delta / 100, seed=seed, band=band, hidden=hidden)
        info["delta_over_100"] = {"rho": small.rho, "exponent_rel_error": err(small)}
        if err(small) <= 0.10:
            return (f"nonlinearity: from delta/100 the decay exponent is within {err(small):.1%} of the predicted "
                    f"one ({err(meas):.1%} at delta {meas.delta:.2g}): the perturbation left the linear regime"), info
    others = [measure_rate(eq, method, pt, steps=steps, delta=delta, seed=seed + k, band=band, hidden=hidden)
              for k in (1, 2)]
    info["other_seeds"] = [{"seed": seed + k, "rho": o.rho, "exponent_rel_error": err(o), "window": list(o.window)}
                           for k, o in zip((1, 2), others)]
    if all(err(o) <= 0.10 for o in others):
        length = meas.window[1] - meas.window[0]
        return (f"rate fit: the run reached the floor {meas.floor:.0e} after {meas.steps} steps, so the rate was "
                f"fitted over {length} steps, and this perturbation's direction (seed {seed}) starts with a small "
                "component along the slowest mode: the faster modes had not died out in the window. From seeds "
                + " and ".join(str(o["seed"]) for o in info["other_seeds"]) + " the exponent is within "
                + " and ".join(f"{o['exponent_rel_error']:.1%}" for o in info["other_seeds"])
                + " of the predicted one: the linearisation holds (neither nonlinearity nor the step)"), info
    return (f"unexplained: decay exponent {err(meas):.1%} off (measured rho {meas.rho:.6g}, predicted {rho_pred:.6g}); "
            "from seeds " + ", ".join(f"{o['seed']}: {o['exponent_rel_error']:.1%}" for o in info["other_seeds"])), info


@single_blas_threaded
def predict(eq, method: Method, grid: dict, *, measure: bool = True, steps: int = 400, delta: float = 1e-5,
            seed: int = 0, band: float | None = None, diagnose: bool = True, dense: bool | None = None,
            progress: bool = True) -> PredictionResult:
    """Predicted (and measured) local rates of ``method`` at ``eq`` over the Cartesian ``grid``.

    Parameters
    ----------
    eq : Equilibrium
    method : Method
    grid : dict
        ``{name: [values]}``: ``eta`` (or ``eta_x``, ``eta_y``), ``beta``,
        ``gamma``, ``lam``, ``eta_extrap``, ``k``, ``n``.
    measure : bool
        Run the method too (else only predictions).
    steps, delta, seed, band :
        The measurement (see the module docstring).
    diagnose : bool
        Re-measure disagreeing points (smaller ``delta``, other directions) to name the broken assumption.

    Returns
    -------
    PredictionResult
    """
    if not isinstance(method, Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
    points = grid_points(grid)
    for pt in points:
        method.params(_bound(method, pt)[1], mode="float")  # bad names and values fail here, before any work
    steps = integer("steps", steps, minimum=10)
    band = 1.0 / steps if band is None else float(band)
    preds = predict_rates(eq, method, points, dense=dense, seed=seed)
    bar = None
    if progress and measure:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(points), desc=f"predict {method.name}", unit="point")
    rows = []
    for pt, (rho, path, extra) in zip(points, preds):
        pv = verdict_of_rate(rho, band)
        row = PointResult(dict(pt), float(rho), None, pv, None, None, path, details=dict(extra))
        if measure:
            meas = measure_rate(eq, method, pt, steps=steps, delta=delta, seed=seed, band=band)
            row.measured_rho, row.measured_verdict = meas.rho, meas.verdict
            row.agree = meas.verdict == pv
            row.details.update(window=list(meas.window), steps_run=meas.steps, diverged=meas.diverged,
                               reached_floor=meas.reached_floor, excursion=meas.excursion,
                               kernel_drift=meas.kernel_drift, delta=meas.delta, floor=meas.floor,
                               observed=meas.observed,
                               v_norms=meas.v_norms)
            if pv == "converges" and meas.verdict == "converges" and rho < 1 - 10 * band and \
                    math.isfinite(meas.rho) and meas.rho > 0:
                row.clearly_converging = True
                row.exponent_predicted = -math.log(rho)
                row.exponent_measured = -math.log(meas.rho)
                row.exponent_rel_error = abs(row.exponent_measured - row.exponent_predicted) / row.exponent_predicted
                if row.exponent_rel_error > 0.10 and diagnose:
                    row.reason, more = _diagnose_rate(eq, method, pt, rho, meas, steps, delta, seed, band)
                    row.details.update(more)
            if not row.agree and diagnose:
                row.reason, more = _diagnose(eq, method, pt, pv, meas, extra, steps, delta, seed, band)
                row.details.update(more)
            if bar is not None:
                bar.update(1)
        rows.append(row)
    if bar is not None:
        bar.close()
    measured = [r for r in rows if r.agree is not None]
    clear = [r for r in rows if r.clearly_converging]
    within = [r for r in clear if r.exponent_rel_error is not None and r.exponent_rel_error <= 0.10]
    reasons, rate_reasons = {}, {}
    for r in measured:
        if r.reason:
            into = reasons if not r.agree else rate_reasons
            key = r.reason.split(":")[0]
            into[key] = into.get(key, 0) + 1
    summary = {"n_points": len(rows), "measured": len(measured),
               "agreement_rate": (sum(r.agree for r in measured) / len(measured)) if measured else None,
               "verdicts_predicted": {v: sum(r.predicted_verdict == v for r in rows) for v in VERDICTS},
               "verdicts_measured": {v: sum(r.measured_verdict == v for r in measured) for v in VERDICTS},
               "clearly_converging": len(clear), "exponent_within_10pct": len(within),
               "exponent_within_10pct_rate": (len(within) / len(clear)) if clear else None,
               "max_exponent_rel_error": max((r.exponent_rel_error for r in clear), default=None),
               "disagreement_reasons": reasons, "rate_disagreement_reasons": rate_reasons,
               "targets": {"agreement_rate": 0.9, "exponent_rel_error": 0.10}}
    lam = np.asarray(eq.eigenvalues)
    settings = {"method": method.name, "order": method.order, "bound": dict(method.bound), "grid": {k: list(v) if
                isinstance(v, (list, tuple, np.ndarray)) else [v] for k, v in grid.items()}, "steps": steps,
                "delta": float(delta), "seed": int(seed), "band": band, "measure": bool(measure),
                "game": dict(eq.settings)}
    return PredictionResult(eq.summary(), [[float(l.real), float(l.imag)] for l in lam], rows, settings, summary)
