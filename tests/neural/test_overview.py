"""The report's theory overview: the (eta, beta) grid and the per-method table, predicted beside measured."""
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.overview import QUICK_METHODS, theory_overview  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402


def test_the_quick_overview_predicts_and_measures_every_point():
    r = theory_overview("quick", seed=0)
    grid = r["grid"]
    assert grid["summary"]["n_points"] == len(grid["points"]) == 2 * 3  # 2 step sizes x 3 momenta
    assert {(t["method"], t["order"]) for t in r["table"]} == QUICK_METHODS
    for row in r["table"]:
        assert row["predicted_rho"] > 0 and row["measured_rho"] > 0 and row["agree"] in (True, False)
    # the agreement is computed from the rows, not asserted: it equals their mean
    assert r["table_agreement"] == sum(t["agree"] for t in r["table"]) / len(r["table"])
    # negative momentum is the only one of the three momenta predicted to converge at the smaller step
    small = [p for p in grid["points"] if p["params"]["eta"] == min(q["params"]["eta"] for q in grid["points"])]
    assert {p["params"]["beta"]: p["predicted_verdict"] for p in small}[-0.2] == "converges"
    with pytest.raises(ParameterError, match="'scale'"):
        theory_overview("huge")
