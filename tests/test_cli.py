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


def test_analyze_own_expression_says_undecided_and_what_it_defaulted(capsys):
    assert main(["analyze", "x**2*y - y**2", "gd", "eta=1/10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "undecided" and out["linear_verdict"] == "bounded"
    assert out["decided_by_linearisation"] is False and "non-hyperbolic" in out["note"]
    assert out["defaulted"] == {"order": "simultaneous"}
    assert main(["analyze", "bilinear", "momentum", "--order", "alternating", "eta=1/2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["defaulted"] == {"beta": "0"} and out["verdict"] == "bounded"
    assert main(["analyze", "bilinear", "momentum", "--order", "alternating", "eta=1/2"]) == 0
    assert "defaulted: beta = 0" in capsys.readouterr().out


def test_analyze_general_sum_matrix_and_several_variables(capsys):
    assert main(["analyze", "--lx", "x**2/2 + 2*x*y", "--ly", "y**2/2 - x*y", "gd", "eta=1/5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["radius"] == "3*sqrt(2)/5" and out["verdict"] == "converges"
    assert main(["analyze", "--matrix", "[[1, 2], [0, 1]]", "gd", "--order", "alternating", "eta=1/2",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["game"] == "bilinear 2x2" and out["verdict"] == "bounded"
    assert main(["analyze", "x1*y1 + x2*y2 + x1**2", "eg", "--x", "x1 x2", "--y", "y1 y2", "eta=1/4",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["state"] == ["x1", "x2", "y1", "y2"] and out["radius"] == "sqrt(241)/16"


def test_analyze_bad_game_and_matrix_exit_2(capsys):
    assert main(["analyze", "bilinaer", "gd", "eta=1"]) == 2
    assert "'game'" in capsys.readouterr().err
    assert main(["analyze", "--matrix", "[[1, 2], [0]]", "gd", "eta=1"]) == 2
    assert "'matrix'" in capsys.readouterr().err
    assert main(["analyze", "--matrix", "__import__('os')", "gd", "eta=1"]) == 2
    assert main(["analyze", "--lx", "x*y", "gd", "eta=1"]) == 2
    assert "--ly" in capsys.readouterr().err


def test_check_labels_are_followed_by_a_space(capsys):
    assert main(["check", "--only", "gidel2019_negative_momentum.table_simultaneous_any_beta"]) == 0
    out = capsys.readouterr().out
    assert "counterexample: beta" in out and "counterexample:beta" not in out
    assert "at the quick scale" in out and "reproduce uses the default scale" in out


def test_command_help_is_plain_text(capsys):
    import pytest

    from gametheory.cli import build_parser

    for name in build_parser()._subparsers._group_actions[0].choices:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        text = capsys.readouterr().out
        assert "``" not in text and not any(r in text for r in (":func:", ":mod:", ":class:", ":meth:")), name
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    assert 'gametheory analyze "x**2*y - y**2" gd eta=1/10' in capsys.readouterr().out  # examples kept as typed


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
