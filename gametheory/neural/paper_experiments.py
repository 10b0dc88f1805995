"""Each source's neural experiment, one function per claim: the toolkit's numbers next to the published statement.

Every function runs several seeds and returns a JSON-able dict with the
per-seed numbers, whether the published statement held for each seed
(``"holds"``), the statement itself (``"published"``) and the settings; the
paper-check modules (:mod:`gametheory.paper_checks`) turn that into a verdict
with :func:`seed_verdict` (a one-sided binomial test over the seeds). The
style is PEPit's: one function per claim, computed vs theoretical.

The local experiments share one neural game: the saturating or
non-saturating GAN on the four-Gaussian mixture (equal weights, the
``"clean"`` layout), a fixed batch of 4 samples, the tiny networks
(generator 2-8-2, discriminator 2-8-1, tanh), at its realizable equilibrium
(:func:`gametheory.neural.equilibrium.find_equilibrium`). Step sizes are
read off each seed's spectrum, never tuned to a verdict: ``eta = 0.5 /
max |lambda|`` over the eigenvalues of ``J`` off the kernel unless said
otherwise. Verdicts of predictions and measurements are those of
:mod:`gametheory.neural.prediction` at the horizon ``steps``.

Functions
---------
negative_momentum
    Gidel et al. 2019: alternating GDA with heavy ball ``beta`` in a grid.
imaginary_eigenvalues, consensus_shift
    Mescheder et al. 2017: eigenvalues near the imaginary axis; consensus
    moves them as ``J + gamma J^T J`` says.
consensus_ring_modes
    Mescheder et al. 2017: ConOpt vs simultaneous RMSProp on the ring of 8 Gaussians.
r1_local
    Mescheder et al. 2018: simultaneous GD with and without R1.
wgan_local
    Gidel et al. 2019 (VI): GDA, extragradient, optimistic GD at a WGAN's equilibrium.
wgan_training
    Gidel et al. 2019 (VI): the same methods (Adam-preconditioned) training a WGAN (clipped or with the
    gradient penalty) on a mixture; settling measured only on generators near the data (exact W1).
sample_movement, paired_sign_test
    How far a generator still moves; the sign test over paired seeds.
discriminator_alone, cgd_longer, icr_relative_speed
    Schafer et al. (ICR): a trained checkpoint on the 8x8 digits; a trained and
    refined stationary point on the mixture.
digits_both
    Mangoubi, Sachdeva, Vishnoi: GDA vs their algorithm on the 0-1 digits.

Example
-------
>>> seed_verdict([True] * 5)["status"], seed_verdict([True, False])["status"]
('confirmed', 'inconclusive')
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import torch

from .. import methods as core_methods
from ..io import jsonable
from .equilibrium import find_equilibrium, trained_point
from .fixed_batch import fixed_batch_gan
from .linops import TorchOps
from .prediction import predict

__all__ = ["seed_verdict", "local_equilibrium", "negative_momentum", "imaginary_eigenvalues", "consensus_shift",
           "r1_local", "wgan_local", "resolvable", "same_optimum", "consensus_ring_modes", "wgan_training",
           "sample_movement", "paired_sign_test", "discriminator_alone", "cgd_longer", "icr_relative_speed", "digits_both",
           "LOCAL_GAME", "MIN_SEEDS"]

#: the neural game of the local experiments
LOCAL_GAME = {"data": "gaussians4", "layout": "clean", "batch": 4, "scale": "tiny"}
MIN_SEEDS = 5
F64 = torch.float64


def seed_verdict(holds, *, min_seeds: int = MIN_SEEDS, alpha: float = 0.05, share: float = 0.8) -> dict:
    """A verdict from per-seed outcomes: a one-sided binomial test that the statement holds more often than not.

    ``"confirmed"`` when at least ``min_seeds`` seeds ran, the statement held in
    a share of at least ``share`` of them, and ``P(X >= k | p = 1/2) < alpha``;
    ``"refuted"`` when it held in fewer than half of at least ``min_seeds``
    seeds; else ``"inconclusive"``. Also the Clopper-Pearson 95% interval.
    """
    from scipy.stats import binomtest

    holds = [bool(h) for h in holds]
    n, k = len(holds), sum(holds)
    if n == 0:
        return {"status": "inconclusive", "n": 0, "k": 0, "reason": "no seed ran"}
    test = binomtest(k, n, 0.5, alternative="greater")
    ci = binomtest(k, n).proportion_ci(0.95)
    out = {"n": n, "k": k, "share": k / n, "p_value": float(test.pvalue), "ci95": [float(ci.low), float(ci.high)],
           "alpha": alpha, "min_seeds": min_seeds}
    if n < min_seeds:
        out.update(status="inconclusive", reason=f"{n} seed(s): at least {min_seeds} are needed for a one-sided "
                                                 f"binomial test at {alpha:g}")
    elif k / n >= share and test.pvalue < alpha:
        out["status"] = "confirmed"
    elif k / n < 0.5:
        out["status"] = "refuted"
    else:
        out.update(status="inconclusive", reason=f"held in {k} of {n} seeds (binomial p = {test.pvalue:.3g})")
    return out


@lru_cache(maxsize=64)
def local_equilibrium(seed: int, loss: str, r1: float = 0.0, game: tuple = tuple(sorted(LOCAL_GAME.items()))):
    """The realizable equilibrium of the local experiments' game for one seed (cached in the process)."""
    kw = dict(game)
    return find_equilibrium(fixed_batch_gan(kw.pop("data"), seed=seed, loss=loss, r1=r1, **kw))


