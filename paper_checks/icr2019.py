"""Schafer, Zheng, Anandkumar, "Implicit competitive regularization in GANs" (ICML 2020; arXiv 2019),
and Schafer & Anandkumar, "Competitive Gradient Descent" (NeurIPS 2019).

Source: Schafer's blog post "Minimax is not enough" (its formulas did not
survive the copy; the example is the paper's): ``min_x max_y x^2 + 10xy + y^2``
with ``eta_x = 0.09``, ``eta_y = 0.01``. Decided exactly with
:func:`gametheory.stability` (the step sizes as the decimals they are).
"""
from __future__ import annotations

import sympy as sp

import gametheory as gt
from gametheory.claims import Claim, confirmed_if, refuted
from gametheory.derive import MU, PARAM_SYMBOLS

from gametheory.analyses.conditions import (describe_pieces, jsonable_pieces, polynomial_intervals, sign_intervals,
                                            stability_intervals)

from .gidel2019_negative_momentum import radius_50_digits

CITE = "Schafer, Zheng, Anandkumar, Implicit competitive regularization in GANs, ICML 2020"
R = sp.Rational
ETA_X, ETA_Y = R(9, 100), R(1, 100)


def icr_game():
    """``min_x max_y x^2 + 10 x y + y^2`` (the blog's quadratic example)."""
    return gt.games.from_expression("x**2 + 10*x*y + y**2", name="ICR quadratic example")


def _check_quadratic(ctx):
    game = icr_game()
    gd = gt.methods.get("gd")
    both = gt.stability_report(game, gd, eta_x=ETA_X, eta_y=ETA_Y)
    alone = gt.stability_report(game, gd, eta_x=0, eta_y=ETA_Y)
    r_both = gt.simulate(game, gd, [1.0, 1.0], 2000, eta_x=float(ETA_X), eta_y=float(ETA_Y))
    r_alone = gt.simulate(game, gd, [1.0, 1.0], 2000, eta_x=0.0, eta_y=float(ETA_Y))
    ok = both.verdict == "converges" and alone.verdict == "diverges"
    ours = (f"SimGD eta_x = 0.09, eta_y = 0.01: {both.verdict}, rho = {sp.N(both.radius, 8)} "
            f"(simulated distance after 2000 steps {r_both.distance([0, 0])[-1]:.2e}); "
            f"y alone (eta_x = 0): {alone.verdict}, rho = {sp.N(alone.radius, 8)} "
            f"(distance {r_alone.distance([0, 0])[-1]:.2e}{', blew up' if r_alone.diverged else ''})")
    return confirmed_if(ok, ours, "SimGD with eta_x = 0.09, eta_y = 0.01 converges to (0, 0); with x fixed "
                      "(eta_x = 0) y diverges to infinity from almost every start",
                      counterexample=ours, radius_both=str(both.radius), radius_both_float=float(both.radius),
                      radius_y_alone=str(alone.radius), radius_y_alone_float=float(alone.radius),
                      charpoly_both=str(both.charpoly), charpoly_alone=str(alone.charpoly))


def _regime(verdict, rotating):
    if verdict == "converges":
        return "converges"
    if verdict == "bounded":
        return "bounded (on the unit circle)"
    return "slowly cycles away (spirals out)" if rotating else "rapidly diverges (straight path)"


def relative_speed_regimes(eta_x=ETA_X):
    """The regimes of SimGD on the ICR example for every ``eta_y > 0`` at fixed ``eta_x``, decided exactly.

    The blog's three behaviours, made exact: *converges* (spectral radius
    < 1); *slowly cycles away* ("slowly spiral away, rather than diverge on a
    straight path"): radius > 1 with a complex pair of eigenvalues (the
    iterates rotate); *rapidly diverges*: radius > 1 with real eigenvalues
    (a straight path). The edges are exact: the unit-circle crossings of
    the characteristic polynomial (:func:`stability_intervals`) and the
    positive roots of its discriminant in ``mu`` (where the pair turns
    real). Returns the list of open intervals and edge points in increasing
    order, each with its verdict, whether the eigenvalues rotate, the regime
    and the radius (50 digits) at a rational sample point.
    """
    game, gd = icr_game(), gt.methods.get("gd")
    d = gt.derive(game, gd, two_timescale=True)
    eta_y = PARAM_SYMBOLS["eta_y"]
    p = sp.expand(d.charpoly.subs(PARAM_SYMBOLS["eta_x"], eta_x))
    iv = polynomial_intervals(p, eta_y, matrix=d.jacobian.subs(PARAM_SYMBOLS["eta_x"], eta_x))
    disc = sp.discriminant(sp.Poly(p, MU)).as_expr()
    turns = [hi for _, hi, _ in sign_intervals(disc, eta_y)[:-1]]
    edges = sorted({item["at"] for item in iv if "at" in item} | set(turns), key=float)
    out = []
    for lo, hi in zip([sp.Integer(0)] + edges, edges + [sp.oo]):
        q = _simple_between(lo, hi)
        verdict = gt.stability(game, gd, eta_x=eta_x, eta_y=q)
        rotating = bool(disc.subs(eta_y, q) < 0)
        out.append({"lo": lo, "hi": hi, "sample": q, "verdict": verdict, "rotating": rotating,
                    "regime": _regime(verdict, rotating), "rho": float(radius_50_digits(game, gd, eta_x=eta_x, eta_y=q))})
        if hi is not sp.oo:
            v = gt.stability(game, gd, eta_x=eta_x, eta_y=hi)
            rot = bool(disc.subs(eta_y, hi) < 0)
            out.append({"at": hi, "verdict": v, "rotating": rot, "regime": _regime(v, rot),
                        "rho": float(radius_50_digits(game, gd, eta_x=eta_x, eta_y=hi))})
    return out, iv


