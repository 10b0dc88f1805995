"""Claim types: results that carry their evidence, crashes that are errors, the summary, the check context."""
import pytest

from gametheory.claims import (ERROR, STATUSES, VERDICTS, CheckContext, Claim, Result, claims_summary, confirmed,
                               confirmed_if, inconclusive, refuted, summary_text, verdict_of)
from gametheory.validation import ParameterError


def test_a_refuted_result_needs_a_counterexample_and_an_inconclusive_one_a_reason():
    with pytest.raises(ParameterError, match="counterexample"):
        Result("refuted", "1", "2")
    with pytest.raises(ParameterError, match="reason"):
        Result("inconclusive", "1", "2")
    with pytest.raises(ParameterError, match="verdict"):
        Result("maybe", "1", "2")
    with pytest.raises(ParameterError, match="verdict"):
        Result(ERROR, "1", "2")  # only a crash gives "error", never a check's return value
    assert refuted(1, 2, "x = 0").counterexample == "x = 0"
    assert inconclusive(1, 2, "too few seeds").reason == "too few seeds"
    assert confirmed(1, 2, method="symbolic").method == "symbolic"


def test_confirmed_if_decides_by_the_condition_and_defaults_the_counterexample_to_ours():
    assert confirmed_if(True, "a", "b").verdict == "confirmed"
    r = confirmed_if(False, "rho = 1.2", "rho < 1", k=3)
    assert (r.verdict, r.counterexample, r.details) == ("refuted", "rho = 1.2", {"k": 3})
    assert confirmed_if(False, "a", "b", counterexample="at eta = 2").counterexample == "at eta = 2"
    with pytest.warns(DeprecationWarning, match="confirmed_if"):
        assert verdict_of(False, "a", "b").verdict == "refuted"


def _check_that_raises(ctx):
    raise ZeroDivisionError("in a derivation")


def _check_that_asserts(ctx):
    assert ctx.scale == "full", "wrong scale"


def _check_that_returns_a_string(ctx):
    return "confirmed"


@pytest.mark.parametrize("check, what", [(_check_that_raises, "ZeroDivisionError: in a derivation"),
                                         (_check_that_asserts, "AssertionError: wrong scale"),
                                         (_check_that_returns_a_string, "TypeError")])
def test_a_check_that_crashes_gives_an_error_row_with_its_traceback(check, what):
    row = Claim("x.y", "cite", "statement", "math", check).run()
    assert row["verdict"] == ERROR and what in row["reason"] and "Traceback" in row["error"]
    assert row["id"] == "x.y" and row["seconds"] >= 0


def test_a_check_that_returns_keeps_its_evidence():
    row = Claim("x.ok", "cite", "s", "m", lambda ctx: confirmed_if(ctx.seed == 7, "7", "7", seed=ctx.seed),
                kind="numeric").run(CheckContext(seed=7))
    assert (row["verdict"], row["kind"], row["details"]) == ("confirmed", "numeric", {"seed": 7})
    assert "error" not in row


def test_the_summary_counts_errors_apart_from_verdicts():
    rows = [{"verdict": v} for v in ("confirmed", "confirmed", "refuted", ERROR)]
    counts = claims_summary(rows)
    assert counts == {"confirmed": 2, "refuted": 1, "inconclusive": 0, "error": 1}
    assert tuple(counts) == STATUSES and STATUSES[:3] == VERDICTS
    assert summary_text(counts).startswith("2 confirmed, 1 refuted, 0 inconclusive; 1 error")
    assert "error" not in summary_text(claims_summary(rows[:3]))


def test_the_check_context_validates_and_picks_by_scale():
    assert CheckContext(scale="default").pick(1, 2, 3) == 2 and CheckContext().quick
    with pytest.raises(ParameterError, match="'scale'"):
        CheckContext(scale="huge")
    with pytest.raises(ParameterError, match="'seed'"):
        CheckContext(seed=-1)


def test_cached_computes_once_and_recomputes_a_value_of_the_wrong_shape(tmp_path):
    from gametheory.io import ResultCache

    calls = []

    def compute():
        calls.append(1)
        return {"rho": 0.5}

    ctx = CheckContext(cache=ResultCache(tmp_path))
    assert ctx.cached("r", {"eta": 1}, compute) == {"rho": 0.5}
    assert ctx.cached("r", {"eta": 1}, compute) == {"rho": 0.5} and len(calls) == 1
    assert ctx.cached("r", {"eta": 1}, compute, valid=lambda v: "sigma" in v) == {"rho": 0.5} and len(calls) == 2
    assert CheckContext().cached("r", {}, compute) and len(calls) == 3  # no cache: always computed
