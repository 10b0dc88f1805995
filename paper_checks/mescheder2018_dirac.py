"""Mescheder, Geiger, Nowozin, "Which Training Methods for GANs do actually Converge?" (ICML 2018).

The Dirac-GAN (:func:`gametheory.games.dirac_gan`): generator ``delta_theta``,
discriminator ``D(x) = psi x``, data ``delta_0``. The paper writes the
*ascent* field ``v = (-grad_theta L, grad_psi L)``; the toolkit's descent field
is its negative, so the paper's eigenvalues are the negatives of ours. The
paper's formulas are quoted in terms of ``f'(0)`` and ``f''(0)``, which are
computed here from the loss ``f(t) = -log(1 + exp(-t))`` (``f(t) = t`` for
WGAN). Local convergence of simultaneous and alternating gradient descent is
decided exactly for every step size ``h`` (interval analysis of the derived
characteristic polynomial), WGAN-GP (not differentiable at the equilibrium)
by simulation in the authors' notebook setting (step 0.2, start (1, 1), 500
steps, penalty 0.7).
"""
from __future__ import annotations

import sympy as sp

import gametheory as gt
from gametheory.claims import Claim, confirmed_if
from gametheory.derive import PARAM_SYMBOLS

from gametheory.analyses.conditions import describe_pieces, jsonable_pieces, polynomial_intervals

CITE = "Mescheder, Geiger, Nowozin, Which Training Methods for GANs do actually Converge?, ICML 2018"
R = sp.Rational
ETA = PARAM_SYMBOLS["eta"]
T = sp.Symbol("t", real=True)
F_GAN = -sp.log(1 + sp.exp(-T))
F_WGAN = T


def _d(f, k):
    return sp.nsimplify(sp.diff(f, T, k).subs(T, 0))


def eta_intervals(game, method_name="gd", order="simultaneous", **params):
    """Exact verdicts for every step size ``eta > 0`` (other parameters fixed)."""
    d = gt.derive(game, gt.methods.get(method_name, order=order), **params)
    return polynomial_intervals(sp.expand(d.charpoly), ETA, matrix=d.jacobian)


def _same_multiset(a, b):
    a, b = list(a), list(b)
    for x in a:
        hit = [y for y in b if sp.simplify(sp.expand(x - y)) == 0]
        if not hit:
            return False
        b.remove(hit[0])
    return not b


def _eigs(game):
    ev = game.jacobian_at().eigenvals()
    return [e for e, k in ev.items() for _ in range(k)]


def _simulate(game, method="gd", order="simultaneous", **params):
    r = gt.simulate(game, gt.methods.get(method, order=order), [1.0, 1.0], 500, eta=0.2, **params)
    return float(r.distance([0, 0])[-1])


def _case(ctx, game, published_eigs, published_text, expect_convergent, method="gd", **mparams):
    ours_eigs = [-e for e in _eigs(game)] if method == "gd" else None
    if method == "consensus":
        J = game.jacobian_at()
        M = J + mparams["gamma"] * J.T * J
        ev = M.eigenvals()
        ours_eigs = [-e for e, k in ev.items() for _ in range(k)]
    eig_ok = _same_multiset(ours_eigs, published_eigs)
    sim = eta_intervals(game, method, "simultaneous", **mparams)
    orders = {"simultaneous": sim}
    if method == "gd":
        orders["alternating"] = eta_intervals(game, method, "alternating", **mparams)
    conv = {o: any(i["verdict"] == "converges" for i in iv) for o, iv in orders.items()}
    small = {o: iv[0]["verdict"] for o, iv in orders.items()}  # verdict for all small enough steps
    sims = {o: _simulate(game, method, o, **{k: float(v) for k, v in mparams.items()}) for o in orders}
    if expect_convergent:
        ok = eig_ok and all(v == "converges" for v in small.values())
    else:
        ok = eig_ok and not any(conv.values())
    ours = (f"eigenvalues of the paper's (ascent) Jacobian: {[str(sp.simplify(e)) for e in ours_eigs]}; "
            + "; ".join(f"{o} GD: {describe_pieces(iv).replace(' s ', ' h ').replace('at s', 'at h')}"
                        for o, iv in orders.items())
            + "; notebook run (h = 0.2, 500 steps) final distance: "
            + ", ".join(f"{o} {v:.2e}" for o, v in sims.items()))
    return confirmed_if(ok, ours, published_text, counterexample=ours,
                      eigenvalues_ascent=[str(e) for e in ours_eigs],
                      published_eigenvalues=[str(e) for e in published_eigs],
                      eigenvalues_match=eig_ok,
                      intervals={o: jsonable_pieces(iv) for o, iv in orders.items()},
                      notebook_final_distance=sims)