def _simple_between(lo, hi):
    """A rational with a small denominator strictly between ``lo`` and ``hi`` (``hi`` may be oo)."""
    from fractions import Fraction

    if hi is sp.oo:
        return sp.Integer(int(sp.floor(lo)) + 2)
    mid = (float(lo) + float(hi)) / 2
    for den in (1, 2, 5, 10, 20, 50, 100, 1000, 10**4, 10**5, 10**6):
        q = sp.Rational(Fraction(mid).limit_denominator(den))
        if lo < q < hi:
            return q
    return sp.nsimplify(mid, rational=True)  # pragma: no cover - edges closer than 1e-6


def _check_relative_speed(ctx):
    regimes, iv = relative_speed_regimes(ETA_X)
    spans = [r for r in regimes if "lo" in r]
    # the regimes met as eta_y grows, consecutive repeats merged
    order = [r["regime"] for i, r in enumerate(spans) if i == 0 or r["regime"] != spans[i - 1]["regime"]]
    want = ["converges", "slowly cycles away (spirals out)", "rapidly diverges (straight path)"]
    published = ("ICR is stronger when y learns slowly relative to x: by the ratio the system converges, slowly "
                 "cycles away, or rapidly diverges")
    if order != want:
        seen = "; ".join(f"{r['regime']} for {r['lo']} < eta_y < {r['hi']}" for r in spans)
        return refuted(f"eta_x = {ETA_X}: {seen}", published,
                       f"eta_x = {ETA_X}: the regimes in order of eta_y are {order}, not {want}",
                       regimes=[{k: (str(v) if isinstance(v, sp.Basic) else v) for k, v in r.items()} for r in regimes])
    ok = True
    conv_hi = next(r["at"] for r in regimes if "at" in r and r["verdict"] == "bounded")
    straight = next(r for r in regimes if "at" in r and r["regime"] == want[2])
    turn = next(r["at"] for r in regimes if "at" in r and r["regime"] == "converges")
    spiral = next(r for r in spans if r["regime"] == want[1])
    fast = next(r for r in spans if r["regime"] == want[2])
    f = lambda v: f"{float(v):.4g}"  # noqa: E731
    ours = (f"eta_x = 0.09, every eta_y > 0, edges exact: converges for 0 < eta_y < {conv_hi} (eta_y/eta_x < "
            f"{sp.nsimplify(conv_hi / ETA_X)}; real eigenvalues below {turn} ~ {f(turn)}, a rotating pair above), "
            f"bounded at {conv_hi}; slowly cycles away for {conv_hi} < eta_y < {straight['at']} ~ {f(straight['at'])}: "
            f"a rotating pair with radius from 1 at {conv_hi} to {f(straight['rho'])} at the upper edge "
            f"({f(spiral['rho'])} at eta_y = {spiral['sample']}); rapidly diverges for eta_y > {f(straight['at'])}: "
            f"real eigenvalues, radius above {f(straight['rho'])} ({f(fast['rho'])} at eta_y = {fast['sample']}). "
            f"Regimes in order of eta_y: {order}")
    return confirmed_if(ok, ours, published, counterexample=ours, regimes=[{k: (str(v) if isinstance(v, sp.Basic) else v)
                                                     for k, v in r.items()} for r in regimes],
                      intervals=jsonable_pieces(iv),
                      convergence_edge=str(conv_hi), straight_edge=str(straight["at"]), rotation_edge=str(turn),
                      note="slowly cycles away: radius > 1 with rotating (complex) eigenvalues, the blog's 'slowly "
                           "spiral away, rather than diverge on a straight path'; rapidly diverges: radius > 1, real "
                           "eigenvalues. Edges: unit-circle crossings and the roots of the discriminant in mu.")


