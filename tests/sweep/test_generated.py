"""Generated kernels are written to the kernel cache once and compiled from there (numba's disk cache)."""
import sys

import numpy as np
import pytest

pytest.importorskip("numba")

from gametheory.sweep import generated  # noqa: E402

SRC = "def kernel(x, out):\n    for i in range(x.shape[0]):\n        out[i] = math.sqrt(x[i]) + {c}\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GAMETHEORY_KERNEL_CACHE", str(tmp_path / "kernels"))
    return tmp_path / "kernels"


def _run(kernel, x):
    out = np.empty_like(x)
    kernel(x, out)
    return out


def test_kernel_written_once_and_computes(cache):
    k = generated.compile_kernel(SRC.format(c=1.0))
    assert np.array_equal(_run(k, np.array([4.0, 9.0])), [3.0, 4.0])
    files = sorted(cache.glob("gametheory_kernel_*.py"))
    assert len(files) == 1 and "def kernel" in files[0].read_text()
    generated.compile_kernel(SRC.format(c=1.0))
    assert sorted(cache.glob("gametheory_kernel_*.py")) == files  # same source: same module
    k2 = generated.compile_kernel(SRC.format(c=2.0))
    assert len(list(cache.glob("gametheory_kernel_*.py"))) == 2
    assert np.array_equal(_run(k2, np.array([4.0])), [4.0])


def test_a_fresh_process_loads_the_compiled_code(cache):
    src = SRC.format(c=5.0)
    k = generated.compile_kernel(src)
    _run(k, np.array([1.0]))
    assert not k.stats.cache_hits  # compiled here, written to numba's cache
    # a fresh process: the module forgotten, a new dispatcher over the same file
    for name in [n for n in sys.modules if n.startswith("gametheory_kernel_")]:
        del sys.modules[name]
    k_again = generated.compile_kernel(src)
    assert np.array_equal(_run(k_again, np.array([1.0])), [6.0])
    assert sum(k_again.stats.cache_hits.values()) == 1 and not k_again.stats.cache_misses


def test_unwritable_cache_compiles_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("GAMETHEORY_KERNEL_CACHE", str(blocker / "kernels"))
    k = generated.compile_kernel(SRC.format(c=0.5))
    assert np.array_equal(_run(k, np.array([16.0])), [4.5])


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("GAMETHEORY_KERNEL_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert generated.kernel_cache_dir() == tmp_path / "gametheory" / "kernels"
