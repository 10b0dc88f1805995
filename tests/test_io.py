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


@pytest.mark.parametrize("content", ['[1, 2]', '"text"', '{"value": 1}', '{"name": "other", "params": {"seed": 1}, '
                                     '"value": 3}', '{"name": "part", "params": {"seed": 2}, "value": 3}', '{',
                                     '\xff\xfe'])
def test_a_cache_entry_of_the_wrong_shape_is_treated_as_missing(tmp_path, content):
    cache = io.ResultCache(tmp_path)
    path = cache.path("part", {"seed": 1})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content)
    assert cache.get("part", {"seed": 1}) is None
    cache.put("part", {"seed": 1}, {"value": 3})       # recomputed and replaced
    assert cache.get("part", {"seed": 1}) == {"value": 3}


def test_a_cached_value_failing_its_shape_check_is_recomputed(tmp_path):
    cache = io.ResultCache(tmp_path)
    cache.put("part", {"seed": 1}, {"figures": "not a list"})
    assert cache.get("part", {"seed": 1}) == {"figures": "not a list"}
    assert cache.get("part", {"seed": 1}, valid=lambda v: isinstance(v["figures"], list)) is None
    assert cache.get("part", {"seed": 1}, valid=lambda v: v["missing"]) is None   # a check that trips


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = io.atomic_write_text(tmp_path / "a.json", "old")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(io.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        io.atomic_write_text(path, "new")
    monkeypatch.undo()
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_a_killed_writers_orphan_is_removed_by_the_next_write(tmp_path):
    import time

    orphan = tmp_path / ".a.json.x1y2z3.tmp"      # what a SIGKILL during a write leaves
    orphan.write_text("half")
    old = time.time() - io.ORPHAN_SECONDS - 5
    os.utime(orphan, (old, old))
    fresh = tmp_path / ".a.json.q9w8e7.tmp"       # another writer at work right now: left alone
    fresh.write_text("busy")
    io.atomic_write_text(tmp_path / "a.json", "new")
    assert not orphan.exists() and fresh.exists()
