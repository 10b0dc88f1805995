"""The sweep engine: grids, broadcasting, routing from spectral_radius, errors, huge and tiny magnitudes."""
import numpy as np
import pytest
import sympy as sp

import gametheory as gt
from gametheory.sweep import sweep_radius
from gametheory.validation import ParameterError


def test_grid_broadcast_and_routing_through_spectral_radius(plain_radius):
    game = gt.games.bilinear([[1, 0], [0, 2]])
    m = gt.methods.get("momentum", order="alternating")
    eta = np.linspace(0.05, 1.0, 7)[:, None]
    beta = np.linspace(-0.9, 0.6, 5)[None, :]
    r = gt.spectral_radius(game, m, eta=eta, beta=beta)
    assert r.shape == (7, 5)
    np.testing.assert_allclose(r, plain_radius(game, m, eta=eta, beta=beta), rtol=1e-9)
    # small chunks give the same answer (bounded memory)
    np.testing.assert_array_equal(sweep_radius(game, m, eta=eta, beta=beta, chunk_points=3), r)


def test_bad_input_names_the_parameter():
    game = gt.games.bilinear([[1]])
    with pytest.raises(ParameterError, match="path"):
        sweep_radius(game, gt.methods.get("gd"), eta=np.ones(2), path="fast")
    with pytest.raises(ParameterError, match="path"):
        sweep_radius(gt.games.get("quadratic"), gt.methods.get("gd", order="alternating"),
                     eta=np.ones(2), path="bilinear")
    with pytest.raises(ParameterError, match="chunk_points"):
        sweep_radius(game, gt.methods.get("gd"), eta=np.ones(2), chunk_points=0)
    with pytest.raises(ParameterError, match="eta"):
        sweep_radius(game, gt.methods.get("gd"), eta=np.array([np.nan]))


@pytest.mark.parametrize("eta, want", [(1e110, 1e110), (1e200, 1e200), (1e-110, 1.0), (1e154, 1e154)])
def test_huge_and_tiny_step_sizes_keep_their_magnitude(eta, want):
    """gd on min max xy: the radius is sqrt(1 + eta^2), to full relative precision at any size."""
    g = gt.games.bilinear([[1]])
    gd = gt.methods.get("gd")
    assert abs(gt.spectral_radius(g, gd, eta=eta) - want) <= 1e-15 * want
    grid = gt.spectral_radius(g, gd, eta=np.array([eta, 0.5]))
    assert abs(grid[0] - want) <= 1e-15 * want and abs(grid[1] - np.sqrt(1.25)) < 1e-15
    if eta <= 1e150:  # alternating momentum: radius ~ eta^2 (a float up to eta ~ 1e154)
        alt = gt.methods.get("momentum", order="alternating")
        exact = float(gt.spectral_radius(g, alt, eta=sp.Rational(*float(eta).as_integer_ratio()), beta=sp.Rational(1, 2)))
        assert abs(gt.spectral_radius(g, alt, eta=np.array([eta]), beta=0.5)[0] - exact) <= 1e-14 * exact


def test_tiny_radii_keep_their_magnitude():
    """Heavy ball on J = I at eta = 1: mu^2 - beta mu + beta, radius ~ sqrt(beta), beta down to 1e-250."""
    game = gt.games.quadratic([[1]], [[0]], [[1]])
    mom = gt.methods.get("momentum")
    for beta in (1e-250, 1e-120):
        exact = float(gt.spectral_radius(game, mom, eta=1, beta=sp.Rational(*beta.as_integer_ratio())))
        got = sweep_radius(game, mom, eta=np.array([1.0]), beta=np.array([beta]))[0]
        assert abs(got - exact) <= 1e-14 * exact
