"""Every script in examples/ runs to the end (in a fresh folder, as a user would run it)."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))
NEEDS_TORCH = {"train_small_gan.py"}


def test_the_first_hour_is_covered():
    names = {p.name for p in EXAMPLES}
    assert {"analyse_my_game.py", "stability_region.py", "optimal_hyperparameters.py", "check_a_claim.py",
            "train_small_gan.py"} <= names


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    if script.name in NEEDS_TORCH and importlib.util.find_spec("torch") is None:
        pytest.skip("needs PyTorch")
    out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip()
    if script.name == "stability_region.py":
        assert (tmp_path / "out" / "examples" / "momentum_region.png").stat().st_size > 1000
    if script.name == "analyse_my_game.py":
        assert "verdict 'undecided'" in out.stdout
