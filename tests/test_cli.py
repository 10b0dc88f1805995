"""The command line: analyze, and clear errors."""
import json
import subprocess
import sys

import pytest

from gametheory.cli import main


def test_analyze_json(capsys):
    assert main(["analyze", "bilinear", "momentum", "--order", "alternating", "eta=1/2", "beta=-1/5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "converges" and out["state"] == ["x1", "y1", "x1_prev", "y1_prev"]
    assert 0.96 < out["radius_float"] < 0.98


def test_analyze_bad_method_exits_2_with_message(capsys):
    assert main(["analyze", "bilinear", "heavyball"]) == 2
    assert "'method'" in capsys.readouterr().err


def test_console_script_runs_as_module():
    out = subprocess.run([sys.executable, "-m", "gametheory", "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "analyze" in out.stdout


def test_import_does_not_import_torch():
    code = "import sys, gametheory; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False"


def test_predict_command(tmp_path, capsys):
    pytest.importorskip("torch")
    from gametheory.cli import main

    out = tmp_path / "p.json"
    rc = main(["predict", "gaussians4", "gd", "eta=0.5,4", "--loss", "minimax", "--layout", "clean", "--batch", "4",
               "--steps", "60", "--json", str(out), "--no-progress"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "verdicts agree" in text and "eta=4: predicted" in text
    import json

    data = json.loads(out.read_text())
    assert {"equilibrium", "eigenvalues", "points", "settings"} <= set(data)
    assert [p["params"]["eta"] for p in data["points"]] == [0.5, 4.0]


@pytest.mark.parametrize("argv,needle", [(["predict", "gaussians4", "gd", "eta=a"], "'eta'"),
                                         (["predict", "gaussians4", "gd", "alpha=1"], "'alpha'"),
                                         (["predict", "nowhere", "gd", "eta=1"], "'data'"),
                                         (["predict", "gaussians4", "gd", "eta=1", "--scale", "huge"], "'scale'")])
def test_predict_bad_input(argv, needle, capsys):
    pytest.importorskip("torch")
    from gametheory.cli import main

    assert main(argv + ["--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]
