"""The neural claims: registered per source with real citations, honest when Torch or the neural part is missing."""
import sys

import pytest

from gametheory.claims import CheckContext
from gametheory.paper_checks import registry, run_checks

NEW = ["gidel2019_negative_momentum.neural_negative_momentum", "gidel2019_negative_momentum.neural_best_beta",
       "mescheder2017_numerics.neural_imaginary_eigenvalues", "mescheder2017_numerics.neural_consensus_shift",
       "mescheder2018_dirac.neural_r1", "gidel2019_variational_inequality.neural_wgan_local",
       "icr2019.neural_discriminator_alone", "icr2019.neural_cgd_longer", "icr2019.neural_relative_speed",
       "msv2020.digits01_both_digits", "mescheder2017_numerics.neural_ring_modes",
       "gidel2019_variational_inequality.neural_wgan_training"]


def test_at_least_eight_neural_claims_across_five_sources():
    reg = registry()
    assert all(reg[i].kind == "neural" for i in NEW)
    assert len({i.split(".")[0] for i in NEW}) >= 5
    for i in NEW:
        c = reg[i]
        assert "seed 0" not in c.citation and "reference-settings" not in c.citation
        assert any(y in c.citation for y in ("2017", "2018", "2019", "2020")), c.citation


def test_inconclusive_with_a_reason_when_the_neural_part_is_off():
    rows = run_checks(NEW, neural=False)
    for r in rows:
        assert r["verdict"] == "inconclusive" and "disabled" in r["reason"], r["id"]


@pytest.fixture
def no_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # "import torch" raises ImportError


def test_unavailable_without_torch(no_torch):
    from gametheory.paper_checks._neural import unavailable

    res = unavailable(CheckContext(neural=True), "published")
    assert res.verdict == "inconclusive" and "Torch is not installed" in res.reason


def test_untestable_seeds_are_left_out_and_named():
    from gametheory.paper_checks._neural import from_seeds, testable_seeds, too_slow

    rows = [{"seed": s, "holds": True, "testable": True} for s in range(5)]
    rows += [{"seed": 5, "holds": False, "testable": False}]
    kept, note = testable_seeds(rows, too_slow(300))
    assert [r["seed"] for r in kept] == [0, 1, 2, 3, 4] and "seeds [5]" in note and "1/300" in note
    assert from_seeds([r["holds"] for r in kept], "x" + note, "p", "cx").verdict == "confirmed"
    # counted as a failure, the same seed would leave the claim undecided (5 of 6)
    assert from_seeds([r["holds"] for r in rows], "x", "p", "cx").verdict == "inconclusive"
    # rows without the flag are all kept
    assert testable_seeds([{"seed": 0, "holds": True}], "x") == ([{"seed": 0, "holds": True}], "")
