"""The command line: analyze, and clear errors."""
import json
import subprocess
import sys

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