def _check_gan(ctx, loss="gan"):
    game = gt.games.dirac_gan(loss)
    fp = _d(F_WGAN if loss == "wgan" else F_GAN, 1)
    pub = [sp.I * fp, -sp.I * fp]
    name = {"gan": "unregularized GAN", "ns": "non-saturating GAN", "wgan": "WGAN"}[loss]
    return _case(ctx, game, pub, f"{name}: eigenvalues +-f'(0) i = +-{fp} i on the imaginary axis; "
                 "simultaneous and alternating GD not locally convergent (alternating: |lambda| = 1 for small h)",
                 expect_convergent=False)


def _check_instance_noise(ctx):
    sigma = R(7, 10)
    game = gt.games.dirac_gan("gan", reg="instance_noise", sigma=sigma)
    f1, f2 = _d(F_GAN, 1), _d(F_GAN, 2)
    root = sp.sqrt(f2**2 * sigma**4 - f1**2)
    pub = [f2 * sigma**2 + root, f2 * sigma**2 - root]
    return _case(ctx, game, pub, "instance noise (sigma = 0.7): lambda = f''(0) sigma^2 +- sqrt(f''(0)^2 sigma^4 - "
                 "f'(0)^2), negative real parts; locally convergent for small enough h", expect_convergent=True)


def _check_gradient_penalty(ctx, reg="r1", gamma=R(3, 10)):
    game = gt.games.dirac_gan("gan", reg=reg, gamma=gamma)
    f1 = _d(F_GAN, 1)
    root = sp.sqrt(gamma**2 / 4 - f1**2)
    pub = [-gamma / 2 + root, -gamma / 2 - root]
    return _case(ctx, game, pub, f"zero-centered gradient penalty {reg.upper()} (gamma = {gamma}): lambda = -gamma/2 "
                 "+- sqrt(gamma^2/4 - f'(0)^2); locally convergent for small enough h", expect_convergent=True)


def _check_consensus(ctx):
    gamma = 1
    game = gt.games.dirac_gan("gan")
    f1 = _d(F_GAN, 1)
    pub = [-gamma * f1**2 + sp.I * f1, -gamma * f1**2 - sp.I * f1]
    return _case(ctx, game, pub, "consensus optimization (gamma = 1): lambda = -gamma f'(0)^2 +- f'(0) i; locally "
                 "convergent for small enough h", expect_convergent=True, method="consensus", gamma=gamma)


def _check_wgan_gp(ctx):
    game = gt.games.dirac_gan("wgan", reg="gp", gamma=R(7, 10))
    try:
        gt.derive(game, gt.methods.get("gd"))
        differentiable = True
    except gt.ParameterError:
        differentiable = False
    out = {}
    for order in ("simultaneous", "alternating"):
        r = gt.simulate(game, gt.methods.get("gd", order=order), [1.0, 1.0], 500, eta=0.2)
        d = r.distance([0, 0])
        out[order] = {"final_distance": float(d[-1]), "min_last_100": float(d[-100:].min()),
                      "max_last_100": float(d[-100:].max())}
    ok = all(v["min_last_100"] > 0.1 for v in out.values())
    ours = (f"field not differentiable at (0, 0) (|psi| in the penalty): {not differentiable}; notebook run "
            "(penalty 0.7, target norm 1, h = 0.2, 500 steps): "
            + "; ".join(f"{o}: distance to (0, 0) in the last 100 steps between {v['min_last_100']:.3f} and "
                        f"{v['max_last_100']:.3f}" for o, v in out.items()))
    return confirmed_if(ok, ours, "WGAN-GP is not locally convergent on the Dirac-GAN", counterexample=ours,
                      method="simulation", differentiable_at_equilibrium=differentiable, runs=out)


