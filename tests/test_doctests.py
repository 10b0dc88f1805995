"""The examples in the core modules' docstrings run and give what they show."""
import doctest
import importlib

import pytest

CORE = ["gametheory", "gametheory.games", "gametheory.methods", "gametheory.derive", "gametheory.spectral",
        "gametheory.simulate", "gametheory.expressions", "gametheory.io", "gametheory.provenance"]


@pytest.mark.parametrize("name", CORE)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
