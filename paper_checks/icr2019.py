"""Schafer, Zheng, Anandkumar, "Implicit competitive regularization in GANs" (ICML 2020; arXiv 2019),
and Schafer & Anandkumar, "Competitive Gradient Descent" (NeurIPS 2019).

Source: Schafer's blog post "Minimax is not enough" (seed 004) and
``reference-settings.md`` for its lost formulas: ``min_x max_y x^2 + 10xy + y^2``
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
          f"{CITE}, Sec. 2 quadratic example (seed 004; rates from reference-settings)",
          "On x^2 + 10xy + y^2, simultaneous GD with eta_x = 0.09, eta_y = 0.01 converges to (0, 0), while y "
          "trained alone (eta_x = 0) diverges.",
          "rho(I - diag(eta_x, eta_y) J) < 1 at (0.09, 0.01); > 1 at (0, 0.01)", _check_quadratic),
    Claim("icr2019.relative_speed",
          f"{CITE}, Sec. 2 'ICR selects for slowly learning discriminators' (seed 004)",
          "ICR is stronger if y learns slowly compared to x; by the learning-rate ratio the system converges, "
          "slowly cycles away, or rapidly diverges.",
          "verdict of SimGD for eta_x = 0.09 and every eta_y > 0", _check_relative_speed),
    Claim("icr2019.cgd_bilinear",
          "Schafer & Anandkumar, Competitive Gradient Descent, NeurIPS 2019 (quoted in seed 004)",
          "Competitive gradient descent converges on bilinear games for every step size.",
          "|mu|^2 = 1/(1 + eta^2 sigma^2) < 1 for all eta > 0", _check_cgd),
]
