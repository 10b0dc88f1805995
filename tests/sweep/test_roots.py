"""Closed-form polynomial roots against numpy.roots; clustered roots flagged."""
import numpy as np

from gametheory.sweep import max_root_modulus, poly_roots


def test_roots_closed_forms_against_numpy():
    rng = np.random.default_rng(5)
    for d in (1, 2, 3, 4, 5):
        c = rng.normal(size=(d + 1, 200))
        ours = np.sort_complex(poly_roots(list(c)))
        ref = np.sort_complex(np.array([np.roots(c[:, i]) for i in range(200)]))
        np.testing.assert_allclose(np.abs(ours).max(axis=1), np.abs(ref).max(axis=1), rtol=1e-9)
    rad, clustered = max_root_modulus([np.array([1.0]), np.array([-2.0]), np.array([1.0])])
    assert clustered[0] and abs(rad[0] - 1) < 1e-7
