"""Atomic writes and the result cache (gametheory.io)."""
import json
import os
import stat

import numpy as np
import pytest

from gametheory import io


def test_atomic_write_leaves_no_temporary_file_and_the_usual_mode(tmp_path):
    path = io.atomic_write_text(tmp_path / "sub" / "a.txt", "hello")
    assert path.read_text() == "hello"
    assert [p.name for p in path.parent.iterdir()] == ["a.txt"]
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = io.atomic_write_text(tmp_path / "a.json", "old")

    with pytest.raises(TypeError):
        io.atomic_write_bytes(path, object())  # not bytes: fails inside the write
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_json_writes_non_finite_numbers_as_null(tmp_path):
    path = io.atomic_write_json(tmp_path / "r.json", {"a": float("nan"), "b": np.float64(2.0)})
    assert json.loads(path.read_text()) == {"a": None, "b": 2.0}


def test_cache_round_trip_and_keys_depend_on_parameters(tmp_path):
    cache = io.ResultCache(tmp_path)
    assert cache.get("part", {"seed": 1}) is None
    cache.put("part", {"seed": 1}, {"value": 3})
    assert cache.get("part", {"seed": 1}) == {"value": 3}
    assert cache.get("part", {"seed": 2}) is None
