"""Shared plumbing of the neural claims: availability, seeds per scale, cached experiments, seed statistics.

The experiments themselves live in :mod:`gametheory.neural.paper_experiments`
(one function per claim); this turns their per-seed outcomes into a
:class:`gametheory.claims.Result` with :func:`~gametheory.neural.paper_experiments.seed_verdict`.
"""
from __future__ import annotations

from gametheory.claims import confirmed, inconclusive, refuted

_MEMO = {}


def unavailable(ctx, published):
    """An inconclusive Result when the neural part is off or Torch is missing, else None."""
    why = ctx.neural_unavailable()
    if why is None:
        try:
            import torch  # noqa: F401
        except ImportError as exc:  # found but not importable
            why = f"Torch is not installed ({exc})"
    if why is not None:
        return inconclusive("not run" if "disabled" in why else "not available", published, why, method="neural")
    return None


def not_at_quick(ctx, published, what):
    """An inconclusive Result at the quick scale for experiments that train networks (the budget), else None."""
    if ctx.quick:
        return inconclusive("not run", published, f"{what} trains networks for longer than the quick pass allows; it "
                            "runs at the default (scaled down) and full scales", method="neural")
    return None


def seeds(ctx, quick=1, default=5, full=20):
    """Seeds ``ctx.seed .. ctx.seed + n - 1`` with ``n`` for the scale."""
    return list(range(ctx.seed, ctx.seed + ctx.pick(quick, default, full)))


def experiment(ctx, name, params, compute):
    """``compute()`` once per process and, with a cache, once per code version (shared by claims)."""
    key = (name, repr(sorted(params.items())))
    if key not in _MEMO:
        _MEMO[key] = ctx.cached(f"neural-{name}", params, compute)
    return _MEMO[key]


def testable_seeds(rows, why):
    """``(rows kept, note)``: the seeds that can test the statement (``row["testable"]``, default True).

    The others say nothing for or against it (very slow modes off the kernel:
    rates within ``1 / steps`` of 1, where a run cannot tell converging from
    cycling; no stationary point reached, so nothing to linearise): they are
    left out of the statistics, and the note names them with ``why``.
    """
    kept = [r for r in rows if r.get("testable", True)]
    out = [r["seed"] for r in rows if not r.get("testable", True)]
    return kept, (f"; left out: seeds {out}, {why}" if out else "")


def too_slow(steps) -> str:
    """The reason :func:`testable_seeds` gives for seeds whose decisive rates a ``steps``-step run cannot resolve."""
    return (f"whose decisive rates lie within 1/{steps} of 1 (modes too slow to tell converging from cycling in "
            f"{steps} steps)")


def from_seeds(holds, ours, published, counterexample, scaled_down=None, **details):
    """confirmed / refuted / inconclusive from per-seed outcomes (a one-sided binomial test).

    ``scaled_down``: why the run is too small to test the published statement (e.g. a tenth of the paper's
    training): the result is then inconclusive with that reason, the seed statistics still reported.
    """
    from gametheory.neural.paper_experiments import seed_verdict

    stats = seed_verdict(holds)
    details["statistics"] = stats
    ours = f"{ours} [held in {stats['k']} of {stats['n']} seeds"
    ours += f", binomial p = {stats['p_value']:.3g}]" if "p_value" in stats else "]"
    if scaled_down:
        return inconclusive(ours, published, scaled_down, method="neural", **details)
    if stats["status"] == "confirmed":
        return confirmed(ours, published, method="neural", **details)
    if stats["status"] == "refuted":
        return refuted(ours, published, counterexample, method="neural", **details)
    return inconclusive(ours, published, stats["reason"], method="neural", **details)
