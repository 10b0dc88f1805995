"""Gidel, Berard, Vignoud, Vincent, Lacoste-Julien, "A Variational Inequality Perspective on GANs" (ICLR 2019).

Source: Lacoste-Julien's DALI 2019 slides "Extragradient and Negative Momentum to
Optimize GANs": on a bilinear saddle
point the standard gradient method does not converge, the alternating one
does not either, while averaging and extragradient do; optimistic mirror
descent (Daskalakis et al., ICLR 2018) is quoted as converging on bilinear
games. The stability claims are decided exactly for every step size from the
per-singular-value characteristic polynomial (:func:`gametheory.derive`);
averaging is a statement about the average of iterates, checked by simulation
of the registry's GDA rule.
"""
from __future__ import annotations

import numpy as np

import gametheory as gt
from gametheory.claims import Claim, confirmed_if
from gametheory.derive import S

from gametheory.analyses.conditions import describe_pieces, jsonable_pieces, polynomial_intervals

CITE = "Gidel et al., A Variational Inequality Perspective on GANs, ICLR 2019"


def bilinear_intervals(name, order="simultaneous"):
    """Exact verdicts of a registry method on ``sigma x y`` for every ``s = eta sigma > 0``.

    Deliberately two routes: the pieces are decided on the reduced polynomial's companion matrix
    (:func:`gametheory.analyses.conditions.polynomial_intervals` without ``matrix=``), then each is
    cross-checked with :func:`gametheory.stability` on the method's own augmented Jacobian.
    """
    m = gt.methods.get(name, order=order)
    d = gt.derive(gt.games.bilinear([[1]]), m)
    iv = polynomial_intervals(d.reduced_charpoly, S)
    # cross-check each interval with gt.stability on the game itself (sigma = 1, eta = s)
    game = gt.games.bilinear([[1]])
    consistent = all(gt.stability(game, m, eta=i["sample"]) == i["verdict"] for i in iv if "sample" in i)
    return d.reduced_charpoly, iv, consistent


def _converging_range(iv):
    conv = [i for i in iv if "lo" in i and i["verdict"] == "converges"]
    return (conv[0]["lo"], conv[-1]["hi"]) if conv else None


def _check_extragradient(ctx):
    p_gd, iv_gd, ok1 = bilinear_intervals("gd")
    p_eg, iv_eg, ok2 = bilinear_intervals("eg")
    rng = _converging_range(iv_eg)
    gd_never = all(i["verdict"] == "diverges" for i in iv_gd)
    ok = ok1 and ok2 and gd_never and rng is not None
    ours = (f"GDA: {describe_pieces(iv_gd)}. Extragradient ({p_eg}): {describe_pieces(iv_eg)}")
    return confirmed_if(ok, ours, "extragradient converges on bilinear games where the gradient method does not "
                      "(slides: 'Purple: Extragradient method', convergent)",
                      counterexample=ours, gda_charpoly=str(p_gd), eg_charpoly=str(p_eg),
                      gda_intervals=jsonable_pieces(iv_gd), eg_intervals=jsonable_pieces(iv_eg),
                      eg_converges_for_s_in=[str(rng[0]), str(rng[1])] if rng else None)


def _check_omd(ctx):
    p, iv, consistent = bilinear_intervals("ogd")
    rng = _converging_range(iv)
    ok = consistent and rng is not None and rng[0] == 0
    ours = f"OGD/OMD per singular value: {p}; {describe_pieces(iv)}"
    return confirmed_if(ok, ours, "optimistic mirror descent converges on bilinear games (for a small enough step)",
                      counterexample=ours, charpoly=str(p), intervals=jsonable_pieces(iv),
                      converges_for_s_in=[str(rng[0]), str(rng[1])] if rng else None,
                      note="s = eta * sigma for every singular value sigma of A: eta < (1/sqrt(3)) / sigma_max")


def _box(x, y):
    return x, np.clip(y, -1.0, 1.0)


