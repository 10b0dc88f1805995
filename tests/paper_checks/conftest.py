"""Fixtures: each module's claims are run once per test session (quick scale, no neural part)."""
import pytest

from gametheory.paper_checks import run_checks

_CACHE = {}


@pytest.fixture(scope="session")
def checked():
    """``checked(prefix) -> {id: row}`` with the claims of a paper_checks module, run once."""

    def get(prefix):
        if prefix not in _CACHE:
            _CACHE[prefix] = {r["id"]: r for r in run_checks([prefix], quick=True, neural=False)}
        return _CACHE[prefix]

    return get
