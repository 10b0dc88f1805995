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
    r = optimal_parameters(m, sigma_range=(1, 1), grid=24)
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
