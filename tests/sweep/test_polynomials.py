"""The small polynomials derived per method (the heavy ball's is the slides' one)."""
import sympy as sp

import gametheory as gt
from gametheory.derive import PARAM_SYMBOLS
from gametheory.sweep import scalar_polynomial


def test_heavy_ball_scalar_polynomial_is_the_slides_one():
    lam, mu = sp.Symbol("lambda"), sp.Symbol("mu")
    eta, beta = PARAM_SYMBOLS["eta"], PARAM_SYMBOLS["beta"]
    q = scalar_polynomial(gt.methods.get("momentum"))
    assert sp.expand(q - (mu**2 - (1 + beta - eta * lam) * mu + beta)) == 0
