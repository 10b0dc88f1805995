"""Provenance: the code fingerprint follows the source, the environment names the machine and the versions."""
import json

from gametheory import provenance


def test_every_module_of_the_toolkit_is_found_once_by_its_import_name():
    mods = provenance.source_modules()
    for name in ("gametheory", "gametheory.spectral", "gametheory.sweep.engine", "gametheory.analyses.conditions",
                 "gametheory.figures.fig01_gda_spiral", "gametheory.paper_checks", "gametheory.report.parts"):
        assert name in mods and mods[name].suffix == ".py", name
    names = [n for n, _ in provenance.source_files()]
    assert len(names) == len(set(names))
    assert not any(n.startswith("gametheory/analyses/") for n in names)  # nested folders counted once


def test_the_code_version_changes_with_any_source_file(monkeypatch, tmp_path):
    before = provenance.code_version()
    assert before == provenance.code_version() and len(before) == 16
    name, path = provenance.source_files()[0]
    copy = tmp_path / "copy.py"
    copy.write_bytes(path.read_bytes() + b"\n# changed\n")
    real = provenance.source_files
    monkeypatch.setattr(provenance, "source_files", lambda: [(name, copy)] + real()[1:])
    assert provenance.code_version() != before


def test_the_environment_is_json_and_records_versions_and_the_machine():
    env = provenance.environment()
    assert json.loads(json.dumps(env)) == env
    assert env["packages"]["numpy"] and env["packages"]["sympy"] and env["cpu_count"] >= 1
    assert env["time_utc"].endswith("+00:00") and env["python"].count(".") == 2
