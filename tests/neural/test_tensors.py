"""Devices and flat parameter views."""
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.backend import resolve_device  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402


def test_device_auto():
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ParameterError, match="device"):
        resolve_device("no-such-device")
