"""Published claims, each with its citation, a check, and a verdict.

A :class:`Claim` records one statement from a paper (or from a blog post or
slides that present it): a stable id, the citation (paper and theorem, table
or figure), the statement in words and in math, and a check function. The
check computes the toolkit's own value next to the published one and returns
a :class:`Result` with a verdict:

* ``"confirmed"``: the toolkit's computation agrees with the statement;
* ``"refuted"``: it does not, and the result carries a counterexample (a
  refuted claim is a finding, reported with numbers, not an error);
* ``"inconclusive"``: the check could not decide (a missing optional part,
  a scale too small for a statistical claim, ...), with the reason.

Checks derive rather than transcribe: the published value is quoted as the
paper states it, the toolkit's value is computed (exactly where the claim is
exact, with :func:`gametheory.stability`, :mod:`gametheory.exact` and SymPy).

This module holds the claims' *types* (a library layer). The claims
themselves live in :mod:`gametheory.paper_checks`, one module per source;
each module defines ``CLAIMS``, a list of :class:`Claim`, and
:func:`gametheory.paper_checks.registry` collects them
(:func:`gametheory.paper_checks.run_checks` runs them).

Examples
--------
>>> r = confirmed_if(2 + 2 == 4, "4", "4")
>>> r.verdict, r.ours
('confirmed', '4')
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

from .validation import choice, fail

VERDICTS = ("confirmed", "refuted", "inconclusive")
SCALES = ("quick", "default", "full")


@dataclass
class Result:
    """What a claim's check returns.

    Attributes
    ----------
    verdict : str
        ``"confirmed"``, ``"refuted"`` or ``"inconclusive"``.
    ours : str
        The toolkit's value, in words or numbers (short, for the table).
    published : str
        The published value, as the source states it.
    details : dict
        Every number behind the verdict (JSON-able).
    counterexample : str or None
        For refuted claims: the input on which the statement fails.
    reason : str or None
        For inconclusive claims: why it could not be decided.
    method : str
        How it was checked (``"exact"``, ``"symbolic"``, ``"Monte Carlo"``...).
    """

    verdict: str
    ours: str
    published: str
    details: dict = field(default_factory=dict)
    counterexample: str | None = None
    reason: str | None = None
    method: str = "exact"

    def __post_init__(self):
        choice("verdict", self.verdict, VERDICTS)
        if self.verdict == "refuted" and not self.counterexample:
            fail("counterexample", "a counterexample for a refuted claim")
        if self.verdict == "inconclusive" and not self.reason:
            fail("reason", "a reason for an inconclusive verdict")


def claims_summary(rows) -> dict:
    """How many result rows have each verdict: ``{"confirmed": n, "refuted": n, "inconclusive": n}``."""
    out = dict.fromkeys(VERDICTS, 0)
    for r in rows:
        out[r["verdict"]] = out.get(r["verdict"], 0) + 1
    return out


def confirmed(ours, published, method="exact", **details) -> Result:
    """A confirmed result (``ours`` agrees with ``published``)."""
    return Result("confirmed", str(ours), str(published), details, method=method)


def refuted(ours, published, counterexample, method="exact", **details) -> Result:
    """A refuted result, with the counterexample."""
    return Result("refuted", str(ours), str(published), details, counterexample=str(counterexample),
                  method=method)


def inconclusive(ours, published, reason, method="exact", **details) -> Result:
    """An undecided result, with the reason."""
    return Result("inconclusive", str(ours), str(published), details, reason=str(reason), method=method)


def confirmed_if(ok: bool, ours, published, counterexample=None, method="exact", **details) -> Result:
    """``confirmed`` when ``ok``, else ``refuted`` with ``counterexample`` (default: ``ours``).

    >>> confirmed_if(1 + 1 == 3, "2", "3", counterexample="1 + 1 = 2").verdict
    'refuted'
    """
    if ok:
        return confirmed(ours, published, method=method, **details)
    return refuted(ours, published, counterexample or ours, method=method, **details)


def verdict_of(ok: bool, ours, published, counterexample=None, method="exact", **details) -> Result:
    """Deprecated name of :func:`confirmed_if`."""
    import warnings

    warnings.warn("gametheory.claims.verdict_of is now confirmed_if", DeprecationWarning, stacklevel=2)
    return confirmed_if(ok, ours, published, counterexample, method, **details)


@dataclass(frozen=True)
class Claim:
    """One published claim and how the toolkit checks it.

    Attributes
    ----------
    id : str
        Stable id, ``"<module>.<name>"`` (e.g. ``"icr2019.cgd_bilinear"``).
    citation : str
        Paper and theorem / table / figure (and the seed document quoting it).
    statement : str
        The claim in words.
    math : str
        The claim as a formula (plain text / LaTeX-ish).
    check : callable
        ``check(ctx) -> Result``; ``ctx`` is a :class:`CheckContext`.
    kind : str
        ``"exact"``, ``"numeric"`` or ``"neural"`` (neural checks are skipped
        when Torch is not installed or the neural part is disabled).
    """

    id: str
    citation: str
    statement: str
    math: str
    check: Callable
    kind: str = "exact"

    def run(self, ctx=None) -> dict:
        """Run the check and return a JSON-able row (never raises on a failing check)."""
        ctx = ctx or CheckContext()
        t0 = time.perf_counter()
        try:
            res = self.check(ctx)
            if not isinstance(res, Result):
                raise TypeError(f"check of {self.id} returned {type(res).__name__}, not Result")
            error = None
        except Exception as exc:  # a crashing check is reported, not fatal for the report
            tb = traceback.format_exc(limit=3)
            res = inconclusive("check failed", "-", f"the check raised {type(exc).__name__}: {exc}")
            error = tb
        row = {
            "id": self.id, "citation": self.citation, "statement": self.statement, "math": self.math,
            "kind": self.kind, "verdict": res.verdict, "ours": res.ours, "published": res.published,
            "counterexample": res.counterexample, "reason": res.reason, "method": res.method,
            "details": res.details, "seconds": round(time.perf_counter() - t0, 3),
        }
        if error:
            row["error"] = error
        return row


@dataclass
class CheckContext:
    """Settings passed to every check.

    Attributes
    ----------
    scale : str
        ``"quick"``, ``"default"`` or ``"full"`` (the papers' scale).
    seed : int
        Base seed of every random thing.
    neural : bool
        Whether neural (Torch) experiments may run.
    cache : gametheory.io.ResultCache or None
        Where expensive intermediate results are kept between runs.
    progress : bool
    """

    scale: str = "quick"
    seed: int = 0
    neural: bool = True
    cache: object = None
    progress: bool = False

    @property
    def quick(self) -> bool:
        return self.scale == "quick"

    def neural_unavailable(self) -> str | None:
        """Why a neural check cannot run here (Torch missing, or the neural part switched off), else None."""
        import importlib.util

        if importlib.util.find_spec("torch") is None:
            return "Torch is not installed (pip install -e \".[torch]\")"
        if not self.neural:
            return "the neural part is disabled for this run (--no-neural)"
        return None

    def pick(self, quick, default, full):
        """The value for the current scale."""
        return {"quick": quick, "default": default, "full": full}[self.scale]

    def cached(self, name: str, params: dict, compute: Callable):
        """``compute()`` once per (name, params) when a cache is set (the cache keys by code version too)."""
        if self.cache is None:
            return compute()
        key = {"params": params}
        hit = self.cache.get(name, key)
        if hit is not None:
            return hit
        return self.cache.put(name, key, compute())


__all__ = ["Claim", "Result", "CheckContext", "confirmed", "refuted", "inconclusive", "confirmed_if", "claims_summary",
           "VERDICTS", "SCALES"]
