"""Optimal hyperparameters from the fast sweep + scipy.optimize."""
import numpy as np
import sympy as sp

import gametheory as gt
from gametheory.analyses.optimal import eg_optimum_exact, optimal_parameters


def test_eg_optimum_matches_the_exact_closed_form():
    ex = eg_optimum_exact()
    assert ex["rho_opt"] == sp.sqrt(3) / 2 and ex["s_opt"] == 1 / sp.sqrt(2)
    r = optimal_parameters(gt.methods.get("eg"), sigma_range=(1, 1), params=("eta",), grid=32)
    assert abs(r["radius"] - float(ex["rho_opt"])) < 1e-8
    assert abs(r["params"]["eta"] - float(ex["s_opt"])) < 1e-3


def test_best_alternating_momentum_is_negative_and_locally_optimal():
    m = gt.methods.get("momentum", order="alternating")
    r = optimal_parameters(m, sigma_range=(1, 1), grid=24, refine=False)
    assert r["refinement"] is None and r["params"] == r["numeric"]["params"]
    eta, beta = r["params"]["eta"], r["params"]["beta"]
    assert beta < 0 and r["radius"] < 1
    exact = gt.spectral_radius(gt.games.bilinear([[1]]), m, eta=eta, beta=beta)
    # at the optimum roots nearly collide: float roots keep ~10 digits there (exact path: 50)
    assert abs(exact - r["radius"]) < 1e-8
    rng = np.random.default_rng(0)
    g = gt.games.bilinear([[1]])
    for _ in range(10):
        de, db = rng.normal(scale=1e-2, size=2)
        # no nearby point does better than the optimum, up to the optimizer's own tolerance
        assert gt.spectral_radius(g, m, eta=eta + de, beta=beta + db) >= exact - 1e-8


def test_alternating_momentum_optimum_is_refined_exactly_at_the_triple_root():
    """sigma = 1: rho* = 2 sqrt(3) - 3 at beta* = 4 sqrt(3) - 7, eta*^2 = (128 sqrt(3) - 192) / 9 (a triple root)."""
    m = gt.methods.get("momentum", order="alternating")
    r = optimal_parameters(m, sigma_range=(1, 1), grid=24)
    cf = r["closed_form"]
    assert r["refinement"] == "collision" and cf["multiplicity"] == 3
    rho, beta = 2 * sp.sqrt(3) - 3, 4 * sp.sqrt(3) - 7
    assert sp.simplify(cf["rho"] - rho) == 0 and sp.simplify(cf["beta"] - beta) == 0
    assert sp.simplify(cf["eta"] ** 2 - (128 * sp.sqrt(3) - 192) / 9) == 0 and cf["eta"].is_positive
    assert sp.simplify(cf["root"] - (3 - 2 * sp.sqrt(3))) == 0  # a negative real root
    assert abs(r["radius"] - float(rho)) < 1e-15 and abs(r["params"]["beta"] - float(beta)) < 1e-15
    # the float optimiser alone: within 1e-7 above (near a triple root float radii keep ~8 digits)
    assert 0 <= r["numeric"]["radius"] - float(rho) < 1e-7
    # rounding the exact optimum to floats moves the triple root by ~(1e-16)^(1/3)
    assert 0 < r["radius_check"] - float(rho) < 1e-4
    # plain reference: the exact spectral radius of the augmented Jacobian at 70-digit rationals of the optimum
    g = gt.games.bilinear([[1]])
    q = {k: sp.Rational(str(sp.N(cf[k], 70))) for k in ("eta", "beta")}
    assert abs(sp.N(gt.spectral_radius(g, m, **q) - rho, 40)) < 1e-20
    # and no nearby point is better (exact radii)
    for de, db in [(1e-5, 0), (-1e-5, 0), (0, 1e-5), (0, -1e-5), (1e-5, -1e-5)]:
        near = gt.spectral_radius(g, m, eta=q["eta"] + sp.Rational(de), beta=q["beta"] + sp.Rational(db))
        assert sp.N(near - rho, 30) > 0


def test_no_collision_no_closed_form():
    """EG's optimum is a complex pair (not a collision): the float optimum is kept, with no closed form."""
    from gametheory.analyses.optimal import collision_optimum

    r = optimal_parameters(gt.methods.get("eg"), sigma_range=(1, 1), params=("eta",), grid=32)
    assert r["refinement"] is None and r["closed_form"] is None and r["params"] == r["numeric"]["params"]
    assert collision_optimum(gt.methods.get("eg"), 1, r["params"], r["radius"]) is None
