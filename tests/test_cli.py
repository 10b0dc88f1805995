"""The command line: analyze, and clear errors."""
import json
import subprocess
import sys
import time

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
    from gametheory.cli import build_parser

    for name in build_parser()._subparsers._group_actions[0].choices:
        assert main([name, "--help"]) == 0
        text = capsys.readouterr().out
        assert "``" not in text and not any(r in text for r in (":func:", ":mod:", ":class:", ":meth:")), name
    assert main(["analyze", "--help"]) == 0
    assert 'gametheory analyze "x**2*y - y**2" gd eta=1/10' in capsys.readouterr().out  # examples kept as typed


# ---- inputs that cannot hurt: every command answers bad input in one line, exit status 2, before working -----
def _one_line_2(capsys, argv, word):
    t0 = time.perf_counter()
    assert main(argv) == 2, argv
    assert time.perf_counter() - t0 < 5.0, argv   # refused before any work
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and word in err, err
    return err


@pytest.fixture
def blocked(tmp_path):
    """A path below an existing file: no folder can be created there (also as root)."""
    (tmp_path / "file").write_text("x")
    return tmp_path / "file" / "sub"


@pytest.mark.parametrize("argv, word", [
    (["reproduce", "--quick", "--no-progress", "--out", "{blocked}"], "'out'"),
    (["figures", "--quiet", "--out", "{blocked}"], "'out'"),
    (["gan", "--iters", "1", "--json", "{blocked}/gan.json"], "'json'"),
    (["gan", "--iters", "1", "--out", "{blocked}"], "'out'"),
    (["glgd", "--steps", "0,1", "--json", "{blocked}/g.json"], "'json'"),
])
def test_unwritable_output_paths_are_refused_before_the_work_starts(argv, word, blocked, capsys):
    _one_line_2(capsys, [a.replace("{blocked}", str(blocked)) for a in argv], word)


def test_an_existing_folder_is_not_a_json_file(tmp_path, capsys):
    _one_line_2(capsys, ["glgd", "--steps", "0,1", "--json", str(tmp_path)], "'json'")


@pytest.mark.parametrize("argv, word", [
    (["analyze", "bilinear", "n_inner", "n=abc", "eta=1/2"], "'n'"),
    (["analyze", "bilinear", "n_inner", "n=1/2", "eta=1/2"], "'n'"),
    (["analyze", "bilinear", "n_inner", "n=1000000", "eta=1/2"], "'n'"),
    (["analyze", "bilinear", "gd", "eta=1e999999999"], "'eta'"),
    (["gan", "--seeds", "1/2"], "--seeds"),
    (["gan", "--seeds", "two"], "--seeds"),
    (["gan", "--seeds", str(10**9), "--iters", "1"], "'seeds'"),
    (["gan", "--workers", "0", "--iters", "1"], "'workers'"),
    (["gan", "--iters", str(10**12)], "'iters'"),
    (["figures", "--dpi", "100000", "--quiet"], "'dpi'"),
    (["figures", "--dpi", "1.5"], "--dpi"),
    (["glgd", "--steps", "0,1000000000"], "'steps'"),
    (["glgd", "--steps", "0,1/2"], "'steps'"),
    (["check", "--seed", "-1", "--only", "glgd.equilibrium_losses"], "'seed'"),
    (["reproduce", "--seed", "-1", "--quick"], "'seed'"),
    (["table", "bilinear", "--bogus"], "unrecognized"),
])
def test_bad_parameters_get_one_line_and_exit_2(argv, word, capsys, tmp_path, monkeypatch):
    pytest.importorskip("torch") if argv[0] in ("gan", "glgd") else None
    monkeypatch.chdir(tmp_path)   # nothing may be written anyway
    _one_line_2(capsys, argv, word)
    assert not list(tmp_path.iterdir()), "a refused command wrote something"


@pytest.mark.slow
def test_a_closed_pipe_is_not_a_traceback():
    """``gametheory figures --list | head -1``, with the reader gone before the first write (no race)."""
    code = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1)\n"
            "from gametheory.cli import main; sys.exit(main(['figures', '--list']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, out.stderr
    piped = subprocess.run(f"'{sys.executable}' -m gametheory figures --list | head -1", shell=True,
                           capture_output=True, text=True, timeout=120)
    assert piped.stdout.startswith("fig01") and "Traceback" not in piped.stderr


@pytest.mark.slow
def test_sigterm_interrupts_cleanly(tmp_path):
    """``kill`` / ``timeout`` end a command like Ctrl-C: exit 130 with a message, no temporary files."""
    import signal

    pytest.importorskip("torch")
    p = subprocess.Popen([sys.executable, "-m", "gametheory", "gan", "--scale", "tiny", "--seeds", "1", "--workers",
                          "1", "--iters", "1000000", "--no-progress", "--out", str(tmp_path / "g")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    time.sleep(8)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert not list(tmp_path.rglob("*.tmp"))
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


def test_table_prints_the_derived_table_as_json_markdown_and_latex(capsys):
    assert main(["table", "bilinear", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    alt = {r["beta_sign"]: (r["bounded"], r["converges"]) for r in rows
           if r["method"] == "momentum" and r["order"] == "alternating"}
    assert alt == {"<0": (True, True), "=0": (True, False), ">0": (False, False)}  # the slides' table, derived
    assert {(r["method"], r["order"]) for r in rows if r["converges"]} >= {("eg", "simultaneous"),
                                                                          ("ogd", "simultaneous")}
    assert main(["table", "bilinear"]) == 0
    assert capsys.readouterr().out.startswith("| method | order | beta |")
    assert main(["table", "bilinear", "--latex"]) == 0
    assert capsys.readouterr().out.startswith("\\begin{tabular}")
    assert main(["table", "quadratic"]) == 2
