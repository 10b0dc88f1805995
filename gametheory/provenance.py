"""What a result was computed with: package versions, the machine, the time.

Example
-------
>>> info = environment()
>>> {"code_version", "cpu_count", "packages", "machine"} <= set(info)
True
"""
from __future__ import annotations

import datetime as _dt
import importlib.metadata
import os
import platform
import sys

PACKAGES = ("numpy", "scipy", "sympy", "mpmath", "matplotlib", "torch", "hypothesis")


SOURCE_FOLDERS = ("gametheory", "analyses", "figures", "paper_checks")


def code_version() -> str:
    """A hash of the toolkit's source files (library, analyses, figures, paper checks).

    Cached results are keyed by it, so any change to the code that produced
    them invalidates them.
    """
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def versions() -> dict:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def environment() -> dict:
    """Versions, Python, platform, CPU count and the UTC time, as a JSON-able dict."""
    from . import __version__

    return {
        "gametheory": __version__,
        "code_version": code_version(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "packages": versions(),
        "time_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
