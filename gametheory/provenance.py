"""What a result was computed with: package versions, the machine, the time.

Examples
--------
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


#: the packages whose source is hashed; the last three live in top-level folders of the repository
SOURCE_PACKAGES = ("gametheory", "gametheory.analyses", "gametheory.figures", "gametheory.paper_checks")


def source_files() -> list:
    """``(name, path)`` of every source file of the toolkit, wherever it is installed.

    ``name`` is the file's path inside its package (``gametheory.analyses/tables.py``), so
    an editable checkout and an installed wheel give the same names.
    """
    import importlib.util
    from pathlib import Path

    nested = {p.rsplit(".", 1)[-1] for p in SOURCE_PACKAGES[1:]}
    out = []
    for pkg in SOURCE_PACKAGES:
        spec = importlib.util.find_spec(pkg)
        for location in (spec.submodule_search_locations or []) if spec else []:
            base = Path(location)
            for path in sorted(base.rglob("*.py")):
                rel = path.relative_to(base)
                if pkg == "gametheory" and rel.parts[0] in nested:
                    continue  # an installed wheel nests the three folders inside gametheory/
                out.append((f"{pkg}/{rel.as_posix()}", path))
    return out


def source_modules() -> dict:
    """Every toolkit module by its import name (``gametheory.analyses.tables``), with its file."""
    out = {}
    for name, path in source_files():
        pkg, rel = name.split("/", 1)
        parts = rel[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([pkg] + parts)] = path
    return out


def code_version() -> str:
    """A hash of the toolkit's source files (library, analyses, figures, paper checks).

    Cached results are keyed by it, so any change to the code that produced
    them invalidates them.
    """
    import hashlib

    h = hashlib.sha256()
    for name, path in source_files():
        h.update(name.encode())
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
    return {
        "gametheory": sys.modules[__package__].__version__,  # the package, imported before any of its modules
        "code_version": code_version(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "packages": versions(),
        "time_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
