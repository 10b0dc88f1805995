"""The examples in the neural modules' docstrings run and give what they show."""
import doctest
import importlib

import pytest

pytest.importorskip("torch")

MODULES = ["gametheory.neural.backend", "gametheory.neural.optimizers", "gametheory.neural.data",
           "gametheory.neural.models", "gametheory.neural.metrics", "gametheory.neural.experiments",
           "gametheory.neural.glgd"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
