"""Progress bars that name the step they are on and whose ETA means something.

A run of the report checks 37 claims that take from milliseconds to minutes,
so counting claims gives a useless ETA. :class:`StepProgress` weights each
step by its *expected* seconds, the wall time the same step took in the last
run, kept by :class:`Timings` in a small JSON file next to the result cache
(it survives code changes, which invalidate the cache but hardly change how
long a step takes). Steps without a record count as the median of the known
ones. A step answered from the cache takes no time: it leaves the total
instead of advancing the bar, so the rate, and with it the ETA, stays the
rate of real work.

Examples
--------
>>> import tempfile, pathlib
>>> t = Timings(pathlib.Path(tempfile.mkdtemp()) / "timings.json")
>>> t.record("quick/claim-a", 2.0)
>>> Timings(t.path).expected("quick/claim-a")
2.0
>>> bar = StepProgress(["claim-a", "claim-b"], timings=t, prefix="quick/", enabled=False)
>>> bar.weights
[2.0, 2.0]
>>> bar.begin("claim-a"); bar.end("claim-a", seconds=1.5); bar.close()
>>> Timings(t.path).expected("quick/claim-a")
1.5
"""
from __future__ import annotations

import statistics
from pathlib import Path

from .io import atomic_write_json, read_json

__all__ = ["Timings", "StepProgress"]


class Timings:
    """Wall times of named steps from the last run, in a JSON file (or in memory when ``path`` is None)."""

    def __init__(self, path=None):
        self.path = None if path is None else Path(path)
        self.seconds: dict = {}
        if self.path is not None and self.path.exists():
            try:
                self.seconds = {str(k): float(v) for k, v in read_json(self.path).items()}
            except (ValueError, TypeError, AttributeError):
                self.seconds = {}  # a damaged file only costs the ETA

    def expected(self, key: str) -> float | None:
        """The seconds ``key`` took last time, or None."""
        return self.seconds.get(key)

    def record(self, key: str, seconds: float) -> None:
        """Remember that ``key`` took ``seconds`` (written at once: an interrupted run keeps what it learnt)."""
        self.seconds[key] = round(float(seconds), 3)
        if self.path is not None:
            atomic_write_json(self.path, self.seconds)


class StepProgress:
    """A tqdm bar over named steps, weighted by their expected seconds.

    Parameters
    ----------
    keys : list of str
        The steps, in order (claim ids, part names, ...).
    timings : Timings, optional
        Where the expected seconds come from and the new ones go.
    prefix : str
        Prepended to each key in ``timings`` (e.g. the scale: a quick run and
        a full run of the same claim take different times).
    desc : str
        The bar's label.
    enabled : bool
        False: no bar (the timings are still recorded).
    """

    def __init__(self, keys, *, timings: Timings | None = None, prefix: str = "", desc: str = "",
                 enabled: bool = True, leave: bool = True):
        self.keys = list(keys)
        self.timings = timings
        self.prefix = prefix
        known = [timings.expected(prefix + k) for k in self.keys] if timings else []
        found = [s for s in known if s is not None]
        fill = statistics.median(found) if found else 1.0
        self.weights = [fill if s is None else max(s, 0.01) for s in (known or [None] * len(self.keys))]
        self._w = dict(zip(self.keys, self.weights))
        self._done = 0
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=round(sum(self.weights), 2), desc=desc, leave=leave, unit="s",
                            bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]")

    def begin(self, key: str) -> None:
        """Show that step ``key`` is running."""
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self._done + 1}/{len(self.keys)} {key}")

    def end(self, key: str, seconds: float | None = None, cached: bool = False) -> None:
        """Step ``key`` finished after ``seconds`` (recorded), or was answered from the cache."""
        self._done += 1
        w = self._w.get(key, 1.0)
        if cached:
            if self.bar is not None:
                self.bar.total = max(round(self.bar.total - w, 2), self.bar.n)
                self.bar.refresh()
            return
        if seconds is not None and self.timings is not None:
            self.timings.record(self.prefix + key, seconds)
        if self.bar is not None:
            self.bar.update(w)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
