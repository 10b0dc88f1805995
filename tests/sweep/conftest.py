"""Shared references of the sweep tests: the plain path (explicit augmented matrix + eigvals) and random inputs."""
import numpy as np
import pytest

from gametheory.backends import lambdify_matrix
from gametheory.derive import PARAM_SYMBOLS, symbolic_derivation


def _plain_radius(game, method, **params):
    """Reference: the augmented Jacobian compiled, then numpy.linalg.eigvals point by point."""
    d = symbolic_derivation(game, method, params, None)
    values = method.continuous_values(params, mode="float")
    names = list(values)
    arrays = np.broadcast_arrays(*[np.asarray(values[n], dtype=float) for n in names])
    f = lambdify_matrix(d.jacobian, [PARAM_SYMBOLS[n] for n in names])
    out = np.empty(arrays[0].shape)
    for idx in np.ndindex(out.shape):
        M = f(*[a[idx] for a in arrays])
        out[idx] = np.abs(np.linalg.eigvals(M)).max()
    return out


def _random_params(method, rng, n):
    prm = {"eta": rng.uniform(0.01, 1.5, n)}
    if "beta" in method.param_names:
        prm["beta"] = rng.uniform(-1, 1, n)
    if "gamma" in method.param_names:
        prm["gamma"] = rng.uniform(0, 1, n)
    if "lam" in method.param_names:
        prm["lam"] = rng.uniform(-1, 1, n)
    return prm


def _random_matrix(rng, rows, cols, rank=None):
    A = rng.integers(-3, 4, size=(rows, cols))
    if rank is not None:
        A = rng.integers(-2, 3, size=(rows, rank)) @ rng.integers(-2, 3, size=(rank, cols))
    return A.tolist()


@pytest.fixture(scope="session")
def plain_radius():
    """The reference radius: the augmented Jacobian compiled, then numpy.linalg.eigvals point by point."""
    return _plain_radius


@pytest.fixture(scope="session")
def random_params():
    return _random_params


@pytest.fixture(scope="session")
def random_matrix():
    return _random_matrix