CLAIMS = [
    Claim("mescheder2018_dirac.unregularized", f"{CITE}, Sec. 2 (the Dirac-GAN; simultaneous and alternating GD)",
          "Unregularized GAN training is not locally convergent on the Dirac-GAN: the Jacobian's eigenvalues "
          "+-f'(0) i lie on the imaginary axis.", "eig J = +-f'(0) i; rho(sim GD) > 1; |mu| = 1 alternating",
          lambda ctx: _check_gan(ctx, "gan")),
    Claim("mescheder2018_dirac.non_saturating", f"{CITE}, Sec. 2 (non-saturating loss)",
          "The non-saturating GAN has the same eigenvalues at the equilibrium and is not locally convergent either.",
          "eig J = +-f'(0) i", lambda ctx: _check_gan(ctx, "ns")),
    Claim("mescheder2018_dirac.wgan", f"{CITE}, Sec. 3 (WGAN); abstract",
          "WGAN is not locally convergent on the Dirac-GAN.", "f(t) = t: eig J = +-i",
          lambda ctx: _check_gan(ctx, "wgan")),
    Claim("mescheder2018_dirac.wgan_gp", f"{CITE}, Sec. 3 (WGAN-GP); abstract",
          "WGAN-GP is not locally convergent on the Dirac-GAN.", "penalty gamma/2 (|psi| - 1)^2",
          _check_wgan_gp, kind="numeric"),
    Claim("mescheder2018_dirac.consensus", f"{CITE}, Sec. 3 (consensus optimization)",
          "Consensus optimization is locally convergent on the Dirac-GAN for small enough step size.",
          "lambda = -gamma f'(0)^2 +- f'(0) i", _check_consensus),
    Claim("mescheder2018_dirac.instance_noise", f"{CITE}, Sec. 3 (instance noise); abstract",
          "Instance noise makes the Dirac-GAN locally convergent for small enough step size.",
          "lambda = f''(0) sigma^2 +- sqrt(f''(0)^2 sigma^4 - f'(0)^2)", _check_instance_noise),
    Claim("mescheder2018_dirac.r1", f"{CITE}, Sec. 3-4 (zero-centered and simplified gradient penalties, R1)",
          "The R1 penalty makes the Dirac-GAN locally convergent for small enough step size.",
          "lambda = -gamma/2 +- sqrt(gamma^2/4 - f'(0)^2)", lambda ctx: _check_gradient_penalty(ctx, "r1", R(3, 10))),
    Claim("mescheder2018_dirac.r2_critical",
          f"{CITE}, Sec. 3-4 (R2; gamma = 1 is the authors' notebook's 'critical' value)",
          "The R2 penalty makes the Dirac-GAN locally convergent for small enough step size (here at the "
          "critical weight gamma = 2 f'(0) = 1, a repeated eigenvalue).",
          "lambda = -gamma/2 +- sqrt(gamma^2/4 - f'(0)^2)", lambda ctx: _check_gradient_penalty(ctx, "r2", 1)),
]


# ------------------------------------------------------------ the neural experiment
def _check_neural_r1(ctx):
    from gametheory.neural.paper_experiments import r1_local

    from ._neural import experiment, from_seeds, seeds, testable_seeds, too_slow, unavailable

    published = ("with R1 (gamma > 0) the equilibrium is locally attractive for simultaneous gradient descent; "
                 "unregularized, eigenvalues on (near) the imaginary axis and no convergence")
    skip = unavailable(ctx, published)
    if skip:
        return skip
    params = {"seeds": seeds(ctx, 1, 10, 20), "steps": ctx.pick(100, 300, 600), "gamma": 1.0}
    res = experiment(ctx, "r1-local", params, lambda: r1_local(params["seeds"], gamma=1.0, steps=params["steps"]))
    rows = [r for r in res["per_seed"]]
    ours = ("simultaneous GD at the realizable equilibrium (D = 0, G reproducing the batch), eta = min Re/|lambda|^2 "
            "of the R1 game: "
            + "; ".join(f"seed {r['seed']}: R1 {r['r1']['predicted_verdict']}/{r['r1']['measured_verdict']} (rho "
                        f"{r['r1']['predicted_rho']:.4f}), unregularized {r['unregularized']['predicted_verdict']}/"
                        f"{r['unregularized']['measured_verdict']} (slowest Re/|lambda| "
                        f"{r['slowest_real_over_modulus']:.2g})" if "r1" in r else f"seed {r['seed']}: {r.get('note')}"
                        for r in rows))
    rows, note = testable_seeds(rows, too_slow(params["steps"]))
    ours += note
    bad = next((r for r in rows if not r["holds"]), None)
    cx = f"seed {bad['seed']}: {bad}" if bad else ours
    return from_seeds([r["holds"] for r in rows], ours, published, cx[:600], seed=ctx.seed,
                      settings=res["settings"], per_seed=res["per_seed"])


CLAIMS += [
    Claim("mescheder2018_dirac.neural_r1",
          f"{CITE}, Sec. 3-4 (R1 regularization; the Dirac-GAN carried to a neural GAN)",
          "On a neural GAN at the equilibrium p_g = p_data, D = 0, simultaneous GD converges locally with R1 "
          "(gamma = 1), while without regularization an eigenvalue sits near the imaginary axis and GD does not "
          "converge at that step.",
          "rho(I - eta J_R1) < 1 measured and predicted; unregularized: Re/|lambda| < 0.1 and not converging",
          _check_neural_r1, kind="neural"),
]