def _check_cgd(ctx):
    m = gt.methods.get("cgd")
    p = gt.derive(gt.games.bilinear([[1]]), m).reduced_charpoly
    iv = stability_intervals(m)["pieces"]
    num = sp.fraction(sp.together(p))[0]
    roots = sp.solve(num, MU)
    mod2 = sp.simplify(sp.expand(roots[0] * sp.conjugate(roots[0])))
    gap = sp.simplify(mod2 - 1)
    proof = bool(gap.is_negative)
    every = all(i["verdict"] == "converges" for i in iv)
    ok = every and proof
    ours = (f"per singular value ({sp.factor(p)}): roots {roots}, |mu|^2 = {mod2}, |mu|^2 - 1 = {gap} < 0 for "
            f"all s = eta*sigma > 0; interval analysis: {describe_pieces(iv)}")
    return confirmed_if(ok, ours, "competitive gradient descent converges on bilinear games for every step size",
                      counterexample=ours, method="symbolic", charpoly=str(p), modulus_squared=str(mod2),
                      intervals=jsonable_pieces(iv))


CLAIMS = [
    Claim("icr2019.quadratic_simgd",
          f"{CITE}, Sec. 2 quadratic example (as discussed in F. Schafer's blog post 'Minimax is not enough')",
          "On x^2 + 10xy + y^2, simultaneous GD with eta_x = 0.09, eta_y = 0.01 converges to (0, 0), while y "
          "trained alone (eta_x = 0) diverges.",
          "rho(I - diag(eta_x, eta_y) J) < 1 at (0.09, 0.01); > 1 at (0, 0.01)", _check_quadratic),
    Claim("icr2019.relative_speed",
          f"{CITE}; F. Schafer, blog post 'Minimax is not enough', 'ICR selects for slowly learning discriminators'",
          "ICR is stronger if y learns slowly compared to x; by the learning-rate ratio the system converges, "
          "slowly cycles away, or rapidly diverges.",
          "regimes of SimGD for eta_x = 0.09 and every eta_y > 0: rho < 1; rho > 1 with a rotating pair "
          "(spirals out); rho > 1 with real eigenvalues (straight path)", _check_relative_speed),
    Claim("icr2019.cgd_bilinear",
          "Schäfer & Anandkumar, Competitive Gradient Descent, NeurIPS 2019 (quoted in Schäfer's blog post 'Minimax is "
          "not enough')",
          "Competitive gradient descent converges on bilinear games for every step size.",
          "|mu|^2 = 1/(1 + eta^2 sigma^2) < 1 for all eta > 0", _check_cgd),
]


# ------------------------------------------------------------ the neural experiments
def _icr_params(ctx):
    from ._neural import seeds

    return {"seeds": seeds(ctx, 1, 5, 10), "train_steps": ctx.pick(100, 150, 300), "steps": ctx.pick(60, 100, 300)}


def _check_neural_alone(ctx):
    from gametheory.neural.paper_experiments import discriminator_alone

    from ._neural import experiment, from_seeds, not_at_quick, unavailable

    published = ("from a trained checkpoint, training the discriminator alone drives its loss to near zero and "
                 "changes it much faster than simultaneous training, which stays near the checkpoint")
    skip = unavailable(ctx, published) or not_at_quick(ctx, published, "the checkpoint experiment")
    if skip:
        return skip
    p = _icr_params(ctx)
    res = experiment(ctx, "icr-alone", p, lambda: discriminator_alone(p["seeds"], train_steps=p["train_steps"],
                                                                      steps=p["steps"]))
    rows = res["per_seed"]
    ours = ("8x8 digits (standing in for MNIST), tiny GAN: D loss checkpoint -> alone / simultaneous, and D output "
            "change alone / simultaneous: "
            + "; ".join(f"seed {r['seed']}: {r['checkpoint_d_loss']:.3f} -> {r['alone_final_d_loss']:.3f} / "
                        f"{r['simultaneous_final_d_loss']:.3f}, {r['alone_output_change']:.3f} / "
                        f"{r['simultaneous_output_change']:.3f}" for r in rows))
    bad = next((r for r in rows if not r["holds"]), None)
    cx = (f"seed {bad['seed']}: D loss alone {bad['alone_final_d_loss']:.3f} (checkpoint {bad['checkpoint_d_loss']:.3f}),"
          f" output change alone {bad['alone_output_change']:.3f} vs simultaneous "
          f"{bad['simultaneous_output_change']:.3f}" if bad else ours)
    return from_seeds([r["holds"] for r in rows], ours, published, cx, seed=ctx.seed, settings=res["settings"],
                      per_seed=rows)