def _scale_eta(eq, frac=0.5):
    off = eq.off_kernel()
    return frac / float(np.max(np.abs(off))) if len(off) else frac


def _point_rows(res):
    return [{"params": p.params, "predicted_rho": p.predicted_rho, "measured_rho": p.measured_rho,
             "predicted_verdict": p.predicted_verdict, "measured_verdict": p.measured_verdict, "agree": p.agree,
             "reason": p.reason} for p in res.points]


def resolvable(point: dict, steps: int) -> bool:
    """The predicted rate at ``point`` is farther from 1 than a ``steps``-step run can resolve (``1 / steps``).

    A seed whose decisive rates are not resolvable (an equilibrium with very
    slow modes off the kernel: ``rho = 0.99999``) cannot tell converging from
    cycling at that run length; the claims leave such seeds out and say so.

    >>> resolvable({"predicted_rho": 0.99999}, 300), resolvable({"predicted_rho": 0.98}, 300)
    (False, True)
    """
    rho = point["predicted_rho"]
    return rho is not None and math.isfinite(rho) and abs(rho - 1.0) > 1.0 / steps


def same_optimum(at_predicted: dict, at_measured: dict) -> bool:
    """The predicted and the measured optimum of a grid agree.

    They agree when they are the same grid point, or when the measurement
    cannot separate them: their measured rates differ by no more than the
    measurement differs from the prediction at those two points.

    >>> a = {"params": {"beta": -0.4}, "predicted_rho": 0.97613, "measured_rho": 0.97622}
    >>> b = {"params": {"beta": -0.6}, "predicted_rho": 0.97628, "measured_rho": 0.97614}
    >>> same_optimum(a, b), same_optimum(a, {**b, "predicted_rho": 0.9702, "measured_rho": 0.9700})
    (True, False)
    """
    if at_predicted["params"] == at_measured["params"]:
        return True
    pts = (at_predicted, at_measured)
    if any(q["measured_rho"] is None or not math.isfinite(q["measured_rho"]) for q in pts):
        return False
    err = max(abs(q["predicted_rho"] - q["measured_rho"]) for q in pts)
    return abs(at_predicted["measured_rho"] - at_measured["measured_rho"]) <= err


def _eq_info(eq):
    s = eq.summary()
    off = eq.off_kernel()
    return {"relative_grad_norm": s["relative_grad_norm"], "kind": s["kind"], "n_params": s["n_params"],
            "kernel": s["kernel"]["treated_as_kernel"], "off_kernel": [[float(l.real), float(l.imag)] for l in off]}


# ---------------------------------------------------------------- Gidel et al. 2019
def negative_momentum(seeds, *, steps: int = 300, betas=(-0.6, -0.4, -0.2, 0.0, 0.2), small: float = 0.2) -> dict:
    """Alternating GDA with heavy-ball ``beta`` at the saturating GAN's equilibrium (Gidel et al., AISTATS 2019).

    Per seed, ``eta = 0.5 / max |lambda|`` and every ``beta`` of the grid:
    predicted and measured rates and verdicts. ``holds_pattern``: both say
    ``beta = -small`` converges, faster than ``beta = 0``, and ``beta = +small``
    diverges (``zero_only_cycles`` records whether ``beta = 0`` is bounded at
    the horizon, the bilinear picture, or converges); ``holds_best``: the
    rate-optimal ``beta`` of the grid is negative both predicted and
    measured, and the two agree (``best_agree``: the same grid point, or
    measured rates closer than the measurement is to the prediction there).
    ``testable``: the rates at ``-small`` and at the predicted optimum are
    :func:`resolvable` in ``steps`` steps.
    """
    betas = sorted(set(float(b) for b in betas) | {-small, 0.0, small})
    m = core_methods.get("momentum", order="alternating")
    rows = []
    for seed in seeds:
        eq = local_equilibrium(int(seed), "minimax")
        eta = _scale_eta(eq)
        res = predict(eq, m, {"eta": [eta], "beta": betas}, steps=steps, seed=int(seed), progress=False)
        pts = _point_rows(res)
        by_beta = {p["params"]["beta"]: p for p in pts}
        pattern_pred = tuple(by_beta[b]["predicted_verdict"] for b in (-small, 0.0, small))
        pattern_meas = tuple(by_beta[b]["measured_verdict"] for b in (-small, 0.0, small))

        def pattern(verdicts, key):
            neg, zero, pos = verdicts
            faster = by_beta[-small][key] is not None and by_beta[0.0][key] is not None and \
                by_beta[-small][key] < by_beta[0.0][key]
            return neg == "converges" and pos == "diverges" and zero in ("bounded", "converges") and faster

        best_pred = min(pts, key=lambda p: p["predicted_rho"])["params"]["beta"]
        finite = [p for p in pts if p["measured_rho"] is not None and math.isfinite(p["measured_rho"])]
        best_meas = min(finite, key=lambda p: p["measured_rho"])["params"]["beta"] if finite else None
        tie = None if best_meas is None else same_optimum(by_beta[best_pred], by_beta[best_meas])
        rows.append({"seed": int(seed), "eta": eta, "equilibrium": _eq_info(eq), "points": pts,
                     "pattern_predicted": pattern_pred, "pattern_measured": pattern_meas,
                     "zero_only_cycles": pattern_pred[1] == "bounded" and pattern_meas[1] == "bounded",
                     "holds_pattern": pattern(pattern_pred, "predicted_rho") and pattern(pattern_meas, "measured_rho"),
                     "best_beta_predicted": best_pred, "best_beta_measured": best_meas,
                     "best_agree": tie,
                     "holds_best": best_meas is not None and best_pred < 0 and best_meas < 0 and bool(tie),
                     "testable": resolvable(by_beta[-small], steps) and resolvable(by_beta[best_pred], steps),
                     "agreement": res.summary["agreement_rate"]})
    return jsonable({"settings": {**LOCAL_GAME, "loss": "minimax", "method": "momentum (alternating)",
                                  "eta": "0.5 / max |lambda| per seed", "betas": betas, "small": small, "steps": steps,
                                  "seeds": [int(s) for s in seeds]}, "per_seed": rows})


