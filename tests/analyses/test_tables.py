"""The derived convergence table, its renderers, the paper comparisons and the CLI."""
import json

import sympy as sp

import gametheory as gt
from gametheory.analyses.tables import bilinear_table, comparisons, report_data, slides_table, to_latex, to_markdown
from gametheory.cli import main
from gametheory.io import to_json

KEYS = {"method", "order", "beta_sign", "bounded", "converges", "condition", "complete", "undecided"}


def test_records_cover_the_registry_with_the_exact_schema():
    rows = bilinear_table()
    assert all(set(r) == KEYS for r in rows)
    assert all(isinstance(r["bounded"], bool) and isinstance(r["converges"], bool) for r in rows)
    assert all(r["beta_sign"] in ("<0", "=0", ">0", None) for r in rows)
    pairs = {(r["method"], r["order"]) for r in rows}
    assert pairs == {(m.name, m.order) for m in gt.methods.registry()}
    assert all(not r["converges"] or r["bounded"] for r in rows)  # converging implies bounded
    mom = [r for r in rows if r["method"] == "momentum"]
    assert len(mom) == 6


def test_slides_rows():
    rows = slides_table()
    alt = {r["beta"]: (r["bounded"], r["converges"]) for r in rows if r["order"] == "alternating"}
    assert alt == {">0": (False, False), "=0": (True, False), "<0": (True, True)}
    sim = [r for r in rows if r["order"] == "simultaneous"][0]
    assert sim["converges"] is False


def test_renderers():
    rows = bilinear_table()
    md = to_markdown(rows)
    assert md.startswith("| method | order | beta | bounded | converges |") and md.count("\n") == len(rows) + 2
    tex = to_latex(rows)
    assert tex.startswith("\\begin{tabular}") and tex.count("\\\\") == len(rows) + 1


def test_comparisons_have_verdicts_and_the_leapfrog_counterexample_is_real():
    comp = comparisons()
    for item in comp["zhang_yu"] + comp["mescheder2017"]:
        assert {"claim", "ours", "published", "verdict", "counterexample"} <= set(item)
    assert comp["mescheder2017"][0]["verdict"] == "agrees"
    mom = [c for c in comp["zhang_yu"] if "Jacobi (simultaneous) heavy-ball" in c["claim"]][0]
    ce = mom["counterexample"]
    assert ce is not None and ce["beta"] == "-1"
    # simulate the counterexample: simultaneous momentum with beta = -1 neither blows up nor converges
    g, m = gt.games.bilinear([[1]]), gt.methods.get("momentum")
    r = gt.simulate(g, m, [1.0, 0.5], 5000, eta=float(sp.Rational(ce["eta"])), beta=-1.0)
    d = r.distance((0, 0))
    assert not r.diverged and d.max() < 10 * d[0] and d[-1] > 0.05 * d[0]


def test_report_data_is_json_able():
    data = report_data(quick=True)
    json.loads(to_json(data))
    assert {"table", "comparisons", "optimal"} <= set(data)


def test_cli_json(capsys):
    assert main(["table", "bilinear", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(set(r) == KEYS for r in rows)
    assert main(["table", "nope"]) == 2
    assert main(["table", "bilinear"]) == 0
    assert "| momentum | alternating | <0 | ✓ | ✓ |" in capsys.readouterr().out
