"""The Mangoubi-Sachdeva-Vishnoi algorithm on f = xy (blog Figure 3)."""
import numpy as np
import pytest

import gametheory as gt
from gametheory.dynamics import run
from gametheory.msv import acceptance_probability, local_max, msv, xy_game
from gametheory.validation import ParameterError

STARTS = [(1.0, 1.0), (3.0, -2.0), (-4.5, 4.5), (0.5, -4.0)]


@pytest.mark.parametrize("z0", STARTS)
def test_msv_reaches_the_red_line_where_gda_cycles(z0):
    g = xy_game()
    r = msv(g, z0, 400, box=(-5, 5), seed=0)
    gda = run(g, gt.methods.get("gd"), z0, 2000, eta=0.1, box=(-5, 5))
    assert abs(r.final[0]) < 0.2                        # on the set x = 0 of global min-max points
    assert np.abs(gda.x[-500:, 0]).max() > 1.0         # GDA still swings far from it at the end
    assert np.abs(gda.x[-500:, 0]).mean() > 0.5


def test_msv_is_seeded_and_stays_in_the_box():
    g = xy_game()
    a = msv(g, (2.0, 2.0), 200, box=(-5, 5), seed=3)
    b = msv(g, (2.0, 2.0), 200, box=(-5, 5), seed=3)
    c = msv(g, (2.0, 2.0), 200, box=(-5, 5), seed=4)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    assert not np.array_equal(a.proposals[: len(c.proposals)], c.proposals[: len(a.proposals)])
    for r in (a, c):
        assert np.all(np.abs(r.trajectory) <= 5) and np.all(np.abs(r.proposals) <= 5)


def test_without_annealing_h_never_increases_and_rejections_keep_the_point():
    r = msv(xy_game(), (4.0, -1.0), 300, box=(-5, 5), T0=60.0, seed=1, patience=None)
    assert np.all(np.diff(r.h) <= 0)
    assert np.array_equal(r.accepted, r.improved)
    same = np.all(r.trajectory[1:] == r.trajectory[:-1], axis=1)
    np.testing.assert_array_equal(same, ~r.accepted)
    assert r.h[-1] < r.h[0] / 10


def test_annealed_acceptances_happen_and_decay():
    p = acceptance_probability(np.array([0, 100, 400]), T0=4.0, tau=200.0)
    assert 0 < p[2] < p[1] < p[0] < 0.01
    # f = xy - y^2/2: the max player's ascent contracts fast, h(x) = x^2/2; a constant temperature
    # (tau huge) makes every non-improving proposal accepted with probability exp(-(T0 + 1))
    g = gt.games.from_expression("x*y - y**2/2")
    r = msv(g, (0.0, 0.0), 1000, eta_y=0.5, noise=1.0, T0=0.5, tau=1e9, seed=0, patience=None)
    forced = r.accepted & ~r.improved
    n_bad = int((~r.improved).sum())
    p = float(np.exp(-1.5))
    assert n_bad > 100
    assert abs(forced.sum() - p * n_bad) < 4 * np.sqrt(n_bad * p * (1 - p))


def test_local_max_reaches_a_stationary_point_of_the_box():
    w, h, k = local_max(xy_game(), np.array([2.0]), np.array([-1.0]), eta_y=0.5, box_y=(-5, 5))
    assert w.tolist() == [5.0] and h == 10.0 and k > 0
    w, h, k = local_max(xy_game(), np.array([-0.5]), np.array([3.0]), eta_y=0.5, box_y=(-5, 5))
    assert w.tolist() == [-5.0]


def test_patience_stops_and_errors():
    r = msv(xy_game(), (0.0, 5.0), 500, box=(-5, 5), noise=0.0, patience=20, T0=60.0, seed=0)
    assert r.stopped_at == 20 and len(r.trajectory) == 21
    with pytest.raises(ParameterError, match="game"):
        msv(gt.games.curl_field(), (1.0, 1.0), 10)
    with pytest.raises(ParameterError, match="eta_x"):
        msv(xy_game(), (1.0, 1.0), 10, eta_x=0)
    with pytest.raises(ParameterError, match="z0"):
        msv(xy_game(), (1.0,), 10)
