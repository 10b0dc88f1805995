"""The derived convergence table, its renderers, the paper comparisons and the CLI."""
import json

import pytest
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


# ---- every comparison's verdict pinned; a wrong threshold is caught by each exact route -----------------------
PINNED = {
    "Jacobi GD diverges for every step size (A != 0)": ("agrees", "derived"),
    "Gauss-Seidel GD never converges; it stays bounded iff 0 < eta*sigma_max < 2": ("agrees", "derived"),
    "Jacobi EG (equal steps) converges iff 0 < eta*sigma_i < 1 for all i": ("agrees", "derived"),
    "Jacobi OGD (alpha = 2 beta = 2 eta) converges iff 0 < eta*sigma_i < 1/sqrt(3)": ("agrees", "derived"),
    "Gauss-Seidel OGD (alpha = 2 beta = 2 eta) converges iff 0 < eta*sigma_i < 2/3": ("agrees", "derived"),
    "Jacobi (simultaneous) heavy-ball momentum is unbounded for every eta > 0 and beta in R":
        ("disagrees at the boundary beta = -1", "published (slides)"),
    "Gauss-Seidel heavy ball converges for some step size iff beta < 0; beta = 0 is bounded; beta > 0 is unbounded":
        ("agrees", "published (slides)"),
}


def test_every_comparison_verdict_is_pinned_and_labelled_by_its_source():
    comp = comparisons()
    got = {c["claim"]: (c["verdict"], c["source"]) for c in comp["zhang_yu"]}
    assert got == PINNED
    for c in comp["zhang_yu"]:
        if c["source"] == "derived":   # the paper's text is not at hand: never presented as published
            assert c["published"].startswith("the toolkit's own derivation") and "not available" in c["published"]
            assert "reconstructed" not in c["published"] and "memory" not in c["published"]
        else:
            assert "Momentum on games" in c["published"]
    assert comp["mescheder2017"][0]["verdict"] == "agrees" and comp["mescheder2017"][0]["source"] == "derived"


@pytest.mark.parametrize("method, wrong", [
    (gt.methods.get("ogd"), sp.Rational(1, 2)),           # 1/2 < 1/sqrt(3): the sample points catch it
    (gt.methods.get("ogd", order="alternating"), sp.Rational(7, 10)),
    (gt.methods.get("eg"), sp.Rational(21, 20)),
    (gt.methods.get("ogd", order="alternating"), sp.Rational(2, 3) + sp.Rational(1, 10**6)),   # only Schur-Cohn
])
def test_a_wrong_threshold_is_refused(method, wrong):
    from gametheory.analyses.tables import _derived_row

    row = _derived_row(method, "wrong", converges_upto=wrong)
    assert row["verdict"] == "disagrees" and row["counterexample"]


def test_schur_cohn_route_gives_the_hand_derived_sets():
    from gametheory.analyses.tables import _schur_cohn_set

    assert _schur_cohn_set(gt.methods.get("ogd", order="alternating")) == [(0, sp.Rational(2, 3))]
    assert _schur_cohn_set(gt.methods.get("gd", order="alternating")) == []
    (a, b), = _schur_cohn_set(gt.methods.get("ogd"))
    assert a == 0 and sp.simplify(b - 1 / sp.sqrt(3)) == 0
