"""Schafer, Zheng, Anandkumar, "Implicit competitive regularization in GANs" (ICML 2020; arXiv 2019),
and Schafer & Anandkumar, "Competitive Gradient Descent" (NeurIPS 2019).

Source: Schafer's blog post "Minimax is not enough" and the
paper for its formulas: ``min_x max_y x^2 + 10xy + y^2``
with ``eta_x = 0.09``, ``eta_y = 0.01``. Decided exactly with
:func:`gametheory.stability` (the step sizes as the decimals they are).
"""
from __future__ import annotations

import sympy as sp

import gametheory as gt
from gametheory.claims import Claim, confirmed_if
from gametheory.derive import MU, PARAM_SYMBOLS

from gametheory.analyses.conditions import describe_pieces, jsonable_pieces, polynomial_intervals, stability_intervals

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


def _check_relative_speed(ctx):
    game = icr_game()
    d = gt.derive(game, gt.methods.get("gd"), two_timescale=True)
    p = sp.expand(d.charpoly.subs(PARAM_SYMBOLS["eta_x"], ETA_X))
    eta_y = PARAM_SYMBOLS["eta_y"]
    iv = polynomial_intervals(p, eta_y, matrix=d.jacobian.subs(PARAM_SYMBOLS["eta_x"], ETA_X))
    kinds = []
    samples = [R(1, 1000), ETA_Y, R(1, 50), R(1, 10), R(1, 2)]
    for q in samples:
        roots = sp.Poly(p.subs(eta_y, q), MU).nroots(n=30)
        complex_pair = any(abs(sp.im(r)) > 0 for r in roots)
        rho = float(max(abs(r) for r in roots))
        verdict = gt.stability(game, gt.methods.get("gd"), eta_x=ETA_X, eta_y=q)
        regime = ("converges" if verdict == "converges" else
                  "slowly cycles away" if complex_pair and rho < 1.05 else "rapidly diverges")
        kinds.append({"eta_y": str(q), "ratio_eta_y_over_eta_x": float(q / ETA_X), "verdict": verdict,
                      "rho": rho, "rotation": bool(complex_pair), "regime": regime})
    conv_first = iv[0]["verdict"] == "converges"
    later_div = any(i["verdict"] == "diverges" for i in iv if "lo" in i)
    slow_cycle = any(k["regime"] == "slowly cycles away" for k in kinds)
    fast_div = any(k["regime"] == "rapidly diverges" for k in kinds)
    ok = conv_first and later_div and slow_cycle and fast_div
    ours = (f"eta_x = 0.09, varying eta_y: {describe_pieces(iv).replace(' s ', ' eta_y ')}; "
            + "; ".join(f"eta_y={k['eta_y']}: {k['regime']} (rho={k['rho']:.4f})" for k in kinds))
    return confirmed_if(ok, ours, "ICR is stronger when y learns slowly relative to x: by the ratio the system "
                      "converges, slowly cycles away, or rapidly diverges",
                      counterexample=ours, intervals=jsonable_pieces(iv), samples=kinds,
                      note="slowly cycles away: rotating eigenvalues with 1 < rho < 1.05; rapidly: rho >= 1.05")


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
          f"{CITE}, Sec. 2 quadratic example (step sizes from the paper)",
          "On x^2 + 10xy + y^2, simultaneous GD with eta_x = 0.09, eta_y = 0.01 converges to (0, 0), while y "
          "trained alone (eta_x = 0) diverges.",
          "rho(I - diag(eta_x, eta_y) J) < 1 at (0.09, 0.01); > 1 at (0, 0.01)", _check_quadratic),
    Claim("icr2019.relative_speed",
          f"{CITE}, Sec. 2 'ICR selects for slowly learning discriminators'",
          "ICR is stronger if y learns slowly compared to x; by the learning-rate ratio the system converges, "
          "slowly cycles away, or rapidly diverges.",
          "verdict of SimGD for eta_x = 0.09 and every eta_y > 0", _check_relative_speed),
    Claim("icr2019.cgd_bilinear",
          "Schäfer & Anandkumar, Competitive Gradient Descent, NeurIPS 2019 (quoted in Schäfer's blog post 'Minimax is "
          "not enough')",
          "Competitive gradient descent converges on bilinear games for every step size.",
          "|mu|^2 = 1/(1 + eta^2 sigma^2) < 1 for all eta > 0", _check_cgd),
]


# ------------------------------------------------------------ the neural experiments (issue 10)
def _icr_params(ctx):
    from ._neural import seeds

    return {"seeds": seeds(ctx, 1, 2, 10), "train_steps": ctx.pick(100, 150, 300), "steps": ctx.pick(60, 100, 300)}


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

    from ._neural import experiment, from_seeds, not_at_quick, seeds, unavailable

    published = ("a point where the discriminator alone is unstable is stable for SimGD when the discriminator "
                 "learns slowly enough; the relative speed eta_y / eta_x decides")
    skip = unavailable(ctx, published) or not_at_quick(ctx, published, "finding trained stationary points")
    if skip:
        return skip
    p = {"seeds": seeds(ctx, 1, 2, 10), "train_steps": ctx.pick(150, 200, 300), "steps": ctx.pick(100, 200, 600)}
    res = experiment(ctx, "icr-speed", p, lambda: icr_relative_speed(p["seeds"], train_steps=p["train_steps"],
                                                                     steps=p["steps"]))
    rows = res["per_seed"]
    ours = ("stationary points of the NS GAN on the mixture (trained, refined): smallest eigenvalue of J_yy and the "
            "largest stable ratio eta_y/eta_x in " + str(res["settings"]["ratios"]) + " predicted / measured: "
            + "; ".join(f"seed {r['seed']}: " + (f"{r['hessian_min_y']:.3g}, {r['boundary_predicted']} / "
                                                f"{r['boundary_measured']}" if "hessian_min_y" in r else
                                                r.get("note", "")) for r in rows))
    bad = next((r for r in rows if not r["holds"]), None)
    cx = f"seed {bad['seed']}: " + (f"J_yy min {bad['hessian_min_y']:.3g}, stable ratios predicted "
                                    f"{bad['boundary_predicted']}, measured {bad['boundary_measured']}"
                                    if "hessian_min_y" in bad else bad.get("note", "")) if bad else ours
    return from_seeds([r["holds"] for r in rows], ours, published, cx, seed=ctx.seed, settings=res["settings"],
                      per_seed=rows)


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
