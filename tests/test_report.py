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
    # the parts that ran must have run: a part that raised is an error, not a pass
    for part in ("analyses", "figures", "claims"):
        assert res["parts"][part]["status"] == "done", (part, res["parts"][part].get("error"))
    analyses = res["parts"]["analyses"]["value"]["data"]
    assert analyses["table"] and analyses["comparisons"]["zhang_yu"] and analyses["optimal"]
    figs = res["parts"]["figures"]["value"]["figures"]
    assert [f["id"] for f in figs] == _figure_ids() and all((out / f).exists() for g in figs for f in g["files"])


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


def test_reproduce_command_exit_status(report, tmp_path, capsys):
    out, first = report   # every part, through the command (the analyses reuse the fixture's cache: CI time)
    (out / "index.html").unlink()
    assert cli.main(["reproduce", "--quick", "--no-neural", "--no-progress", "--figures", "fig01",
                     "--only", *CLAIMS, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "report written" in printed and "confirmed" in printed
    res = json.loads((out / "results.json").read_text())
    assert {k: v["status"] for k, v in res["parts"].items()} == {
        "analyses": "done", "figures": "done", "neural": "not available", "theory": "not available", "claims": "done"}
    assert [f["id"] for f in res["parts"]["figures"]["value"]["figures"]] == ["fig01"]
    assert (out / "index.html").exists() and (out / "figures" / "fig01_gda_spiral.png").exists()
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
def test_a_crashing_check_completes_the_report_in_red_and_fails_reproduce(tmp_path, monkeypatch, capsys):
    import gametheory.paper_checks as pc
    from gametheory.claims import Claim
    from gametheory.report.markup import VERDICT_COLORS

    def boom(ctx):
        raise ZeroDivisionError("inside a derivation")

    real = pc.registry()
    monkeypatch.setattr(pc, "registry", lambda: {"glgd.equilibrium_losses": real["glgd.equilibrium_losses"],
                                                 "x.boom": Claim("x.boom", "c", "s", "m", boom)})
    out = tmp_path / "r"
    assert cli.main(["reproduce", "--quick", "--no-neural", "--no-progress", "--parts", "claims",
                     "--out", str(out)]) == 1
    cap = capsys.readouterr()
    assert "1 error" in cap.out and "raised" in cap.err
    res = json.loads((out / "results.json").read_text())
    assert res["claims_summary"] == {"confirmed": 1, "refuted": 0, "inconclusive": 0, "error": 1}
    page = (out / "index.html").read_text()
    assert 'data-verdict="error"' in page and VERDICT_COLORS["error"] in page and "ZeroDivisionError" in page
    assert "1 error" in (out / "report.md").read_text()


def _numbers(obj, path=""):
    """Every leaf of a results tree except timings and cache flags (which differ between runs by design)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in ("seconds", "cached", "reused", "wall_seconds", "timing", "environment"):
                yield from _numbers(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _numbers(v, f"{path}[{i}]")
    else:
        yield path, obj


@pytest.mark.slow
def test_a_resumed_report_equals_an_uninterrupted_one_number_for_number(tmp_path):
    """The neural part runs (and is cached) first, the rest after a restart: no number may change.

    Each run starts with the same thread count, as a fresh process would; nothing a part does to the
    process (Torch's thread count) may leak into the next part's numbers.
    """
    torch = pytest.importorskip("torch")
    ids = ["glgd.neural_identity", "msv2020.gaussians4_modes", "glgd.equilibrium_losses"]
    kw = dict(scale="quick", neural=True, progress=False, claim_ids=ids, parts=["neural", "claims"])
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        whole = build_report(tmp_path / "whole", **kw)
        assert torch.get_num_threads() == 2, "a part left Torch's thread count changed"
        build_report(tmp_path / "resumed", **{**kw, "parts": ["neural"]})     # interrupted after this part
        torch.set_num_threads(2)                                              # a fresh process
        resumed = build_report(tmp_path / "resumed", **kw)
    finally:
        torch.set_num_threads(before)
    a, b = dict(_numbers(whole["parts"])), dict(_numbers(resumed["parts"]))
    assert a.keys() == b.keys()
    differ = [(k, a[k], b[k]) for k in a if a[k] != b[k]]
    assert not differ, differ[:5]
    assert any(isinstance(v, float) for v in a.values())


def test_a_wrong_shaped_cache_is_recomputed_and_a_complete_report_never_replaced_by_a_partial_one(tmp_path):
    from gametheory.io import ResultCache

    out = tmp_path / "r"
    kw = dict(scale="quick", neural=False, progress=False, claim_ids=["glgd.equilibrium_losses"], figure_ids=["fig01"],
              parts=["figures", "claims"])
    first = build_report(out, **kw)
    assert first["complete"] is True
    cache = ResultCache(out / "cache")
    for f in (out / "cache").glob("*.json"):        # valid JSON of another structure in every entry
        f.write_text(json.dumps({"name": "x", "params": {}, "value": [1, 2, 3]}))
    entry = next((out / "cache").glob("part-figures-*.json"))
    entry.write_text(json.dumps({"name": "part-figures", "params": {"figure_ids": ["fig01"]},
                                 "value": {"figures": "broken"}}))
    assert cache.get("part-figures", {"figure_ids": ["fig01"]}) == {"figures": "broken"}

    seen = []                                        # results.json as it stands after each part of the rerun
    import gametheory.report as rep

    real = rep.run_part

    def spy(name, ctx):
        seen.append(json.loads((out / "results.json").read_text()))
        return real(name, ctx)

    rep.run_part = spy
    try:
        second = build_report(out, **kw)
    finally:
        rep.run_part = real
    assert all(s["complete"] is True and set(s["parts"]) == {"figures", "claims"} for s in seen)
    assert {k: v["status"] for k, v in second["parts"].items()} == {"figures": "done", "claims": "done"}
    assert not second["parts"]["figures"]["cached"] and second["parts"]["claims"]["value"]["reused"] == 0
    assert second["claims_summary"]["confirmed"] == 1 and not (out / "results.partial.json").exists()


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