def _check_averaging(ctx):
    game = gt.games.linear_discriminator(data_mean=1, latent_mean=1)
    eq = np.array([float(e) for e in game.equilibrium()])
    steps = ctx.pick(5000, 20000, 100000)
    eta = 0.1
    m = gt.methods.get("gd")
    r = gt.simulate(game, m, [0.0, 0.5], steps, eta=eta, project=_box)
    T = r.trajectory
    avg = np.cumsum(T, axis=0) / np.arange(1, len(T) + 1)[:, None]
    last = float(np.linalg.norm(T[-1] - eq))
    a_end = float(np.linalg.norm(avg[-1] - eq))
    a_tenth = float(np.linalg.norm(avg[len(T) // 10] - eq))
    # without the slides' constraint |phi| <= 1 the averaged iterate is no help: GDA spirals out geometrically
    free = gt.simulate(game, m, [0.0, 0.5], 2000, eta=eta)
    free_avg = float(np.linalg.norm(free.trajectory.mean(axis=0) - eq))
    ok = last > 0.5 and a_end < 0.02 and a_end < a_tenth / 3
    ours = (f"projected GDA (|phi| <= 1, eta = {eta}), {steps} steps: last iterate at distance {last:.3f}; "
            f"uniform average at distance {a_tenth:.4f} after {len(T) // 10} steps and {a_end:.5f} after {steps}")
    return confirmed_if(ok, ours, "the gradient method with averaging converges on the bilinear "
                      "(linear-discriminator WGAN) example where the plain gradient method does not",
                      counterexample=ours, method="simulation", steps=steps, eta=eta,
                      last_iterate_distance=last, average_distance=a_end, average_distance_at_tenth=a_tenth,
                      unconstrained_average_distance_2000_steps=free_avg,
                      note="the slides' constraint |phi| <= 1 is imposed by projection; without it the GDA "
                           f"iterates grow geometrically and so does their average ({free_avg:.3g} after 2000 steps)")


CLAIMS = [
    Claim("gidel2019_variational_inequality.extragradient",
          f"{CITE}, Sec. 3, Fig. 1 (Lacoste-Julien's DALI 2019 slides, 'Standard methods from Math. Prog.')",
          "Extragradient converges on bilinear games where plain simultaneous GDA does not.",
          "z_half = z - eta v(z), z+ = z - eta v(z_half): rho < 1 for eta*sigma_max < 1; GDA rho > 1 always",
          _check_extragradient),
    Claim("gidel2019_variational_inequality.averaging",
          f"{CITE}, Sec. 3.1 and Fig. 1 (Lacoste-Julien's DALI 2019 slides, 'Green: Gradient method with avg.'); "
          "Bruck 1977",
          "Averaging the iterates of the gradient method converges on the bilinear example where the last "
          "iterate does not.",
          "x_bar_T = (1/T) sum_t x_t -> x*, x_t from projected GDA", _check_averaging, kind="numeric"),
    Claim("gidel2019_variational_inequality.omd_bilinear",
          "Daskalakis, Ilyas, Syrgkanis, Zeng, Training GANs with Optimism, ICLR 2018 (quoted by Mangoubi, Sachdeva, "
          "Vishnoi's blog and Lacoste-Julien's DALI 2019 slides)",
          "Optimistic mirror descent (OGDA) converges on bilinear games.",
          "z+ = z - 2 eta v(z) + eta v(z_prev): rho < 1 for small eta", _check_omd),
]


# ------------------------------------------------------------ the neural experiment
def _check_neural_wgan(ctx):
    from gametheory.neural.paper_experiments import wgan_local

    from ._neural import experiment, from_seeds, seeds, testable_seeds, too_slow, unavailable

    published = ("on WGANs, extragradient and optimistic gradient converge where simultaneous gradient descent "
                 "does not (the bilinear picture)")
    skip = unavailable(ctx, published)
    if skip:
        return skip
    params = {"seeds": seeds(ctx, 1, 10, 20), "steps": ctx.pick(100, 300, 600)}
    res = experiment(ctx, "wgan-local", params, lambda: wgan_local(params["seeds"], steps=params["steps"]))
    rows = res["per_seed"]
    ours = ("at the WGAN's realizable equilibrium (J off the kernel purely rotational), eta = 0.5/max|lambda|, "
            "predicted/measured rates: "
            + "; ".join(f"seed {r['seed']}: GDA {r['gd']['predicted_rho']:.4f}/{r['gd']['measured_rho']:.4f}, EG "
                        f"{r['eg']['predicted_rho']:.4f}/{r['eg']['measured_rho']:.4f}, OGD "
                        f"{r['ogd']['predicted_rho']:.4f}/{r['ogd']['measured_rho']:.4f}" for r in rows))
    rows, note = testable_seeds(rows, too_slow(params["steps"]))
    ours += note
    bad = next((r for r in rows if not r["holds"]), None)
    cx = (f"seed {bad['seed']}: verdicts GDA {bad['gd']['measured_verdict']}, EG {bad['eg']['measured_verdict']}, "
          f"OGD {bad['ogd']['measured_verdict']}" if bad else ours)
    return from_seeds([r["holds"] for r in rows], ours, published, cx, seed=ctx.seed, settings=res["settings"],
                      per_seed=res["per_seed"])


CLAIMS += [
    Claim("gidel2019_variational_inequality.neural_wgan_local",
          f"{CITE}, Sec. 3-4 and the WGAN experiments; checked on a neural WGAN's local spectrum",
          "At a neural WGAN's equilibrium, simultaneous GDA diverges while extragradient and optimistic gradient "
          "converge locally.",
          "rho_GDA > 1 > rho_EG, rho_OGD (predicted from J, measured from z* + delta)", _check_neural_wgan,
          kind="neural"),
]


#: the WGAN-GP training claim per scale: quick does not run (the budget); default about a minute on 2 cores;
#: full Gidel et al.'s step sizes for 20000 steps, 10 seeds (about 80 CPU-minutes)
WGAN_TRAINING = {"seeds": (1, 5, 10), "iters": (100, 1200, 20000), "lr_x": (2e-4, 2e-4, 2e-5),
                 "lr_y": (2e-3, 2e-3, 2e-4), "n_eval": (500, 1000, 2000), "evals": (4, 10, 20)}


def _fmt_wgan(m):
    mv, w1 = m["movement"], m["w1"]
    return (f"{m['modes']} modes, W1 {'-' if w1 is None else f'{w1:.2f}'}{'' if m['trained'] else ' (untrained)'}, "
            f"moves {'diverged' if mv is None else f'{mv:.3g}'}")


def wgan_training_verdict(res, published, **details):
    """The claim's Result from :func:`gametheory.neural.paper_experiments.wgan_training`'s output.

    Per seed the statement holds when EG and OGD are both trained (W1 to the data below half the best single
    point's), cover at least as many modes as GDA and move less than GDA over the last evaluations; seeds
    where no method trained test nothing and are left out (reported). The verdict is the sign test over
    the tested seeds (:func:`paper_checks._neural.from_seeds`); the per-seed movement ratios EG/GDA and
    OGD/GDA and their sign tests are reported beside it.
    """
    from gametheory.neural.paper_experiments import paired_sign_test

    from ._neural import from_seeds, testable_seeds

    rows, st = res["per_seed"], res["settings"]
    tested, left_note = testable_seeds(rows, f"where no method trained (W1 >= {st['trained_if_w1_below']:.2f})")
    what = "WGAN-GP (gradient penalty %g)" % st["gp"] if st.get("loss") == "wgan-gp" else f"WGAN (clip {st['clip']})"
    ours = (f"{what} on the ring of 8 Gaussians, {st['iters']} steps, '{st['scale']}' networks, lr "
            f"{st['lr_x']:g} / {st['lr_y']:g}, per seed GDA / EG / OGD: "
            + "; ".join(f"{r['seed']}: {_fmt_wgan(r['gd'])} / {_fmt_wgan(r['eg'])} / {_fmt_wgan(r['ogd'])}"
                        for r in rows))
    inf = float("inf")

    def moves(r, m):
        return inf if r[m]["movement"] is None or not r[m]["trained"] else r[m]["movement"]

    paired = {m: paired_sign_test([moves(r, "gd") for r in tested], [moves(r, m) for r in tested])
              for m in ("eg", "ogd")}
    ours += "; " + ", ".join(f"{m.upper()} moves less than GDA (trained) in {p['wins']} of {p['n']} seeds "
                             f"(sign test p = {p['p_value']:.3g})" for m, p in paired.items())
    left = [r["seed"] for r in rows if r not in tested]
    ours += left_note
    bad = next((r for r in tested if not r["holds"]), None)
    cx = (f"seed {bad['seed']}: GDA {_fmt_wgan(bad['gd'])}, EG {_fmt_wgan(bad['eg'])}, OGD {_fmt_wgan(bad['ogd'])}"
          if bad else ours)
    return from_seeds([r["holds"] for r in tested], ours, published, cx, settings=st, per_seed=rows,
                      movement_sign_tests=paired, left_out_seeds=left, **details)


def _check_neural_wgan_training(ctx):
    from gametheory.neural.paper_experiments import wgan_training

    from ._neural import experiment, not_at_quick, seeds, unavailable

    published = ("training a WGAN-GP, extragradient (Extra-Adam) and optimistic gradient (Optimistic Adam) "
                 "converge where simultaneous gradient (Adam) oscillates, and train at least as well")
    skip = unavailable(ctx, published) or not_at_quick(ctx, published, "training WGANs with three methods")
    if skip:
        return skip
    pick = {k: ctx.pick(*v) for k, v in WGAN_TRAINING.items() if k != "seeds"}
    params = {"seeds": seeds(ctx, *WGAN_TRAINING["seeds"]), **pick, "scale": "small", "loss": "wgan-gp", "gp": 10.0}
    res = experiment(ctx, "wgan-gp-training", params, lambda: wgan_training(
        params["seeds"], iters=params["iters"], scale=params["scale"], n_eval=params["n_eval"],
        evals=params["evals"], lr_x=params["lr_x"], lr_y=params["lr_y"], loss="wgan-gp", gp=params["gp"], clip=None,
        workers=ctx.pick(1, None, None), progress=ctx.progress))
    return wgan_training_verdict(res, published, seed=ctx.seed)


CLAIMS += [
    Claim("gidel2019_variational_inequality.neural_wgan_training",
          f"{CITE}, Sec. 7 (WGAN and WGAN-GP experiments with Extra-Adam and Optimistic Adam; gradient penalty "
          "of Gulrajani et al., NeurIPS 2017)",
          "Training a WGAN-GP on a Gaussian mixture, extragradient and optimistic gradient converge (the generator "
          "settles near the data) where simultaneous gradient descent keeps oscillating, without covering fewer "
          "modes.",
          "per seed: EG, OGD trained (W1 to the data < half the best point's), modes(EG), modes(OGD) >= modes(GDA) "
          "and movement(EG), movement(OGD) < movement(GDA)",
          _check_neural_wgan_training, kind="neural"),
]
