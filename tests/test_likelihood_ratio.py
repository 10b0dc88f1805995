"""The non-saturating GAN in likelihood-ratio coordinates: the generator's best-response set and alternation."""
import numpy as np
import pytest
from scipy.optimize import linprog

from gametheory import likelihood_ratio as lr
from gametheory.validation import ParameterError


def _lp_value(p, c):
    return linprog(p * c, A_eq=[p], b_eq=[1.0], bounds=[(0, None)] * len(p), method="highs").fun


def test_the_best_response_set_is_the_face_over_argmax_f():
    p = np.array([0.1, 0.2, 0.3, 0.4])
    R = np.array([0.0, 2.0, 0.0, 1.0])        # two points with R = 0: f* = 1 ties there
    br = lr.best_responses(p, neg_log_f=np.log1p(R))
    assert br.favourites.tolist() == [0, 2] and not br.unique and br.value == 0.0
    assert br.gap == pytest.approx(np.log(2.0))
    # every law on the favourites is optimal; moving mass m off them costs at least m * gap
    for rule in lr.TIE_BREAKS:
        Rt = lr.best_response(p, neg_log_f=np.log1p(R), rule=rule, rng=3)
        assert abs(p @ Rt - 1) < 1e-12 and set(np.flatnonzero(Rt)) <= {0, 2}
        assert lr.generator_loss(p, Rt, lr.bayes_discriminator(R)) == pytest.approx(_lp_value(p, np.log1p(R)), abs=1e-14)
    assert lr.best_response(p, neg_log_f=np.log1p(R), rule="vertex").tolist() == pytest.approx([0, 0, 1 / 0.3, 0])
    assert lr.best_response(p, neg_log_f=np.log1p(R), rule="spread").tolist() == pytest.approx([1 / 0.4, 0, 1 / 0.4, 0])


def test_a_unique_favourite_gives_the_slides_point_mass():
    p = np.array([0.25, 0.25, 0.5])
    f = lr.bayes_discriminator([1.5, 0.5, 1.0])
    br = lr.best_responses(p, f)
    assert br.unique and br.favourites.tolist() == [1]
    for rule in lr.TIE_BREAKS:
        assert lr.best_response(p, f, rule=rule, rng=1).tolist() == pytest.approx([0, 4, 0])   # delta / p_r(y_o)
    assert np.allclose(br.lp_response, [0, 4, 0])


def test_ties_are_exact_a_tiny_ratio_does_not_tie_with_zero():
    p = np.array([0.5, 0.5])
    br = lr.best_responses(p, neg_log_f=np.log1p([1e-17, 0.0]))
    assert br.favourites.tolist() == [1]


@pytest.mark.parametrize("rule", lr.TIE_BREAKS)
def test_alternation_hops_and_never_reaches_p_r(rule):
    rng = np.random.default_rng(5)
    p = rng.dirichlet(np.ones(6))
    R0 = rng.exponential(size=6)
    run = lr.alternating_minimization(p, R0 / (p @ R0), 8, rule=rule, rng=2)
    assert len(run.ratios) == 9 and run.responses[0].unique          # round 1: no ties (generic start)
    for t in range(2, 9):
        assert not set(run.supports[t]) & set(run.supports[t - 1])   # all mass moves to the missed points
        assert set(run.supports[t]) <= set(run.responses[t - 1].favourites)
    assert min(run.costs) > 2 * np.log(2)


def test_bad_input():
    with pytest.raises(ParameterError, match="p_r"):
        lr.best_responses([0.5, 0.6], [0.5, 0.5])
    with pytest.raises(ParameterError, match="'f'"):
        lr.best_responses([0.5, 0.5], [0.0, 0.5])
    with pytest.raises(ParameterError, match="rule"):
        lr.best_response([0.5, 0.5], [0.5, 0.5], rule="first")
    with pytest.raises(ParameterError, match="R0"):
        lr.alternating_minimization([0.5, 0.5], [1.0, 2.0], 3)