# ----------------------------------------------------------- Mescheder et al. 2017
def imaginary_eigenvalues(seeds, *, ratio: float = 10.0) -> dict:
    """Eigenvalues of the neural GAN's ``J`` with large imaginary part (Mescheder et al., NeurIPS 2017, Sec. 3).

    Per seed (non-saturating GAN): the off-kernel eigenvalues, the largest
    ``|Im| / |Re|``, and what it costs simultaneous GD: its largest stable
    step ``min 2 Re lambda / |lambda|^2`` against ``2 / max |lambda|`` (the
    limit were the spectrum real). ``holds``: some eigenvalue has
    ``|Im lambda| >= ratio |Re lambda|``.
    """
    rows = []
    for seed in seeds:
        eq = local_equilibrium(int(seed), "ns")
        off = eq.off_kernel()
        lmax = float(np.max(np.abs(off)))
        re = np.maximum(np.abs(off.real), 1e-12 * lmax)
        r = float(np.max(np.abs(off.imag) / re))
        gd_limit = float(np.min(2 * off.real / np.abs(off) ** 2))
        rows.append({"seed": int(seed), "equilibrium": _eq_info(eq), "max_imag_over_real": r,
                     "gd_step_limit": gd_limit, "real_spectrum_step_limit": 2 / lmax,
                     "step_penalty": (2 / lmax) / gd_limit if gd_limit > 0 else float("inf"), "holds": r >= ratio})
    return jsonable({"settings": {**LOCAL_GAME, "loss": "ns", "ratio": ratio, "seeds": [int(s) for s in seeds]},
                     "per_seed": rows})


def consensus_shift(seeds, *, gamma: float = 1.0, steps: int = 300) -> dict:
    """Consensus optimization moves ``J``'s eigenvalues to those of ``J + gamma J^T J`` (Mescheder et al. 2017).

    Per seed (non-saturating GAN): ``predicted`` = eigenvalues of
    ``J + gamma J^T J`` (the paper's formula, from the dense ``J``);
    ``measured`` = ``(1 - mu) / eta`` for the eigenvalues ``mu`` of the
    registry consensus step's augmented Jacobian (its JVP), with ``eta = 0.5 /
    max |predicted|``; both off the kernel (the ``kernel_dim`` smallest moduli
    dropped). Also the shift of the smallest real part, and the measured rate
    of the consensus run against its prediction. ``holds``: the spectra
    agree to ``1e-8`` relative, the smallest real part grows, and the measured
    verdict is the predicted one.
    """
    from .augmented import AugmentedOperator

    m = core_methods.get("consensus")
    rows = []
    for seed in seeds:
        eq = local_equilibrium(int(seed), "ns")
        J = eq.jacobian().dense()
        kdim = eq.kernel_dim
        pred_all = np.linalg.eigvals(J + gamma * J.T @ J)
        pred = pred_all[np.argsort(np.abs(pred_all))][kdim:]
        eta = 0.5 / float(np.max(np.abs(pred)))
        A = AugmentedOperator(m, eq.field, eq.x, eq.y, {"eta": eta, "gamma": gamma})
        mu = np.linalg.eigvals(A.dense())
        lam_m = (1 - mu) / eta
        meas = lam_m[np.argsort(np.abs(lam_m))][kdim:]
        err = multiset_distance(pred, meas) / float(np.max(np.abs(pred)))
        before = float(eq.off_kernel().real.min())
        after = float(pred.real.min())
        res = predict(eq, m, {"eta": [eta], "gamma": [gamma]}, steps=steps, seed=int(seed), progress=False)
        p = _point_rows(res)[0]
        rows.append({"seed": int(seed), "eta": eta, "gamma": gamma, "equilibrium": _eq_info(eq),
                     "predicted_eigenvalues": [[float(l.real), float(l.imag)] for l in pred],
                     "measured_eigenvalues": [[float(l.real), float(l.imag)] for l in meas],
                     "relative_error": err, "min_real_before": before, "min_real_after": after, "rate": p,
                     "holds": err < 1e-8 and after > before and bool(p["agree"])})
    return jsonable({"settings": {**LOCAL_GAME, "loss": "ns", "gamma": gamma, "steps": steps,
                                  "eta": "0.5 / max |eig(J + gamma J^T J)| per seed", "seeds": [int(s) for s in seeds]},
                     "per_seed": rows})


def multiset_distance(a, b) -> float:
    """Largest distance between two multisets of complex numbers (greedy nearest matching)."""
    b = list(b)
    worst = 0.0
    for z in a:
        i = int(np.argmin([abs(z - w) for w in b]))
        worst = max(worst, abs(z - b.pop(i)))
    return worst


