"""Gidel et al., "Negative Momentum for Improved Game Dynamics" (AISTATS 2019).

Source: Lacoste-Julien's DALI 2019 slides "Extragradient and Negative Momentum to
Optimize GANs", which quote the
paper's bilinear table, Theorem 4 and the momentum eigenvalue formula.

Every number here is derived: the momentum rule of
:mod:`gametheory.methods` is differentiated by :func:`gametheory.derive`, the
per-singular-value characteristic polynomial is cut at its unit-circle
crossings for *all* step sizes at once
(:func:`gametheory.analyses.conditions.stability_intervals`), each piece is decided on
the augmented Jacobian, and the reduced polynomial's own verdicts are
cross-checked against those point by point.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

import gametheory as gt
from gametheory.claims import Claim, confirmed, confirmed_if, refuted
from gametheory.derive import MU, PARAM_SYMBOLS, S

from gametheory.analyses.conditions import (describe_pieces, jsonable_pieces, numerator_in_mu, polynomial_verdict,
                                            stability_intervals)
from gametheory.exact import charpoly, radius_mp


def radius_50_digits(game, method, **params):
    """The spectral radius from the exact characteristic polynomial, rooted at 50 digits (mpmath)."""
    return radius_mp(charpoly(gt.augmented_jacobian(game, method, **params)))

CITE = "Gidel et al., Negative Momentum for Improved Game Dynamics, AISTATS 2019"
ETA, BETA = PARAM_SYMBOLS["eta"], PARAM_SYMBOLS["beta"]
R = sp.Rational

# the slides' table: (order, momentum sign) -> (bounded, converges) as published
PUBLISHED_TABLE = [
    ("simultaneous", "any", (False, False)),
    ("alternating", ">0", (False, False)),
    ("alternating", "0", (True, False)),
    ("alternating", "<0", (True, True)),
]
BETAS = {"any": [R(-9, 10), R(-1, 2), R(-1, 10), 0, R(1, 10), R(1, 2), R(9, 10)],
         ">0": [R(1, 10), R(1, 2), R(9, 10)], "0": [0], "<0": [R(-1, 10), R(-1, 2), R(-9, 10)]}


@lru_cache(maxsize=None)
def _momentum_on_xy(order: str):
    """Heavy-ball momentum derived on ``min_x max_y x y`` (one derivation per order, shared by the checks)."""
    return gt.derive(gt.games.bilinear([[1]]), gt.methods.get("momentum", order=order))


def _reduced_polynomial(order: str, beta):
    return sp.expand(_momentum_on_xy(order).reduced_charpoly.subs(BETA, beta))


def momentum_intervals(order: str, beta):
    """Exact verdict of heavy-ball momentum on ``min_x max_y sigma x y`` for every ``s = eta sigma > 0``.

    The pieces of :func:`gametheory.analyses.conditions.stability_intervals`, decided on the augmented
    Jacobian itself (sigma = 1, so s = eta).
    """
    return stability_intervals(gt.methods.get("momentum", order=order), beta)["pieces"]


def _table(ctx):
    rows, mismatches, cross = [], [], []
    for order, sign, published in PUBLISHED_TABLE:
        per_beta = []
        for beta in BETAS[sign]:
            iv = momentum_intervals(order, beta)
            bounded = any(i["verdict"] in ("bounded", "converges") for i in iv)
            conv = any(i["verdict"] == "converges" for i in iv)
            # cross-check: the interval verdicts (on the augmented Jacobian) against the reduced
            # polynomial's own verdicts (its companion matrix) at the samples
            num = numerator_in_mu(_reduced_polynomial(order, beta), MU).as_expr()
            for i in iv:
                if "sample" in i:
                    cross.append(polynomial_verdict(sp.expand(num.subs(S, i["sample"]))) == i["verdict"])
            per_beta.append({"beta": str(beta), "bounded": bounded, "converges": conv,
                             "intervals": describe_pieces(iv)})
        b_all = {p["bounded"] for p in per_beta}
        c_all = {p["converges"] for p in per_beta}
        ours = (b_all.pop() if len(b_all) == 1 else None, c_all.pop() if len(c_all) == 1 else None)
        row = {"method": order, "beta": sign, "published": list(published), "ours": list(ours),
               "per_beta": per_beta}
        rows.append(row)
        if tuple(ours) != published:
            mismatches.append(row)
    return rows, mismatches, all(cross), len(cross)


def _mark(b):
    return {True: "yes", False: "no", None: "mixed"}[b]


def _check_table(ctx):
    rows, mismatches, consistent, n = _table(ctx)
    ours = "for |beta| < 1: " + "; ".join(
        f"{r['method']} beta {r['beta']}: bounded {_mark(r['ours'][0])}, converges {_mark(r['ours'][1])}" for r in rows)
    published = "; ".join(f"{o} beta {s}: bounded {_mark(p[0])}, converges {_mark(p[1])}"
                          for o, s, p in PUBLISHED_TABLE)
    if not consistent:
        return refuted(ours, published, "the reduced polynomial disagrees with the augmented Jacobian at a sample "
                       "(a toolkit bug)", rows=rows)
    if mismatches:
        r = mismatches[0]
        return refuted(ours, published, f"{r['method']} momentum, beta {r['beta']}: {r['per_beta']}", rows=rows)
    return confirmed(ours, published, rows=rows, crosschecked_points=n,
                     note="'yes' = for some step size; each beta decided exactly for every eta*sigma > 0")


def _check_simultaneous_all_beta(ctx):
    rows, found = [], []
    for beta in (R(-2), R(-3, 2), R(-1), R(-9, 10), R(9, 10), R(1), R(3, 2)):
        iv = momentum_intervals("simultaneous", beta)
        rows.append({"beta": str(beta), "intervals": describe_pieces(iv)})
        found += [(beta, i) for i in iv if i["verdict"] in ("bounded", "converges") and "lo" in i]
    ours = "; ".join(f"beta = {r['beta']}: {r['intervals']}" for r in rows)
    published = "simultaneous momentum, beta in R: not bounded, not convergent"
    if found:
        beta, i = found[0]
        game, m = gt.games.bilinear([[1]]), gt.methods.get("momentum")
        direct = gt.stability(game, m, eta=i["sample"], beta=beta)
        sim = gt.simulate(game, m, [1.0, 0.5], 5000, eta=float(i["sample"]), beta=float(beta))
        d = sim.distance([0, 0])
        return refuted(ours, published, f"beta = {beta}: simultaneous momentum is {i['verdict']} for "
                       f"{i['lo']} < eta*sigma < {i['hi']} (the update x+ = x_prev - eta v(x) has |mu| = 1); "
                       f"gt.stability at eta = {i['sample']}: {direct}; 5000 simulated steps stay in "
                       f"[{d.min():.3f}, {d.max():.3f}]. For |beta| < 1 the row holds "
                       "(claim gidel2019_negative_momentum.table)", rows=rows, stability_at_sample=direct,
                       simulated_distance_range=[float(d.min()), float(d.max())])
    return confirmed(ours, published, rows=rows)


@lru_cache(maxsize=None)
def per_eigenvalue_quadratic():
    """The momentum charpoly factor of one eigenvalue ``lambda`` of ``J``, derived with gt.derive.

    Uses a game whose descent field is ``v = (l1 x, l2 y)`` (``J = diag(l1, l2)``);
    the augmented characteristic polynomial factors into one quadratic per
    eigenvalue, and the factor containing ``l1`` is returned with ``l1 -> lambda``.
    """
    l1, l2 = sp.symbols("l1 l2")
    x, y = sp.symbols("x y", real=True)
    game = gt.Game([x], [y], field=[l1 * x, l2 * y], equilibria=[(0, 0)], parameters=(l1, l2), name="diag")
    d = gt.derive(game, gt.methods.get("momentum"))
    lam = sp.Symbol("lambda")
    factors = [f for f, _ in sp.factor_list(d.charpoly, MU)[1] if f.has(l1)]
    assert len(factors) == 1
    return sp.expand(factors[0].subs(l1, lam)), lam


def _check_formula(ctx):
    q, lam = per_eigenvalue_quadratic()
    T = 1 - ETA * lam + BETA
    roots = sp.solve(q, MU)
    deltas = [sp.simplify((2 * r / T - 1) ** 2) for r in roots]
    delta = sp.simplify(deltas[0])
    same = sp.simplify(deltas[0] - deltas[1]) == 0
    form_ok = all(sp.simplify(sp.expand(q.subs(MU, T * (1 + sgn * sp.sqrt(delta)) / 2))) == 0 for sgn in (1, -1))
    closed = sp.simplify(delta - (1 - 4 * BETA / T ** 2)) == 0
    shown = "1 - 4*beta/(1 - eta*lambda + beta)**2" if closed else str(sp.factor(delta))
    ours = (f"derived factor mu^2 - (1 - eta*lambda + beta) mu + beta; its roots are "
            f"(1 - eta*lambda + beta)(1 +- sqrt(Delta))/2 with Delta = {shown}")
    published = "mu_pm(beta, eta, lambda) = (1 - eta*lambda + beta)(1 +- Delta^(1/2))/2 (Delta not given in the slides)"
    return confirmed_if(same and form_ok and closed, ours, published,
                      counterexample=f"roots {roots} do not have the stated form",
                      method="symbolic", quadratic=str(q), delta=str(delta),
                      delta_closed_form="1 - 4*beta/(1 - eta*lambda + beta)**2")


def _check_theorem4(ctx):
    q, lam = per_eigenvalue_quadratic()
    a, b = sp.symbols("a b", real=True)
    eta = sp.Symbol("eta", positive=True)
    qq = q.subs(PARAM_SYMBOLS["eta"], eta)
    m0 = 1 - eta * lam  # the limiting eigenvalue at beta = 0
    assert sp.simplify(qq.subs({BETA: 0, MU: m0})) == 0
    dmu = sp.simplify(-sp.diff(qq, BETA) / sp.diff(qq, MU)).subs({BETA: 0, MU: m0})
    subs = {lam: a + sp.I * b}
    m0c, dmuc = sp.expand(m0.subs(subs)), sp.expand(dmu.subs(subs))
    # d|mu|^2/dbeta at beta = 0
    deriv = sp.simplify(2 * sp.re(sp.expand(sp.conjugate(m0c) * dmuc)))
    # (i) imaginary eigenvalues (bilinear games): every step size
    b_pos = sp.Symbol("b", positive=True)
    imag = sp.factor(sp.simplify(deriv.subs({a: 0, b: b_pos})))
    imag_ok = sp.ask(sp.Q.positive(imag)) is True or bool(sp.simplify(imag).is_positive)
    # (ii) any eigenvalue with Re > 0, Im != 0 at the step size minimising |1 - eta lambda|
    ap = sp.Symbol("a", positive=True)
    tuned = sp.factor(sp.simplify(deriv.subs(b, b_pos).subs(a, ap).subs(eta, ap / (ap**2 + b_pos**2))))
    tuned_ok = bool(tuned.is_positive)
    # (iii) it is a class, not all games: a real eigenvalue with a small step is a counterexample
    real_case = sp.simplify(deriv.subs({a: 1, b: 0, eta: R(1, 10)}))
    # numeric confirmation on a concrete game with eigenvalues 1 +- 3i, eta tuned = 1/10
    game = gt.games.quadratic([[1]], [[3]], [[1]])
    m = gt.methods.get("momentum")
    rho0, rho_neg, rho_pos = (radius_50_digits(game, m, eta=R(1, 10), beta=b) for b in (0, R(-1, 20), R(1, 20)))
    numeric_ok = rho_neg < rho0 < rho_pos
    ok = imag_ok and tuned_ok and numeric_ok
    ours = (f"d|mu+|^2/dbeta at beta=0 = {sp.factor(deriv)} (lambda = a + i b); "
            f"> 0 for imaginary lambda at every eta ({imag}) and for Re>0, Im!=0 at the tuned eta ({tuned}); "
            f"on J eigenvalues 1+-3i, eta=1/10: rho(beta=-1/20) = {float(rho_neg):.6f} < rho(0) = {float(rho0):.6f}")
    published = ("Theorem 4: given a large class of games, a small negative momentum can improve the magnitude "
                 "of the limiting eigenvalues")
    return confirmed_if(ok, ours, published, counterexample="derivative not positive on the stated class",
                      method="symbolic + exact", derivative=str(deriv), imaginary_case=str(imag),
                      tuned_step_case=str(tuned), real_eigenvalue_small_step=str(real_case),
                      rho_beta0=float(rho0), rho_beta_minus=float(rho_neg), rho_beta_plus=float(rho_pos),
                      note="not every game: for a real eigenvalue lambda = 1 and eta = 1/10 the derivative is "
                           f"{real_case} < 0, so negative momentum slows convergence there")


def _gda_bilinear(order):
    m = gt.methods.get("gd", order=order)
    return gt.derive(gt.games.bilinear([[1]]), m).reduced_charpoly, stability_intervals(m)["pieces"]


def _check_gda_xy(ctx):
    p, iv = _gda_bilinear("simultaneous")
    roots = sp.solve(p, MU)
    mod2 = [sp.simplify(sp.expand(r * sp.conjugate(r))) for r in roots]
    all_div = all(i["verdict"] == "diverges" for i in iv)
    # almost every start: every eigenvalue has modulus > 1, so only z* itself stays bounded
    ok = all_div and all(sp.simplify(m2 - 1 - S**2) == 0 for m2 in mod2)
    # simulate from a generic start
    r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1.0, 0.5], 200, eta=0.1)
    growth = float(r.distance([0, 0])[-1] / r.distance([0, 0])[0])
    ours = (f"per singular value: {p}; |mu|^2 = {mod2[0]} > 1 for every s = eta*sigma > 0 "
            f"({describe_pieces(iv)}); simulated eta=0.1, 200 steps: distance x{growth:.3f}")
    return confirmed_if(ok, ours, "GDA does not converge on f = xy from almost every initial point",
                      counterexample=describe_pieces(iv), charpoly=str(p), modulus_squared=str(mod2[0]),
                      intervals=jsonable_pieces(iv), simulated_distance_growth=growth)


def _check_alt_gda(ctx):
    p, iv = _gda_bilinear("alternating")
    const = sp.Poly(p, MU).all_coeffs()[-1]
    bounded = [i for i in iv if "lo" in i and i["verdict"] == "bounded"]
    never_conv = all(i["verdict"] != "converges" for i in iv)
    # product of the two roots is the constant term 1: the roots can never both be inside
    ok = bool(bounded) and never_conv and sp.simplify(const - 1) == 0
    r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd", order="alternating"), [1.0, 0.5], 2000, eta=0.1)
    dist = r.distance([0, 0])
    ours = (f"per singular value: {p} (product of roots = {const}); {describe_pieces(iv)}; "
            f"simulated eta=0.1, 2000 steps: distance in [{dist.min():.3f}, {dist.max():.3f}]")
    return confirmed_if(ok, ours, "alternating GDA on a bilinear game is bounded but does not converge",
                      counterexample=describe_pieces(iv), charpoly=str(p), intervals=jsonable_pieces(iv),
                      simulated_min_distance=float(dist.min()), simulated_max_distance=float(dist.max()))


def _check_positive_bad(ctx):
    import numpy as np

    n = ctx.pick(60, 150, 300)
    out, ok = {}, True
    game = gt.games.curl_field()
    for order in ("simultaneous", "alternating"):
        m = gt.methods.get("momentum", order=order)
        etas = np.linspace(0.01, 2.0, n)
        betas = np.linspace(0.01, 0.9, n)
        E, B = np.meshgrid(etas, betas, indexing="ij")
        rho = gt.spectral_radius(game, m, eta=E, beta=B)
        rho0 = gt.spectral_radius(game, m, eta=etas, beta=np.zeros_like(etas))
        worse = rho > rho0[:, None]
        gap = rho - rho0[:, None]
        k = np.unravel_index(np.argmin(gap), gap.shape)
        out[order] = {"fraction_worse": float(worse.mean()), "smallest_gap": float(gap[k]),
                      "at": [float(E[k]), float(B[k])], "grid": [n, n]}
        ok = ok and bool(worse.all())
    ours = "; ".join(f"{o}: rho(beta > 0) > rho(beta = 0) at {100 * v['fraction_worse']:.0f}% of {n}x{n} grid points "
                     f"(eta in [0.01, 2], beta in [0.01, 0.9]; smallest gap {v['smallest_gap']:.2e})"
                     for o, v in out.items())
    return confirmed_if(ok, ours, "positive momentum can be bad for adversarial games (it enlarges the spectral "
                      "radius on the bilinear / curl game)", counterexample=ours, method="grid", **out)


def _check_local_rate(ctx):
    import numpy as np

    game = gt.games.dirac_gan("gan", reg="r1", gamma=R(3, 10))  # a nonlinear game
    steps = ctx.pick(400, 800, 1600)
    out, ok = {}, True
    for order in ("simultaneous", "alternating"):
        m = gt.methods.get("gd", order=order)
        rho = float(radius_50_digits(game, m, eta=R(1, 5)))
        r = gt.simulate(game, m, [0.05, 0.05], steps, eta=0.2)
        d = r.distance([0.0, 0.0])
        t = np.arange(steps // 4, steps + 1)
        slope = np.polyfit(t, np.log(d[t]), 1)[0]
        rate = float(np.exp(slope))
        out[order] = {"rho_exact": rho, "empirical_rate": rate, "final_distance": float(d[-1])}
        ok = ok and rho < 1 and abs(rate - rho) < 2e-3 and d[-1] < d[0]
    ours = "; ".join(f"{o} GD on the R1-regularised Dirac-GAN (h = 0.2): exact rho = {v['rho_exact']:.5f}, "
                     f"fitted rate of |z_t - z*| = {v['empirical_rate']:.5f}" for o, v in out.items())
    return confirmed_if(ok, ours, "if rho(grad F(w*)) < 1, the iterates converge locally at the linear rate "
                      "O((rho + eps)^t)", counterexample=ours, method="exact + simulation", **out)


def _check_optimal(ctx):
    """The optimum of :func:`gametheory.analyses.optimal.optimal_parameters`, with and without ``beta >= 0``."""
    from gametheory.analyses.optimal import optimal_parameters

    grid, maxiter = ctx.pick(24, 48, 96), ctx.pick(300, 1000, 2000)
    m = gt.methods.get("momentum", order="alternating")
    out = {}
    ok = True
    for name, sigma_range in (("sigma = 1", (1, 1)), ("sigma in [1, 2]", (1, 2))):
        free = optimal_parameters(m, sigma_range=sigma_range, grid=grid, maxiter=maxiter)
        nonneg = optimal_parameters(m, sigma_range=sigma_range, grid=grid, maxiter=maxiter,
                                    bounds={"beta": (0.0, 0.999)})
        eta_star, beta_star = free["params"]["eta"], free["params"]["beta"]
        game = gt.games.bilinear(sp.diag(*sorted(set(sigma_range))))
        exact = gt.stability(game, m, eta=eta_star, beta=beta_star)
        out[name] = {"eta_star": eta_star, "beta_star": beta_star, "rho_star": free["radius_check"],
                     "rho_star_50_digits_at_extremes": float(radius_50_digits(game, m, eta=eta_star, beta=beta_star)),
                     "verdict_at_star": exact, "best_rho_beta_nonnegative": nonneg["radius_check"],
                     "beta_nonnegative_optimum": nonneg["params"], "grid": grid}
        ok = ok and beta_star < 0 and exact == "converges" and nonneg["radius_check"] >= 1 - 1e-9
    ours = "; ".join(f"{k}: best rho = {v['rho_star']:.6f} at eta = {v['eta_star']:.4f}, beta = {v['beta_star']:.4f} "
                     f"({v['verdict_at_star']}, exact); best with beta >= 0: rho = {v['best_rho_beta_nonnegative']:.4f}"
                     for k, v in out.items())
    return confirmed_if(ok, ours, "negative momentum is optimal on the bilinear game (alternating updates)",
                      counterexample=ours, method="grid + Nelder-Mead (gametheory.analyses.optimal) + exact verdict",
                      **{k.replace(" ", "_"): v for k, v in out.items()})


CLAIMS = [
    Claim("gidel2019_negative_momentum.gda_xy_diverges",
          f"{CITE}, Sec. 3 / bilinear table; Mangoubi, Sachdeva, Vishnoi, 'Training GANs - From Theory to Practice' "
          "(blog, 2020), Fig. 1",
          "Simultaneous GDA does not converge on f = xy from almost every starting point.",
          "z+ = z - eta v(z), v = (y, -x): rho > 1 for all eta > 0", _check_gda_xy),
    Claim("gidel2019_negative_momentum.alternating_gda_bounded",
          f"{CITE}, bilinear table row 'Alternated, beta = 0'",
          "Alternating GDA on a bilinear game stays bounded but does not converge.",
          "x+ = x - eta A y, y+ = y + eta A^T x+: |mu| = 1 for eta*sigma < 2", _check_alt_gda),
    Claim("gidel2019_negative_momentum.table",
          f"{CITE}, Table (bilinear game min_theta max_phi theta^T A phi); Lacoste-Julien's DALI 2019 slides, "
          "'Bilinear game'",
          "Simultaneous momentum never bounded; alternating: positive momentum unbounded, zero bounded but not "
          "convergent, negative momentum bounded and convergent.",
          "verdict of heavy-ball momentum per (order, sign of beta), |beta| < 1, over all step sizes", _check_table),
    Claim("gidel2019_negative_momentum.table_simultaneous_any_beta",
          f"{CITE}, Table, row 'Simultaneous, beta in R' taken literally",
          "Simultaneous momentum on a bilinear game is unbounded for every real beta and every step size.",
          "rho > 1 or defective for all beta in R, eta > 0", _check_simultaneous_all_beta),
    Claim("gidel2019_negative_momentum.eigenvalue_formula",
          f"{CITE}, eigenvalues of the momentum operator (Lacoste-Julien's DALI 2019 slides, 'With momentum')",
          "The augmented momentum operator's eigenvalues are mu_pm = (1 - eta*lambda + beta)(1 +- sqrt(Delta))/2.",
          "mu^2 - (1 - eta*lambda + beta) mu + beta = 0", _check_formula, kind="exact"),
    Claim("gidel2019_negative_momentum.theorem4",
          f"{CITE}, Theorem 4 (Lacoste-Julien's DALI 2019 slides, 'General games')",
          "For a large class of games a small negative momentum decreases the modulus of the limiting eigenvalue.",
          "d|mu_+(beta)|/dbeta at beta = 0 > 0 for Im(lambda) != 0 (tuned eta) and imaginary lambda (any eta)",
          _check_theorem4),
    Claim("gidel2019_negative_momentum.optimal_negative",
          f"{CITE}, Sec. 4 (Lacoste-Julien's DALI 2019 slides, 'Our results: negative momentum is optimal on simple "
          "bilinear game')",
          "On the bilinear game the best rate of alternating gradient descent with momentum is reached with a "
          "negative momentum; no nonnegative momentum converges.",
          "argmin_{eta, beta} rho(alternating momentum) has beta < 0", _check_optimal, kind="numeric"),
    Claim("gidel2019_negative_momentum.positive_momentum_bad",
          f"{CITE}, Lacoste-Julien's DALI 2019 slides, 'Spoiler: positive momentum can be bad for adversarial games'; "
          "Huszár, 'GANs are Broken in More than One Way' (inFERENCe blog, 2017): momentum variants 'go completely "
          "berserk'",
          "Positive momentum makes the rotational (bilinear / curl) game worse: a larger spectral radius than "
          "plain GDA, simultaneous or alternating.",
          "rho(eta, beta) > rho(eta, 0) for beta > 0", _check_positive_bad, kind="numeric"),
    Claim("gidel2019_negative_momentum.local_rate",
          "Bertsekas 1999, Prop. 4.4.1, quoted as Theorem 1 in Lacoste-Julien's DALI 2019 slides",
          "If the spectral radius of the operator's Jacobian at a fixed point is below 1, the iterates converge "
          "locally at the linear rate O((rho + eps)^t).",
          "|w_t - w*| = O((rho + eps)^t)", _check_local_rate, kind="numeric"),
]


# ------------------------------------------------------------ the neural experiment
NEURAL_PUBLISHED = ("on a saturating GAN on a mixture of Gaussians, alternating GDA with a small negative momentum "
                    "converges locally where beta = 0 only cycles and beta > 0 diverges; negative momentum is "
                    "empirically best for saturating GANs")


def _neural_momentum(ctx):
    from gametheory.neural.paper_experiments import negative_momentum

    from ._neural import experiment, seeds

    params = {"seeds": seeds(ctx, 1, 8, 20), "steps": ctx.pick(100, 300, 600),
              "betas": ctx.pick((-0.2, 0.0, 0.2), (-0.6, -0.4, -0.2, 0.0, 0.2), (-0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4))}
    return experiment(ctx, "negative-momentum", params, lambda: negative_momentum(
        params["seeds"], steps=params["steps"], betas=params["betas"]))


def _check_neural_negative_momentum(ctx):
    from ._neural import from_seeds, testable_seeds, too_slow, unavailable

    skip = unavailable(ctx, NEURAL_PUBLISHED)
    if skip:
        return skip
    res = _neural_momentum(ctx)
    rows = res["per_seed"]
    cycles = sum(r["zero_only_cycles"] for r in rows)
    ours = ("alternating heavy ball at eta = 0.5/max|lambda| at each seed's equilibrium, beta = (-0.2, 0, +0.2): "
            + "; ".join(f"seed {r['seed']} predicted {'/'.join(r['pattern_predicted'])}, measured "
                        f"{'/'.join(r['pattern_measured'])}" for r in rows)
            + f"; beta = 0 only cycles (bounded) in {cycles} of {len(rows)} seeds")
    rows, note = testable_seeds(rows, too_slow(res["settings"]["steps"]))
    ours += note
    holds = [r["holds_pattern"] for r in rows]
    bad = next((r for r in rows if not r["holds_pattern"]), None)
    cx = (f"seed {bad['seed']}: predicted {bad['pattern_predicted']}, measured {bad['pattern_measured']}"
          if bad else ours)
    return from_seeds(holds, ours, NEURAL_PUBLISHED, cx, seed=ctx.seed, settings=res["settings"],
                      per_seed=res["per_seed"])


def _check_neural_best_beta(ctx):
    from ._neural import from_seeds, testable_seeds, too_slow, unavailable

    published = "negative momentum is optimal (the best beta is negative) for saturating GANs"
    skip = unavailable(ctx, published)
    if skip:
        return skip
    res = _neural_momentum(ctx)
    rows = res["per_seed"]
    ours = (f"beta grid {res['settings']['betas']}: best beta predicted / measured per seed: "
            + ", ".join(f"{r['seed']}: {r['best_beta_predicted']:g} / {r['best_beta_measured']}"
                        + ("" if r.get("best_agree") is not False or r["best_beta_predicted"] == r["best_beta_measured"]
                           else " (apart)") for r in rows))
    rows, note = testable_seeds(rows, too_slow(res["settings"]["steps"]))
    ours += note
    bad = next((r for r in rows if not r["holds_best"]), None)
    cx = (f"seed {bad['seed']}: best beta predicted {bad['best_beta_predicted']}, measured {bad['best_beta_measured']}"
          if bad else ours)
    return from_seeds([r["holds_best"] for r in rows], ours, published, cx, seed=ctx.seed,
                      settings=res["settings"], per_seed=[{k: r.get(k) for k in (
                          "seed", "eta", "best_beta_predicted", "best_beta_measured", "best_agree", "testable",
                          "holds_best")} for r in res["per_seed"]])


CLAIMS += [
    Claim("gidel2019_negative_momentum.neural_negative_momentum",
          f"{CITE}, Sec. 6 (saturating GAN on a mixture of Gaussians); checked on a neural GAN's local spectrum",
          "On a saturating-loss neural GAN at a local equilibrium, alternating GDA with a small negative momentum "
          "converges where beta = 0 only cycles and positive momentum diverges.",
          "verdicts of alternating heavy ball (predicted from J, measured from z* + delta) at beta = -0.2, 0, +0.2",
          _check_neural_negative_momentum, kind="neural"),
    Claim("gidel2019_negative_momentum.neural_best_beta",
          f"{CITE}, Sec. 6 ('negative momentum is empirically optimal on saturating GANs')",
          "The rate-optimal momentum of alternating GDA on a saturating neural GAN is negative, and the one "
          "predicted from the neural spectrum is the one measured.",
          "argmin_beta rho(beta): predicted (augmented Jacobian) = measured < 0 (equal, or measured rates closer "
          "than measurement and prediction are)", _check_neural_best_beta,
          kind="neural"),
]
