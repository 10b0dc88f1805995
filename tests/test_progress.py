"""Progress bars name their step and weight it by the seconds it took last time."""
from gametheory.paper_checks import run_checks
from gametheory.progress import StepProgress, Timings


def test_weights_come_from_the_last_run_and_unknown_steps_count_as_the_median(tmp_path):
    t = Timings(tmp_path / "timings.json")
    for key, s in (("a", 1.0), ("b", 3.0), ("c", 100.0)):
        t.record("quick/" + key, s)
    bar = StepProgress(["a", "b", "c", "new"], timings=Timings(tmp_path / "timings.json"), prefix="quick/",
                       enabled=False)
    assert bar.weights == [1.0, 3.0, 100.0, 3.0]
    assert StepProgress(["a"], timings=t, prefix="full/", enabled=False).weights == [1.0]  # nothing known: 1 each


def test_cached_steps_leave_the_total_and_are_not_recorded(tmp_path):
    t = Timings(tmp_path / "timings.json")
    t.record("a", 5.0)
    t.record("b", 5.0)
    bar = StepProgress(["a", "b"], timings=t, enabled=True)
    bar.begin("a")
    bar.end("a", cached=True)
    assert bar.bar.total == 5.0 and t.expected("a") == 5.0
    bar.begin("b")
    bar.end("b", seconds=2.0)
    bar.close()
    assert bar.bar.n == 5.0 and t.expected("b") == 2.0


def test_a_damaged_timings_file_only_costs_the_eta(tmp_path):
    (tmp_path / "timings.json").write_text("{not json")
    assert Timings(tmp_path / "timings.json").expected("a") is None


def test_the_claims_bar_names_the_claim_being_checked(capsys):
    run_checks(["glgd.kl_jsd_identity", "glgd.equilibrium_losses"], progress=True)
    err = capsys.readouterr().err
    assert "glgd.kl_jsd_identity" in err and "2/2 glgd.equilibrium_losses" in err