# ----------------------------------------------------------- Mescheder et al. 2018
def r1_local(seeds, *, gamma: float = 1.0, steps: int = 300, near_axis: float = 0.1) -> dict:
    """Simultaneous GD at the realizable equilibrium with and without R1 (Mescheder et al., ICML 2018).

    The equilibrium is the same for both (R1 vanishes where the discriminator
    is constant). ``eta = min Re lambda / |lambda|^2`` over the R1 game's
    off-kernel eigenvalues (half of simultaneous GD's largest stable step
    there). ``holds``: with R1 predicted and measured *converges*; without,
    the slowest eigenvalue is near the imaginary axis (``Re / |lambda| <
    near_axis``; 0.1, i.e. ``|Im| >= 10 |Re|``, the definition of
    :func:`imaginary_eigenvalues`) and neither prediction nor measurement converges.
    ``testable``: the R1 rate is :func:`resolvable` in ``steps`` steps.
    """
    m = core_methods.get("gd")
    rows = []
    for seed in seeds:
        eq0 = local_equilibrium(int(seed), "ns", 0.0)
        eqr = local_equilibrium(int(seed), "ns", float(gamma))
        offr = eqr.off_kernel()
        eta = float(np.min(offr.real / np.abs(offr) ** 2))
        if eta <= 0:
            rows.append({"seed": int(seed), "holds": False, "note": "an R1 eigenvalue has Re <= 0"})
            continue
        r_reg = _point_rows(predict(eqr, m, {"eta": [eta]}, steps=steps, seed=int(seed), progress=False))[0]
        r_un = _point_rows(predict(eq0, m, {"eta": [eta]}, steps=steps, seed=int(seed), progress=False))[0]
        off0 = eq0.off_kernel()
        slow = off0[np.argmin(off0.real / np.abs(off0))]
        rows.append({"seed": int(seed), "eta": eta, "gamma": gamma, "unregularized": r_un, "r1": r_reg,
                     "slowest_unregularized": [float(slow.real), float(slow.imag)],
                     "slowest_real_over_modulus": float(slow.real / abs(slow)),
                     "min_real_r1": float(offr.real.min()),
                     "testable": resolvable(r_reg, steps),
                     "holds": (r_reg["predicted_verdict"] == "converges" and r_reg["measured_verdict"] == "converges"
                               and slow.real / abs(slow) < near_axis and r_un["predicted_verdict"] != "converges"
                               and r_un["measured_verdict"] != "converges")})
    return jsonable({"settings": {**LOCAL_GAME, "loss": "ns", "gamma": gamma, "steps": steps,
                                  "eta": "min Re lambda / |lambda|^2 of the R1 game per seed",
                                  "seeds": [int(s) for s in seeds]}, "per_seed": rows})


# ---------------------------------------------------- Gidel et al. 2019 (VI)
def wgan_local(seeds, *, steps: int = 300) -> dict:
    """GDA, extragradient and optimistic GD at a WGAN's realizable equilibrium (Gidel et al., ICLR 2019).

    The critic's output is linear and its output layer zero, so ``J`` off the
    kernel is purely rotational (a bilinear game). ``eta = 0.5 / max |lambda|``.
    ``holds``: simultaneous GDA diverges and EG and OGD converge, predicted and measured;
    ``testable``: the three rates are :func:`resolvable` in ``steps`` steps.
    """
    rows = []
    for seed in seeds:
        eq = local_equilibrium(int(seed), "wgan")
        eta = _scale_eta(eq)
        out = {}
        for name in ("gd", "eg", "ogd"):
            out[name] = _point_rows(predict(eq, core_methods.get(name), {"eta": [eta]}, steps=steps, seed=int(seed),
                                            progress=False))[0]
        ok = all(out[k]["predicted_verdict"] == v and out[k]["measured_verdict"] == v
                 for k, v in (("gd", "diverges"), ("eg", "converges"), ("ogd", "converges")))
        off = eq.off_kernel()
        rows.append({"seed": int(seed), "eta": eta, "equilibrium": _eq_info(eq),
                     "max_abs_real_over_modulus": float(np.max(np.abs(off.real) / np.abs(off))), **out, "holds": ok,
                     "testable": all(resolvable(out[k], steps) for k in ("gd", "eg", "ogd"))})
    return jsonable({"settings": {**LOCAL_GAME, "loss": "wgan", "steps": steps, "eta": "0.5 / max |lambda| per seed",
                                  "seeds": [int(s) for s in seeds]}, "per_seed": rows})


# ----------------------------------------------------------------- Schafer et al.
DIGITS_GAME = {"data": "digits01", "scale": "tiny", "batch": 16, "loss": "ns"}


@lru_cache(maxsize=32)
def _checkpoint(seed, train_steps, mnist_path=None):
    gan = fixed_batch_gan(DIGITS_GAME["data"], scale=DIGITS_GAME["scale"], batch=DIGITS_GAME["batch"],
                          loss=DIGITS_GAME["loss"], seed=seed, mnist_path=mnist_path)
    x, y, _ = trained_point(gan, steps=train_steps, method="gd", order="alternating", lr=1e-2, adam=True)
    return gan, x, y


def _checkpoint_setup(seed, train_steps, mnist_path):
    """The checkpoint, the step size ``0.5 / max |lambda(J)|``, the test points and the discriminator's outputs there."""
    from .spectrum import GameJacobian

    gan, x, y = _checkpoint(seed, train_steps, mnist_path)
    lam = GameJacobian(gan.field, x, y).eigenvalues(k=1, which="LM", dense=False)
    eta = 0.5 / float(np.max(np.abs(lam)))
    pts = _test_points(gan, x, seed)
    return gan, x, y, eta, pts, _d_outputs(gan, y, pts)


