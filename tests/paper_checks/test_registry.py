"""The claim registry, results and the check command."""
import json

import pytest

from gametheory import cli
from gametheory.claims import Claim, Result, claims_summary
from gametheory.paper_checks import registry, run_checks, select
from gametheory.validation import ParameterError

REQUIRED_SOURCES = ("gidel2019_negative_momentum", "gidel2019_variational_inequality", "mescheder2017_numerics",
                    "glgd", "icr2019", "msv2020", "mescheder2018_dirac")


def test_registry_covers_every_source_with_citations():
    reg = registry()
    for src in REQUIRED_SOURCES:
        assert any(k.startswith(src + ".") for k in reg), src
    for cid, c in reg.items():
        assert isinstance(c, Claim) and cid == c.id
        assert c.citation and c.statement and c.math and callable(c.check)
        assert c.kind in ("exact", "numeric", "neural")


def test_select_by_prefix_and_unknown_id():
    assert {c.id for c in select(["icr2019"])} == {k for k in registry() if k.startswith("icr2019.")}
    with pytest.raises(ParameterError, match="only"):
        select(["no_such_claim"])


def test_result_requires_counterexample_and_reason():
    with pytest.raises(ParameterError):
        Result("refuted", "1", "2")
    with pytest.raises(ParameterError):
        Result("inconclusive", "1", "2")
    with pytest.raises(ParameterError):
        Result("maybe", "1", "2")


def _boom(ctx):
    raise RuntimeError("kaput")


def _failed_assert(ctx):  # an assert inside a derivation
    assert 1 + 1 == 3, "derivation went wrong"


CRASHING = [Claim("x.boom", "c", "s", "m", _boom), Claim("x.assert", "c", "s", "m", _failed_assert)]


def test_a_crashing_check_is_an_error_not_a_verdict():
    for c, what in zip(CRASHING, ("RuntimeError: kaput", "AssertionError: derivation went wrong")):
        row = c.run()
        assert row["verdict"] == "error" and what in row["reason"] and "Traceback" in row["error"]
    counts = claims_summary([c.run() for c in CRASHING] + [{"verdict": "inconclusive"}])
    assert counts == {"confirmed": 0, "refuted": 0, "inconclusive": 1, "error": 2}
    with pytest.raises(ParameterError):
        Result("error", "1", "2")  # a check cannot return "error": only a crash gives it


@pytest.fixture
def crashing_registry(monkeypatch):
    import gametheory.paper_checks as pc

    real = pc.registry()
    fake = {**{k: real[k] for k in ("glgd.equilibrium_losses",)}, **{c.id: c for c in CRASHING}}
    monkeypatch.setattr(pc, "registry", lambda: fake)
    return fake


def test_check_command_exits_1_when_a_check_raised(crashing_registry, capsys):
    assert cli.main(["check", "--only", "x", "glgd.equilibrium_losses"]) == 1
    cap = capsys.readouterr()
    assert "ERROR" in cap.out and "2 errors" in cap.out and "1 confirmed" in cap.out
    assert "x.boom" in cap.err and "x.assert" in cap.err
    assert cli.main(["check", "--only", "x.boom", "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["verdict"] == "error"
    assert cli.main(["check", "--only", "glgd.equilibrium_losses"]) == 0


def test_check_command_json(capsys):
    assert cli.main(["check", "--only", "icr2019.cgd_bilinear", "gidel2019_variational_inequality.omd_bilinear",
                     "--json", "--no-neural"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["icr2019.cgd_bilinear", "gidel2019_variational_inequality.omd_bilinear"]
    for r in rows:
        assert r["verdict"] == "confirmed"
        assert r["ours"] and r["published"] and r["citation"]


def test_check_command_table_and_bad_id(capsys):
    assert cli.main(["check", "--only", "glgd.equilibrium_losses"]) == 0
    out = capsys.readouterr().out
    assert "CONFIRMED" in out and "glgd.equilibrium_losses" in out and "1 claims" in out
    assert cli.main(["check", "--only", "nope"]) == 2


def test_neural_claims_inconclusive_when_disabled():
    rows = run_checks(["msv2020.gaussians4_modes", "glgd.neural_identity"], neural=False)
    assert all(r["verdict"] == "inconclusive" and "disabled" in r["reason"] for r in rows)
