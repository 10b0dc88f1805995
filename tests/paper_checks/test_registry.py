"""The claim registry, results and the check command."""
import json

import pytest

from gametheory import cli
from gametheory.claims import Claim, Result
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


def test_crashing_check_is_reported_not_raised():
    def boom(ctx):
        raise RuntimeError("kaput")

    row = Claim("x.y", "c", "s", "m", boom).run()
    assert row["verdict"] == "inconclusive" and "kaput" in row["reason"] and "error" in row


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
