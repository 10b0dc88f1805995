"""What a result was computed with: package versions, the machine, the time.

Example
-------
>>> info = environment()
>>> sorted(info)[:3]
['cpu_count', 'gametheory', 'machine']
"""
from __future__ import annotations

import datetime as _dt
import importlib.metadata
import os
import platform
import sys

PACKAGES = ("numpy", "scipy", "sympy", "mpmath", "matplotlib", "torch", "hypothesis")


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
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "packages": versions(),
        "time_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
