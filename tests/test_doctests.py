"""Every example in every docstring of the toolkit runs and gives what it shows.

The modules are collected from the package itself (the same file list that
:func:`gametheory.provenance.code_version` hashes), so a new module's
examples run without editing this file. Modules that need Torch are skipped
when it is not installed.
"""
import doctest
import importlib
import importlib.util

import pytest

from gametheory.provenance import source_modules

MODULES = sorted(set(source_modules()) - {"gametheory.__main__"})
HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_NUMBA = importlib.util.find_spec("numba") is not None
NEEDS_NUMBA = {"gametheory.sweep.generated"}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name.startswith("gametheory.neural") and not HAS_TORCH:
        pytest.skip("needs PyTorch")
    if name in NEEDS_NUMBA and not HAS_NUMBA:
        pytest.skip("needs numba (the extra 'fast')")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