def _d_outputs(gan, y, points):
    """The discriminator's probabilities ``sigmoid(D)`` on ``points``."""
    with torch.no_grad():
        return torch.sigmoid(gan.logits(y, points).reshape(-1))


def _test_points(gan, x, seed, n=64):
    g = torch.Generator().manual_seed(seed + 31337)
    real = gan.dataset.sample(n, g, dtype=F64)
    noise = torch.randn(n, gan.noise.shape[1], generator=g, dtype=F64)
    from .tensors import unflatten
    from .fixed_batch import _ACT, _mlp

    with torch.no_grad():
        fake = _mlp(unflatten(x, gan.x_shapes), noise, _ACT[gan.settings["activation"]])
    return torch.cat([real, fake])


def _run(gan, method, x, y, params, steps, track):
    p = method.params(params, mode="float")
    s = method.initial_state(x.clone(), y.clone(), gan.field, p, TorchOps)
    out = [track(s["x"], s["y"])]
    for _ in range(steps):
        s = method.step(s, gan.field, p, TorchOps)
        out.append(track(s["x"], s["y"]))
    return out


def discriminator_alone(seeds, *, train_steps: int = 300, steps: int = 300, mnist_path=None) -> dict:
    """From a trained checkpoint: the discriminator alone vs simultaneous training (Schafer, Zheng, Anandkumar).

    Checkpoint: the tiny GAN on 16 fixed 8x8 digits (standing in for MNIST)
    after ``train_steps`` alternating Adam steps. Then ``steps`` steps of GD
    with ``eta = 0.5 / max |lambda(J)|`` at the checkpoint: the discriminator
    alone (``eta_x = 0``) or both players (SimGD). Measured: the
    discriminator's loss, and the mean change of its probabilities
    ``sigmoid(D)`` on 64 held-out real and 64 fresh fake digits from the
    checkpoint's. ``holds``: alone, its loss falls below half the
    checkpoint's, and its outputs change more than under SimGD.
    """
    m = core_methods.get("gd")
    rows = []
    for seed in seeds:
        gan, x, y, eta, pts, d0 = _checkpoint_setup(int(seed), train_steps, mnist_path)

        def track(xx, yy):
            return gan.losses(xx, yy)[1], float((_d_outputs(gan, yy, pts) - d0).abs().mean())

        alone = _run(gan, m, x, y, {"eta_x": 0.0, "eta_y": eta}, steps, track)
        both = _run(gan, m, x, y, {"eta_x": eta, "eta_y": eta}, steps, track)
        L0 = alone[0][0]
        rows.append({"seed": int(seed), "eta": eta, "checkpoint_d_loss": L0,
                     "alone_d_loss": [a[0] for a in alone[:: max(1, steps // 20)]],
                     "simultaneous_d_loss": [b[0] for b in both[:: max(1, steps // 20)]],
                     "alone_final_d_loss": alone[-1][0], "simultaneous_final_d_loss": both[-1][0],
                     "alone_output_change": alone[-1][1], "simultaneous_output_change": both[-1][1],
                     "holds": alone[-1][0] < 0.5 * L0 and alone[-1][1] > both[-1][1]})
    return jsonable({"settings": {**DIGITS_GAME, "train_steps": train_steps, "steps": steps,
                                  "checkpoint": "alternating Adam, lr 1e-2, from the initialisation",
                                  "eta": "0.5 / max |lambda(J)| at the checkpoint",
                                  "data_note": "scikit-learn's 8x8 digits 0 and 1 stand in for MNIST",
                                  "seeds": [int(s) for s in seeds]}, "per_seed": rows})


def cgd_longer(seeds, *, train_steps: int = 300, steps: int = 300, tol: float = 0.05, mnist_path=None) -> dict:
    """CGD keeps a trained checkpoint's discriminator near the checkpoint longer than SimGD (Schafer et al.).

    Same checkpoint and step as :func:`discriminator_alone`; both players
    train with SimGD or CGD (the optimizers of :mod:`gametheory.neural.optimizers`,
    CGD's local game solved to ``cg_tol = 1e-8``). Measured: the first step at
    which the discriminator's probabilities on the held-out points have moved
    by ``tol`` on average (``steps + 1``: never). ``holds``: CGD stays strictly
    longer.
    """
    from .optimizers import make_optimizer
    from .tensors import flatten, unflatten

    rows = []
    for seed in seeds:
        gan, x, y, eta, pts, d0 = _checkpoint_setup(int(seed), train_steps, mnist_path)
        out = {}
        for name, opts in (("gd", {}), ("cgd", {"cg_tol": 1e-8, "cg_max_iter": 200})):
            xp = [t.clone().requires_grad_(True) for t in unflatten(x.clone(), gan.x_shapes)]
            yp = [t.clone().requires_grad_(True) for t in unflatten(y.clone(), gan.y_shapes)]
            opt = make_optimizer(name, xp, yp, lr=eta, **opts)
            traj = [0.0]
            for _ in range(steps):
                opt.step(gan.loss_fn)
                traj.append(float((_d_outputs(gan, flatten(yp), pts) - d0).abs().mean()))
            left = next((t for t, c in enumerate(traj) if c > tol), steps + 1)
            out[name] = {"left_at": left, "final_change": traj[-1], "change": traj[:: max(1, steps // 20)]}
        rows.append({"seed": int(seed), "eta": eta, "simgd": out["gd"], "cgd": out["cgd"],
                     "holds": out["cgd"]["left_at"] > out["gd"]["left_at"]})
    return jsonable({"settings": {**DIGITS_GAME, "train_steps": train_steps, "steps": steps, "tol": tol,
                                  "seeds": [int(s) for s in seeds]}, "per_seed": rows})


def icr_relative_speed(seeds, *, train_steps: int = 300, ratios=(1.0, 0.3, 0.1, 0.03), steps: int = 300) -> dict:
    """ICR's stability of a stationary point for slow discriminators, from the spectrum (Schafer et al.).

    Per seed: the non-saturating GAN on the mixture (fixed batch of 16, tiny
    networks) trained by alternating Adam, then refined to a stationary point
    (``start="trained"``). From the spectrum: the discriminator's own block
    ``J_yy`` (training it alone is GD on ``L_y``: unstable iff ``J_yy`` has a
    negative eigenvalue) and SimGD's predicted rate for ``eta_y = r eta_x``
    over the ``ratios`` (``eta_x = 0.5 / max |lambda|``), against the measured
    verdicts. ``holds``: the discriminator alone is unstable, SimGD is stable
    for some ratio (predicted and measured), and the predicted and measured
    boundary ratios coincide.
    """
    m = core_methods.get("gd")
    rows = []
    for seed in seeds:
        gan = fixed_batch_gan("gaussians4", scale="tiny", batch=16, loss="ns", seed=int(seed))
        eq = find_equilibrium(gan, start="trained", train_steps=train_steps, max_nfev=100,
                              train_options={"lr": 1e-2, "order": "alternating"})
        if not eq.converged:
            rows.append({"seed": int(seed), "holds": False, "converged": False, "testable": False,
                         "relative_grad_norm": eq.relative_grad_norm, "note": "no stationary point reached"})
            continue
        eta = _scale_eta(eq)
        res = predict(eq, m, {"eta_x": [eta], "eta_y": [eta * r for r in ratios]}, steps=steps, seed=int(seed),
                      progress=False)
        pts = _point_rows(res)
        stable_pred = [r for r, p in zip(ratios, pts) if p["predicted_verdict"] == "converges"]
        stable_meas = [r for r, p in zip(ratios, pts) if p["measured_verdict"] == "converges"]
        hy = float(eq.hessian_min["y"])
        rows.append({"seed": int(seed), "eta_x": eta, "equilibrium": _eq_info(eq), "hessian_min_y": hy,
                     "discriminator_alone_rate": 1 - eta * hy, "points": pts,
                     "boundary_predicted": max(stable_pred) if stable_pred else None,
                     "boundary_measured": max(stable_meas) if stable_meas else None,
                     "holds": hy < 0 and bool(stable_pred) and bool(stable_meas) and
                     max(stable_pred) == max(stable_meas)})
    return jsonable({"settings": {"data": "gaussians4", "layout": "faithful", "batch": 16, "scale": "tiny",
                                  "loss": "ns", "train_steps": train_steps, "ratios": list(ratios), "steps": steps,
                                  "seeds": [int(s) for s in seeds]}, "per_seed": rows})


# ----------------------------------------------------- Mangoubi, Sachdeva, Vishnoi
def digits_both(seeds, *, iters: int = 1000, scale: str = "paper", progress: bool = False, out=None,
                mnist_path=None) -> dict:
    """GDA vs the MSV algorithm on the 0-1 digits: runs generating both digits, and mode oscillation.

    :func:`gametheory.neural.experiments.run_gan` for each method and seed;
    the digit classifier (:class:`~gametheory.neural.metrics.DigitClassifier`)
    counts the digits generated at every evaluation (``modes == 2``: both
    digits at >= 10% of the samples) and the switches of the dominant digit.
    """
    from .experiments import run_gan

    res = {}
    for method in ("gda", "msv"):
        r = run_gan(data="digits01", method=method, seeds=list(seeds), iters=iters, scale=scale, progress=progress,
                    workers=1, out=out, mnist_path=mnist_path)
        res[method] = {"both": [int(run["modes"] == 2) for run in r["runs"]],
                       "switches": [int(run["switches"]) for run in r["runs"]],
                       "histograms": [run["histogram"] for run in r["runs"]], "summary": r["summary"]}
    return jsonable({"settings": {"iters": iters, "scale": scale, "seeds": [int(s) for s in seeds],
                                  "data_note": "scikit-learn's 8x8 digits 0 and 1 stand in for 0-1 MNIST"}, **res})


# ------------------------------------------------------ trained GANs on mixtures
def sample_movement(run: dict, last: int = 2) -> float | None:
    """How far the generator still moves at the end: the mean distance between its samples of the same noise
    at the last ``last`` evaluations of a :func:`~gametheory.neural.experiments.run_gan` record (``None`` if
    the run diverged or has fewer evaluations). A converging generator moves less and less; a cycling one keeps
    moving.

    >>> sample_movement({"diverged": False, "samples": [{"points": [[0, 0], [1, 1]]}, {"points": [[3, 4], [1, 1]]}]})
    2.5
    """
    snaps = run.get("samples") or []
    if run.get("diverged") or len(snaps) < max(2, last):
        return None
    pts = [np.asarray(s["points"], dtype=float) for s in snaps[-last:]]
    return float(np.mean([np.linalg.norm(b - a, axis=1).mean() for a, b in zip(pts, pts[1:])]))


def paired_sign_test(a, b) -> dict:
    """The one-sided exact sign test that ``b`` is smaller than ``a`` over paired seeds (ties dropped).

    ``wins``: pairs with ``b < a``; ``losses``: ``b > a``; ``ties``; ``p_value``
    ``= P(X >= wins | X ~ Binomial(wins + losses, 1/2))`` (1 when every pair ties);
    ``median_difference``: the median of ``a - b`` (``None`` if a difference is not finite).

    >>> t = paired_sign_test([3, 3, 2, 4, 1, 2], [1, 3, 1, 2, 0, 0])
    >>> t["wins"], t["losses"], t["ties"], round(t["p_value"], 4)
    (5, 0, 1, 0.0312)
    """
    from scipy.stats import binomtest

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired_sign_test: paired values needed, got {a.shape} and {b.shape}")
    wins, losses = int((b < a).sum()), int((b > a).sum())
    n = wins + losses
    p = float(binomtest(wins, n, 0.5, alternative="greater").pvalue) if n else 1.0
    diff = a - b
    med = float(np.median(diff)) if len(diff) and np.isfinite(diff).all() else None
    return {"n": int(len(a)), "wins": wins, "losses": losses, "ties": int(len(a) - n), "p_value": p,
            "median_difference": med}


def _modes(run):
    """A run's final mode count; a diverged run learned none."""
    return 0 if run.get("diverged") else int(run["modes"])


def _gan_runs(method, seeds, kw, progress, workers=1):
    from .experiments import run_gan

    return run_gan(method=method, seeds=[int(s) for s in seeds], progress=progress, workers=workers,
                   executor="local", **kw)


#: RMSProp as the toolkit's preconditioning: Adam with beta1 = 0 (TensorFlow's RMSProp decay 0.9, epsilon 1e-10)
RMSPROP = {"betas": (0.0, 0.9), "eps": 1e-10}


def consensus_ring_modes(seeds, *, iters: int = 20000, lr: float = 1e-4, gamma: float = 10.0, scale: str = "numerics",
                         evals: int = 10, n_eval: int = 2000, batch: int | None = None, workers: int | None = 1,
                         progress: bool = False) -> dict:
    """ConOpt vs simultaneous RMSProp on the ring of 8 Gaussians (Mescheder, Nowozin, Geiger, NeurIPS 2017, Sec. 4).

    The paper's experiment: both networks with 4 hidden ReLU layers of 16
    units, a 16-dimensional Gaussian prior, the GAN losses of Goodfellow et
    al. (non-saturating generator loss here), RMSProp with learning rate
    ``1e-4`` for 20000 steps; consensus optimization with ``gamma = 10`` and
    RMSProp on its direction ``v + gamma J^T v``. Simultaneous RMSProp is
    ``gd`` with :data:`RMSPROP` preconditioning; both through
    :func:`~gametheory.neural.experiments.run_gan` (``data="ring8"``,
    :func:`~gametheory.neural.metrics.mode_report`). Per seed: the modes
    covered at the end (a diverged run covers 0), the share of high-quality
    samples and :func:`sample_movement`. ``holds``: consensus covers more
    modes than simultaneous RMSProp; ``holds_all``: consensus covers all 8
    and RMSProp fewer (the figure's picture). ``batch`` overrides the
    scale's batch; ``workers``: local processes (``None``: one per core).
    """
    kw = dict(data="ring8", iters=iters, scale=scale, lr_x=lr, lr_y=lr, loss="ns", evals=evals, n_eval=n_eval,
              batch=batch)
    res = {"rmsprop": _gan_runs("gd", seeds, dict(kw, options=dict(RMSPROP)), progress, workers),
           "consensus": _gan_runs("consensus", seeds, dict(kw, options=dict(RMSPROP, gamma=gamma)), progress,
                                  workers)}
    rows = []
    for i, seed in enumerate(seeds):
        r, c = res["rmsprop"]["runs"][i], res["consensus"]["runs"][i]
        mr, mc = _modes(r), _modes(c)
        rows.append({"seed": int(seed), "modes_rmsprop": mr, "modes_consensus": mc,
                     "high_quality_rmsprop": r.get("high_quality"), "high_quality_consensus": c.get("high_quality"),
                     "movement_rmsprop": sample_movement(r), "movement_consensus": sample_movement(c),
                     "diverged_rmsprop": bool(r.get("diverged")), "diverged_consensus": bool(c.get("diverged")),
                     "modes_over_time_rmsprop": [h["modes"] for h in r["history"]],
                     "modes_over_time_consensus": [h["modes"] for h in c["history"]],
                     "holds": mc > mr, "holds_all": mc == 8 and mr < 8})
    st = res["rmsprop"]["settings"]
    return jsonable({"settings": {"data": "ring8", "dataset": st["dataset"], "iters": iters, "lr": lr, "gamma": gamma,
                                  "scale": scale, "network": {k: st[k] for k in ("batch", "noise_dim", "hidden",
                                                                                 "layers")},
                                  "activation": "relu", "init": "orthogonal, gain 0.8", "loss": "ns",
                                  "rmsprop": {"decay": RMSPROP["betas"][1], "eps": RMSPROP["eps"],
                                              "note": "Adam with beta1 = 0 (mean square bias-corrected)"},
                                  "evals": evals, "n_eval": n_eval, "seeds": [int(s) for s in seeds]},
                     "per_seed": rows})


#: Adam as Gidel et al. train their WGANs (beta1 = 0.5, beta2 = 0.9)
GIDEL_ADAM = {"betas": (0.5, 0.9), "eps": 1e-8}


def wgan_training(seeds, *, iters: int = 2000, lr_x: float = 2e-5, lr_y: float = 2e-4, clip: float | None = 0.01,
                  data: str = "ring8", scale: str = "small", evals: int = 10, n_eval: int = 2000,
                  batch: int | None = None, workers: int | None = 1, progress: bool = False, loss: str = "wgan",
                  gp: float = 10.0, trained_share: float = 0.5, last: int | None = None) -> dict:
    """GDA vs extragradient vs optimistic GD training a WGAN on a Gaussian mixture (Gidel et al., ICLR 2019).

    A WGAN trained by simultaneous Adam (``gd``), Extra-Adam (``eg``, Gidel
    et al.'s Algorithm 4) and Optimistic Adam (``ogd``) with Gidel et al.'s
    Adam constants (``beta1 = 0.5``, ``beta2 = 0.9``) and step sizes (their
    WGAN's ``lr_x = 2e-5`` generator, ``lr_y = 2e-4`` critic by default), one
    critic step per generator step (the comparison of the paper's section 7
    is at equal critic steps), via :func:`~gametheory.neural.experiments.run_gan`.
    ``loss="wgan"`` with weight clipping ``clip`` (Arjovsky et al.'s 0.01) or
    ``loss="wgan-gp"`` with the gradient penalty ``gp`` (Gulrajani et al.'s
    10; pass ``clip=None``).

    Per seed and method: the modes covered at the end (diverged: 0);
    ``movement``, :func:`sample_movement` over the last ``last`` evaluations
    (default: the second half of them): how far the generator still moves,
    the last-iterate convergence the variational-inequality methods promise;
    and ``w1``, the exact Wasserstein-1 distance
    (:func:`~gametheory.neural.metrics.wasserstein1`) between the generator's
    last kept samples (256 of the fixed evaluation noise) and as many data
    samples (a fixed seed). A generator also stands still when it learned
    nothing, so a method *settles* only where it is also ``trained``:
    ``w1 < trained_share * w1_point``, with ``w1_point``
    (:func:`~gametheory.neural.metrics.point_mass_w1`) the distance of the best
    single point to the same data: a collapsed or untrained generator,
    wherever it stands, cannot pass that bar. ``holds``: EG and OGD are each
    trained, cover at least as many modes as GDA and move less than GDA (a
    diverged GDA moves without bound); ``testable``: some method is trained (a
    seed where none is tests nothing). ``batch``, ``workers``: as in
    :func:`consensus_ring_modes`.
    """
    from . import data as data_mod
    from .metrics import point_mass_w1, wasserstein1

    kw = dict(data=data, iters=iters, scale=scale, lr_x=lr_x, lr_y=lr_y, loss=loss, clip=clip, evals=evals,
              n_eval=n_eval, layout="clean", options=dict(GIDEL_ADAM), batch=batch)
    if loss == "wgan-gp":
        kw["gp"] = gp
    last = last if last is not None else max(2, evals // 2 + 1)
    res = {m: _gan_runs(m, seeds, kw, progress, workers) for m in ("gd", "eg", "ogd")}
    dataset = data_mod.load(data, "clean")
    n_kept = len(res["gd"]["runs"][0]["samples"][-1]["points"]) if res["gd"]["runs"][0]["samples"] else 256
    ref = dataset.sample(n_kept, torch.Generator().manual_seed(2019)).double().numpy()
    w1_point = point_mass_w1(ref)
    rows = []
    for i, seed in enumerate(seeds):
        row = {"seed": int(seed)}
        for m in res:
            run = res[m]["runs"][i]
            snaps = run.get("samples") or []
            w1 = None if run.get("diverged") or not snaps else wasserstein1(snaps[-1]["points"], ref)
            row[m] = {"modes": _modes(run), "movement": sample_movement(run, last=last), "w1": w1,
                      "trained": w1 is not None and w1 < trained_share * w1_point,
                      "diverged": bool(run.get("diverged")), "high_quality": run.get("high_quality"),
                      "modes_over_time": [h["modes"] for h in run["history"]]}

        def better(m):
            a, g = row[m], row["gd"]
            if a["movement"] is None or not a["trained"]:
                return False
            return a["modes"] >= g["modes"] and (g["movement"] is None or a["movement"] < g["movement"])

        row["holds"] = better("eg") and better("ogd")
        row["testable"] = any(row[m]["trained"] for m in res)  # see paper_checks._neural.testable_seeds
        row["trained"] = row["testable"]  # the earlier name
        rows.append(row)
    st = res["gd"]["settings"]
    return jsonable({"settings": {"data": data, "dataset": st["dataset"], "iters": iters, "lr_x": lr_x, "lr_y": lr_y,
                                  "clip": clip, "scale": scale, "loss": loss, "gp": gp if loss == "wgan-gp" else None,
                                  "network": {k: st[k] for k in ("batch", "noise_dim", "hidden", "layers")},
                                  "adam": {"betas": list(GIDEL_ADAM["betas"]), "eps": GIDEL_ADAM["eps"]},
                                  "methods": {"gd": "simultaneous Adam", "eg": "Extra-Adam", "ogd": "Optimistic Adam"},
                                  "movement_over_last_evaluations": last, "w1_point": w1_point,
                                  "trained_if_w1_below": trained_share * w1_point, "w1_samples": n_kept,
                                  "evals": evals, "n_eval": n_eval, "seeds": [int(s) for s in seeds]},
                     "per_seed": rows})
