"""The paper checks: one module per source, each a list of claims, and the claim registry.

Each module ``gametheory.paper_checks.<source>`` names its source in its
docstring (authors, title, venue) and defines ``CLAIMS``, a list of
:class:`gametheory.claims.Claim`; every claim's check computes the toolkit's
own value next to the published one. This package collects them:
:func:`registry` (every claim, by id), :func:`select` (by id or module
prefix) and :func:`run_checks` (run them, one JSON-able row each).

The folder is ``paper_checks/`` at the top of the repository; it installs as
``gametheory.paper_checks``.

Examples
--------
>>> "icr2019.quadratic_simgd" in registry()
True
"""
from __future__ import annotations

import importlib
import pkgutil

from gametheory.claims import SCALES, CheckContext
from gametheory.validation import ParameterError, choice, fail

__all__ = ["registry", "select", "run_checks"]


def _modules():
    out = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        out.append(importlib.import_module(f"{__name__}.{info.name}"))
    return out


def registry() -> dict:
    """Every claim of every paper-check module, by id (in module order)."""
    out = {}
    for mod in _modules():
        for c in getattr(mod, "CLAIMS", []):
            if c.id in out:
                raise ParameterError(f"duplicate claim id {c.id!r} in {mod.__name__}")
            out[c.id] = c
    return out


def select(ids=None) -> list:
    """The claims with the given ids (a prefix such as ``"icr2019"`` selects a module)."""
    reg = registry()
    if not ids:
        return list(reg.values())
    out = []
    for want in ids:
        hits = [c for k, c in reg.items() if k == want or k.startswith(want + ".")]
        if not hits:
            fail("only", "claim ids or module prefixes, from: " + ", ".join(reg), want)
        out += [c for c in hits if c not in out]
    return out


def run_checks(ids=None, quick: bool = True, *, scale: str | None = None, seed: int = 0,
               neural: bool = True, cache=None, progress: bool = False) -> list:
    """Run the claims' checks and return one JSON-able row per claim.

    Parameters
    ----------
    ids : list of str, optional
        Claim ids or module prefixes (default: all).
    quick : bool
        Quick scale (ignored when ``scale`` is given).
    scale : {"quick", "default", "full"}, optional
    seed : int
        Base seed for Monte Carlo and neural checks.
    neural : bool
        Allow neural (Torch) checks; when False they report ``inconclusive``.
    cache : gametheory.io.ResultCache, optional
        Reuse finished expensive parts.

    Returns
    -------
    list of dict
        Keys: ``id, citation, statement, math, kind, verdict, ours, published,
        counterexample, reason, method, details, seconds``.
    """
    scale = scale or ("quick" if quick else "default")
    choice("scale", scale, SCALES)
    ctx = CheckContext(scale=scale, seed=seed, neural=neural, cache=cache, progress=progress)
    from gametheory.progress import StepProgress, Timings

    claims = select(ids)
    timings = None if cache is None else Timings(cache.folder / "timings.json")
    bar = StepProgress([c.id for c in claims], timings=timings, prefix=f"{scale}/neural={neural}/claim/",
                       desc="paper checks", enabled=progress)
    rows = []
    try:
        for c in claims:
            bar.begin(c.id)  # the bar names the claim being checked
            rows.append(c.run(ctx))
            bar.end(c.id, rows[-1]["seconds"])
    finally:
        bar.close()
    return rows