def _check_neural_cgd(ctx):
    from gametheory.neural.paper_experiments import cgd_longer

    from ._neural import experiment, from_seeds, not_at_quick, unavailable

    published = "CGD keeps the checkpoint (the discriminator's state) stable longer than simultaneous GD"
    skip = unavailable(ctx, published) or not_at_quick(ctx, published, "the checkpoint experiment")
    if skip:
        return skip
    p = _icr_params(ctx)
    res = experiment(ctx, "icr-cgd", p, lambda: cgd_longer(p["seeds"], train_steps=p["train_steps"],
                                                           steps=p["steps"]))
    rows = res["per_seed"]
    ours = ("steps until the discriminator's probabilities moved by 0.05 on average, SimGD / CGD: "
            + ", ".join(f"seed {r['seed']}: {r['simgd']['left_at']} / {r['cgd']['left_at']}" for r in rows)
            + f" (of {res['settings']['steps']}; {res['settings']['steps'] + 1} = never)")
    bad = next((r for r in rows if not r["holds"]), None)
    cx = (f"seed {bad['seed']}: SimGD left after {bad['simgd']['left_at']} steps, CGD after {bad['cgd']['left_at']}"
          if bad else ours)
    return from_seeds([r["holds"] for r in rows], ours, published, cx, seed=ctx.seed, settings=res["settings"],
                      per_seed=rows)


def _check_neural_relative_speed(ctx):
    from gametheory.neural.paper_experiments import icr_relative_speed

    from ._neural import experiment, from_seeds, not_at_quick, seeds, testable_seeds, unavailable

    published = ("a point where the discriminator alone is unstable is stable for SimGD when the discriminator "
                 "learns slowly enough; the relative speed eta_y / eta_x decides")
    skip = unavailable(ctx, published) or not_at_quick(ctx, published, "finding trained stationary points")
    if skip:
        return skip
    p = {"seeds": seeds(ctx, 1, 5, 10), "train_steps": ctx.pick(150, 200, 300), "steps": ctx.pick(100, 200, 600)}
    res = experiment(ctx, "icr-speed", p, lambda: icr_relative_speed(p["seeds"], train_steps=p["train_steps"],
                                                                     steps=p["steps"]))
    rows = res["per_seed"]
    ours = ("stationary points of the NS GAN on the mixture (trained, refined): smallest eigenvalue of J_yy and the "
            "largest stable ratio eta_y/eta_x in " + str(res["settings"]["ratios"]) + " predicted / measured: "
            + "; ".join(f"seed {r['seed']}: " + (f"{r['hessian_min_y']:.3g}, {r['boundary_predicted']} / "
                                                f"{r['boundary_measured']}" if "hessian_min_y" in r else
                                                r.get("note", "")) for r in rows))
    rows, note = testable_seeds(rows, "where no stationary point was reached (nothing to linearise)")
    ours += note
    bad = next((r for r in rows if not r["holds"]), None)
    cx = f"seed {bad['seed']}: " + (f"J_yy min {bad['hessian_min_y']:.3g}, stable ratios predicted "
                                    f"{bad['boundary_predicted']}, measured {bad['boundary_measured']}"
                                    if "hessian_min_y" in bad else bad.get("note", "")) if bad else ours
    return from_seeds([r["holds"] for r in rows], ours, published, cx, seed=ctx.seed, settings=res["settings"],
                      per_seed=res["per_seed"])


CLAIMS += [
    Claim("icr2019.neural_discriminator_alone",
          f"{CITE}, Sec. 'ICR in the wild' (the MNIST checkpoint experiment; 8x8 digits stand in for MNIST)",
          "From a trained checkpoint, training only the discriminator drives its loss towards 0 quickly, while "
          "simultaneous training changes the discriminator much more slowly.",
          "L_D(alone, T) < L_D(checkpoint) / 2 and |D_T - D_0|_alone > |D_T - D_0|_SimGD", _check_neural_alone,
          kind="neural"),
    Claim("icr2019.neural_cgd_longer",
          f"{CITE}, Sec. 'CGD strengthens ICR' (8x8 digits stand in for MNIST)",
          "From a trained checkpoint, competitive gradient descent keeps the discriminator near the checkpoint "
          "longer than simultaneous gradient descent.",
          "first t with mean |sigmoid(D_t) - sigmoid(D_0)| > 0.05: CGD later than SimGD", _check_neural_cgd,
          kind="neural"),
    Claim("icr2019.neural_relative_speed",
          f"{CITE}, Sec. 2 'ICR selects for slowly learning discriminators', carried to a neural GAN's spectrum",
          "At a stationary point of a neural GAN where training the discriminator alone is unstable (J_yy has a "
          "negative eigenvalue), SimGD is stable for a slow enough discriminator, at the ratio eta_y/eta_x "
          "predicted from the spectrum.",
          "lambda_min(J_yy) < 0; max{r : rho(gd, eta_y = r eta_x) < 1} predicted = measured",
          _check_neural_relative_speed, kind="neural"),
]
