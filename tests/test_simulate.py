"""Numeric iteration: trajectories, divergence reported (not NaN), resuming, errors."""
import numpy as np
import pytest

import gametheory as gt
from gametheory.validation import ParameterError


def test_gda_spirals_out_and_alternating_stays_bounded_on_xy():
    g = gt.games.bilinear([[1]])
    sim = gt.simulate(g, gt.methods.get("gd"), [1, 0], steps=200, eta=0.1)
    alt = gt.simulate(g, gt.methods.get("gd", order="alternating"), [1, 0], steps=200, eta=0.1)
    # simultaneous GDA: |z_t| = (1 + eta^2)^(t/2) exactly
    np.testing.assert_allclose(sim.distance([0, 0]), (1.01) ** (np.arange(201) / 2), rtol=1e-12)
    assert alt.distance([0, 0]).max() < 1.2 and alt.distance([0, 0])[-50:].min() > 0.8


def test_extragradient_converges_on_xy():
    r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("eg"), [1, 1], steps=500, eta=0.5)
    assert r.distance([0, 0])[-1] < 1e-10


def test_divergence_is_reported_not_nan():
    r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1, 1], steps=10_000, eta=1.0)
    assert r.diverged and r.diverged_at is not None
    assert np.all(np.isfinite(r.trajectory))
    assert r.steps_run == r.diverged_at - 1 == len(r.trajectory) - 1


def test_resume_from_state_continues_the_same_trajectory():
    g, m = gt.games.bilinear([[1, 0], [0, 2]]), gt.methods.get("momentum", order="alternating")
    full = gt.simulate(g, m, [1, 0, 0, 1], steps=40, eta=0.3, beta=-0.2)
    first = gt.simulate(g, m, [1, 0, 0, 1], steps=15, eta=0.3, beta=-0.2)
    rest = gt.simulate(g, m, first.final, steps=25, state=first.state, eta=0.3, beta=-0.2)
    np.testing.assert_allclose(np.vstack([first.trajectory, rest.trajectory[1:]]), full.trajectory, rtol=1e-14)


def test_projection_keeps_iterates_in_a_box():
    box = lambda x, y: (np.clip(x, -1, 1), np.clip(y, -1, 1))  # noqa: E731
    r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1, 1], steps=300, eta=0.3, project=box)
    assert np.abs(r.trajectory).max() <= 1 and not r.diverged


def test_nonlinear_game_iterates():
    r = gt.simulate(gt.games.dirac_gan("gan", reg="r1", gamma=1), gt.methods.get("gd"), [1, 1], steps=500, eta=0.2)
    assert r.distance([0, 0])[-1] < 1e-3


@pytest.mark.parametrize("kwargs, name", [
    ({"z0": [1], "steps": 5, "eta": 0.1}, "z0"),
    ({"z0": [1, np.nan], "steps": 5, "eta": 0.1}, "z0"),
    ({"z0": [1, 1], "steps": -1, "eta": 0.1}, "steps"),
    ({"z0": [1, 1], "steps": 2.5, "eta": 0.1}, "steps"),
    ({"z0": [1, 1], "steps": 5}, "eta"),
    ({"z0": [1, 1], "steps": 5, "eta": [0.1, 0.2]}, "eta"),
])
def test_bad_input(kwargs, name):
    with pytest.raises(ParameterError, match=f"'{name}'"):
        gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd"), **kwargs)


def test_unrolled_needs_losses():
    with pytest.raises(ParameterError, match="losses"):
        gt.simulate(gt.games.curl_field(), gt.methods.get("unrolled"), [1, 1], steps=3, eta=0.1)


# ---- one validation for every number: the same reading as the exact functions, checked up front ----
def test_numbers_are_read_as_everywhere_else():
    g, m = gt.games.bilinear([[1]]), gt.methods.get("gd")
    a = gt.simulate(g, m, ["1/2", "1"], steps=20, eta="1/3")
    b = gt.simulate(g, m, [0.5, 1.0], steps=20, eta=1 / 3)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)


@pytest.mark.parametrize("kwargs, name", [
    ({"eta": b"0.1"}, "eta"),                       # bytes are not numbers
    ({"eta": 0.1, "blowup": float("nan")}, "blowup"),  # NaN would switch divergence detection off
    ({"eta": 0.1, "blowup": -1.0}, "blowup"),
    ({"eta": 0.1, "blowup": "many"}, "blowup"),
    ({"eta": "1e999999999"}, "eta"),                # would build a billion-digit integer
    ({"eta": 0.1, "steps": 10**12}, "steps"),       # 14.6 TiB of trajectory
    ({"eta": 0.1, "z0": [b"1", 1]}, "z0"),
])
def test_hostile_input_is_refused_up_front(kwargs, name):
    import time

    args = {"z0": [1, 1], "steps": 5, **kwargs}
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match=f"'{name}"):
        gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd"), **args)
    assert time.perf_counter() - t0 < 1.0


def test_infinite_blowup_still_stops_at_non_finite_iterates():
    r = gt.simulate(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1, 1], steps=5000, eta=10.0,
                    blowup=float("inf"))
    assert r.diverged and np.all(np.isfinite(r.trajectory))


def test_the_dynamics_runs_share_the_checks():
    from gametheory import dynamics

    with pytest.raises(ParameterError, match="'blowup'"):
        dynamics.run(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1, 1], 5, eta=0.1, blowup=float("nan"))
    with pytest.raises(ParameterError, match="'steps'"):
        dynamics.run(gt.games.bilinear([[1]]), gt.methods.get("gd"), [1, 1], 10**12, eta=0.1)
