"""Sweeps on a Dask cluster: the grid split into flat chunks, computed where the workers are.

:func:`dask_sweep` sends the game, the method and the grid's *given* arrays
(not their broadcast: a 1000 x 1000 grid of ``eta[:, None]`` and
``beta[None, :]`` travels as 2000 numbers) to the cluster once, then submits
one task per chunk of flat grid indices, keeping at most two tasks per worker
in flight; each finished chunk is written into ``out`` (which may be a
memory map) and dropped, so memory stays bounded on the client and on the
workers whatever the grid size. Each task runs
:func:`gametheory.sweep.engine.run_span`, the local path's own code on the
same chunk boundaries, so the results are identical to a local sweep.

Example (a local cluster; any ``scheduler="tcp://host:8786"`` works the same)::

    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        R = gt.spectral_radius(game, method, eta=eta[:, None], beta=beta[None, :],
                               executor="dask", scheduler=client)
"""
from __future__ import annotations

import numpy as np

from ..validation import ParameterError

__all__ = ["dask_sweep"]


def _client(scheduler):
    try:
        from distributed import Client, get_client
    except ImportError:  # pragma: no cover - the 'dask' extra
        raise ParameterError("parameter 'executor': 'dask' needs the dask extra "
                             "(pip install 'gametheory[dask]')") from None
    if scheduler is None:
        try:
            return get_client(), False
        except ValueError:
            raise ParameterError("parameter 'scheduler': expected a Dask scheduler address or Client "
                                 "(no current client found)") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if isinstance(scheduler, str):
        return Client(scheduler), True
    raise ParameterError(f"parameter 'scheduler': expected a Dask scheduler address or Client, got {scheduler!r}")


def dask_sweep(span_task, task, size: int, chunk: int, out: np.ndarray, scheduler=None) -> np.ndarray:
    """Compute ``size`` flat grid points of ``task`` on a Dask cluster in chunks of ``chunk`` points.

    ``span_task(task, start, stop) -> (start, values)`` runs on the workers
    (:func:`gametheory.sweep.engine.span_task`).
    """
    from distributed import as_completed

    client, owned = _client(scheduler)
    try:
        (shared,) = client.scatter([task], broadcast=True)  # one object (a bare tuple would scatter its items)
        spans = [(a, min(size, a + chunk)) for a in range(0, size, chunk)]
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = 2 * n_workers
        pending = iter(spans)
        running = as_completed()
        for _ in range(limit):
            span = next(pending, None)
            if span is None:
                break
            running.add(client.submit(span_task, shared, *span, pure=False))
        for fut in running:
            start, values = fut.result()
            out[start:start + len(values)] = values
            fut.release()
            span = next(pending, None)
            if span is not None:
                running.add(client.submit(span_task, shared, *span, pure=False))
    finally:
        if owned:
            client.close()
    return out
