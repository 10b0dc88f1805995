"""The closed-form paths (bilinear singular values, spectral mapping) against the plain path, with properties."""
import zlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import gametheory as gt
from gametheory.sweep import scalar_polynomial, sweep_radius

METHODS = gt.methods.registry()


@pytest.mark.parametrize("method", METHODS, ids=repr)
def test_bilinear_path_matches_plain(method, plain_radius, random_params, random_matrix):
    rng = np.random.default_rng(zlib.crc32(repr(method.key).encode()))  # hash() is salted per process
    game = gt.games.bilinear(random_matrix(rng, 3, 2))
    prm = random_params(method, rng, 12)
    fast = sweep_radius(game, method, path="bilinear", **prm)
    np.testing.assert_allclose(fast, plain_radius(game, method, **prm), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", METHODS, ids=repr)
def test_rank_deficient_bilinear_extra_modes(method, plain_radius, random_params):
    """Zero singular values and a non-square A leave uncoupled coordinates (v == 0)."""
    game = gt.games.bilinear([[1, 2, 0], [2, 4, 0]])  # rank 1, 2x3
    rng = np.random.default_rng(7)
    prm = random_params(method, rng, 6)
    fast = sweep_radius(game, method, path="bilinear", **prm)
    # eigenvalue 1 is repeated here: float eigvals keep only about half the digits
    np.testing.assert_allclose(fast, plain_radius(game, method, **prm), rtol=1e-7)
    assert np.all(fast >= 1 - 1e-12)  # a continuum of equilibria never attracts


SPECTRAL = [m for m in METHODS if scalar_polynomial(m) is not None]


def test_spectral_methods_are_the_J_functions():
    names = {(m.name, m.order) for m in SPECTRAL}
    assert {("gd", "simultaneous"), ("momentum", "simultaneous"), ("eg", "simultaneous"),
            ("ogd", "simultaneous"), ("past_eg", "simultaneous")} <= names
    assert not any(m.order == "alternating" for m in SPECTRAL)
    assert ("consensus", "simultaneous") not in names and ("sga", "simultaneous") not in names


@pytest.mark.parametrize("method", SPECTRAL, ids=repr)
@pytest.mark.parametrize("game", [
    gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]]),
    gt.games.get("dirac_gan"), gt.games.get("general_sum")], ids=lambda g: g.name)
def test_spectral_path_matches_plain(method, game, plain_radius, random_params):
    rng = np.random.default_rng(3)
    prm = random_params(method, rng, 10)
    fast = sweep_radius(game, method, path="spectral", **prm)
    np.testing.assert_allclose(fast, plain_radius(game, method, **prm), rtol=1e-8)


@settings(max_examples=15)
@given(seed=st.integers(0, 10**6), rows=st.integers(1, 3), cols=st.integers(1, 3),
       which=st.sampled_from(["momentum", "ogd", "eg", "gd"]), order=st.sampled_from(["simultaneous", "alternating"]))
def test_property_bilinear_random_games(seed, rows, cols, which, order, plain_radius, random_params, random_matrix):
    rng = np.random.default_rng(seed)
    game = gt.games.bilinear(random_matrix(rng, rows, cols))
    m = gt.methods.get(which, order=order)
    prm = random_params(m, rng, 5)
    fast = sweep_radius(game, m, **prm)
    np.testing.assert_allclose(fast, plain_radius(game, m, **prm), rtol=1e-7)
