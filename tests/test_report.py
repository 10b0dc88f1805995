"""The one-command report: structure of index.html, results.json, resumability, exit status."""
import json
from html.parser import HTMLParser

import pytest

from gametheory import cli
from gametheory.report import build_report

CLAIMS = ["icr2019", "glgd.equilibrium_losses", "mescheder2018_dirac.wgan", "msv2020.gaussians4_modes"]


def _figure_ids():
    try:
        from gametheory import figures
        return [m.ID for m in figures.registry()][:1] or None
    except (ImportError, AttributeError):
        return None


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.tables, self.claim_rows, self.images, self.ids = [], [], [], [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "table":
            self.tables.append(a.get("id"))
        if tag == "tr" and a.get("class") == "claim":
            self.claim_rows.append((a.get("data-id"), a.get("data-verdict")))
        if tag == "img":
            self.images.append(a.get("src"))
        if tag not in ("br", "img", "meta", "link", "input", "hr", "col", "wbr", "source"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> (open: {self.stack[-3:]})"
        self.stack.pop()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    first = build_report(out, scale="quick", neural=False, progress=False, claim_ids=CLAIMS,
                         figure_ids=_figure_ids())
    return out, first


def test_files_written(report):
    out, first = report
    for name in ("index.html", "report.md", "results.json"):
        assert (out / name).stat().st_size > 0
    assert not list(out.glob(".*.tmp")), "atomic writes leave no temporary files"
    res = json.loads((out / "results.json").read_text())
    assert res["scale"] == "quick" and res["seed"] == 0 and res["neural_enabled"] is False
    assert res["environment"]["packages"]["sympy"] and res["environment"]["cpu_count"]
    assert set(res["timing"]) == {"analyses", "figures", "neural", "theory", "claims"}
    for part in ("neural", "theory"):
        assert res["parts"][part]["status"] == "not available"
        assert "disabled" in res["parts"][part]["reason"]


def test_html_structure(report):
    out, first = report
    page = _Page()
    page.feed((out / "index.html").read_text())
    page.close()
    assert not [t for t in page.stack if t not in ("html", "body")], page.stack
    assert "claims-table" in page.tables
    rows = first["parts"]["claims"]["value"]["claims"]
    assert [r for r, _ in page.claim_rows] == [r["id"] for r in rows]
    from gametheory.paper_checks import select

    assert len(rows) == len(select(["icr2019"])) + 3  # the icr2019 module + 3 single claims
    assert all(v in ("confirmed", "refuted", "inconclusive") for _, v in page.claim_rows)
    for src in page.images:
        assert (out / src).exists(), src
    for part in ("analyses", "figures"):
        if first["parts"][part]["status"] == "done" and part == "figures":
            assert page.images, "figures were generated but none is shown"
    md = (out / "report.md").read_text()
    row = next(line for line in md.splitlines() if "`icr2019.cgd_bilinear`" in line)
    assert "| **confirmed** |" in row and "source: Sch" in row


def test_rerun_reuses_finished_parts(report):
    out, first = report
    second = build_report(out, scale="quick", neural=False, progress=False, claim_ids=CLAIMS,
                          figure_ids=_figure_ids())
    claims = second["parts"]["claims"]
    if second["code_fingerprint"] != first["code_fingerprint"]:
        pytest.skip("the source code changed between the two runs (files edited while testing)")
    assert claims["value"]["reused"] == len(claims["value"]["claims"]) and claims["cached"]
    assert [r["verdict"] for r in claims["value"]["claims"]] == \
        [r["verdict"] for r in first["parts"]["claims"]["value"]["claims"]]
    for part in ("analyses", "figures"):
        if first["parts"][part]["status"] == "done":
            assert second["parts"][part]["cached"], part
    # a different scale is a different key: nothing reused
    third = build_report(out, scale="default", neural=False, progress=False, parts=["claims"],
                         claim_ids=["glgd.equilibrium_losses"])
    assert third["parts"]["claims"]["value"]["reused"] == 0


def test_reproduce_command_exit_status(tmp_path, capsys):
    out = tmp_path / "r"
    assert cli.main(["reproduce", "--quick", "--no-neural", "--no-progress", "--parts", "claims",
                     "--only", "glgd.equilibrium_losses", "--out", str(out)]) == 0
    assert "report written" in capsys.readouterr().out
    assert (out / "index.html").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["reproduce", "--quick", "--no-progress", "--parts", "claims", "--out", str(blocker)]) == 2
    assert "out" in capsys.readouterr().err
    bad = ["reproduce", "--quick", "--no-progress", "--only", "no_such_claim", "--out", str(tmp_path / "b")]
    assert cli.main(bad) == 2
    assert "no_such_claim" in capsys.readouterr().err and not (tmp_path / "b").exists()


def test_without_torch_the_report_says_torch_is_not_installed(monkeypatch):
    import importlib.util

    from gametheory.claims import CheckContext
    from gametheory.report import parts

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    _, why = parts.PART_FUNCS["neural"]({"neural": False})
    assert "Torch is not installed" in why
    assert "Torch is not installed" in CheckContext(neural=False).neural_unavailable()
    monkeypatch.setattr(importlib.util, "find_spec", real)
    assert "disabled" in CheckContext(neural=False).neural_unavailable()


def test_theory_section_renders_from_a_part(tmp_path):
    """The 'Theory vs neural GANs' section from a finished part (values as the part writes them)."""
    from gametheory.report.sections import SECTIONS, theory_neural

    assert theory_neural in SECTIONS
    value = {"equilibrium": {"n_params": 75, "grad_norm": 1e-16, "relative_grad_norm": 1e-15, "kind": "local Nash",
                             "kernel": {"treated_as_kernel": 70, "exact": {"dim": 61}, "slow_modes": 9}},
             "grid": {"summary": {"n_points": 6, "agreement_rate": 1.0, "exponent_within_10pct_rate": 1.0,
                                  "clearly_converging": 2}},
             "steps": 80, "eta": 0.65, "table_agreement": 1.0, "figures": ["figures/theory_momentum_rates.png"],
             "table": [{"method": "gd", "order": "simultaneous", "params": {"eta": 0.65}, "path": "closed form",
                        "predicted_rho": 1.07, "measured_rho": 1.07, "predicted_verdict": "diverges",
                        "measured_verdict": "diverges", "agree": True, "reason": None}]}
    results = {"parts": {"theory": {"status": "done", "value": value}}}
    md = theory_neural.markdown(results)
    assert "## Theory vs neural GANs" in md and "| gd | simultaneous |" in md and "verdicts agree on 100%" in md
    html = theory_neural.html(results)
    assert 'id="theory-neural"' in html and "theory_momentum_rates.png" in html
    assert "not run" in theory_neural.markdown({"parts": {}})
