"""The API reference builds from the docstrings with warnings as errors, and lists every module."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gametheory.provenance import source_modules

ROOT = Path(__file__).resolve().parents[1]


def test_every_module_is_in_the_reference():
    text = (ROOT / "docs" / "api.rst").read_text() + (ROOT / "docs" / "cli.rst").read_text()
    missing = [m for m in sorted(set(source_modules()) - {"gametheory.__main__", "gametheory.commands"})
               if f".. automodule:: {m}\n" not in text]
    assert not missing, f"add these modules to docs/api.rst: {missing}"
    listed = re.findall(r"^\.\. automodule:: (\S+)$", text, flags=re.M)
    stale = [m for m in listed if m not in set(source_modules())]
    assert not stale, f"these modules are gone: remove them from docs/api.rst: {stale}"


@pytest.mark.slow
def test_sphinx_build_has_no_warnings(tmp_path):
    pytest.importorskip("sphinx", reason="the docs extra is not installed (pip install -e '.[docs]')")
    pytest.importorskip("numpydoc", reason="the docs extra is not installed (pip install -e '.[docs]')")
    out = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-q", "-b", "html",
                          str(ROOT / "docs"), str(tmp_path / "html")], capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-4000:]
    # numpydoc reports unknown docstring sections as Python warnings, which -W does not catch
    where = [re.search(r"docstring of \S+ in (\S+)", line) for line in out.stderr.splitlines() if "UserWarning" in line]
    ours = [m.group(1) for m in where if m and "site-packages" not in m.group(1)]
    assert not ours, ours
    assert (tmp_path / "html" / "api.html").stat().st_size > 100_000
