"""Output files written atomically, and a small on-disk cache of finished results.

Every file the toolkit writes goes through :func:`atomic_write_bytes` (a
temporary file in the same folder, ``fsync``, then ``os.replace``), so an
interrupted run never leaves a half-written file. :class:`ResultCache` keeps
finished parts of long runs as JSON files keyed by a hash of the code version
and the parameters, so a re-run after an interruption reuses them.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = atomic_write_json(d / "a.json", {"x": 1})
>>> read_json(d / "a.json")
{'x': 1}
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np


def _default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "is_number") and getattr(o, "is_number"):  # SymPy numbers
        return float(o)
    return str(o)


def _finite(o):
    """Replace NaN and infinities (not valid JSON) by None."""
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    return o


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def jsonable(obj):
    """``obj`` as plain JSON values (what :func:`to_json` writes): NumPy/SymPy values converted, NaN/inf None."""
    return _finite(json.loads(json.dumps(obj, default=_default)))


def to_json(obj, indent=2) -> str:
    """JSON text of ``obj``; NumPy/SymPy values converted, NaN/inf written as null."""
    return json.dumps(jsonable(obj), indent=indent, sort_keys=False)


def atomic_write_json(path, obj) -> Path:
    return atomic_write_text(path, to_json(obj) + "\n")


def read_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def stable_hash(obj) -> str:
    """A short hash of a JSON-able object (for cache keys)."""
    return hashlib.sha256(to_json(obj, indent=None).encode()).hexdigest()[:16]


class ResultCache:
    """Finished results as JSON files in ``folder``, keyed by (name, code version, parameters).

    ``get(name, params)`` returns the stored value or None; ``put`` stores it
    atomically. The code version is a hash of the toolkit's source
    (:func:`gametheory.provenance.code_version`): changing the code or any
    parameter changes the key.
    """

    def __init__(self, folder):
        from .provenance import code_version

        self.folder = Path(folder)
        self.version = code_version()

    def path(self, name: str, params) -> Path:
        key = stable_hash({"name": name, "version": self.version, "params": params})
        return self.folder / f"{name}-{key}.json"

    def get(self, name: str, params):
        p = self.path(name, params)
        if p.exists():
            try:
                return read_json(p)["value"]
            except (ValueError, KeyError):
                return None  # a damaged entry is recomputed
        return None

    def put(self, name: str, params, value):
        atomic_write_json(self.path(name, params), {"name": name, "params": params, "value": value})
        return value
