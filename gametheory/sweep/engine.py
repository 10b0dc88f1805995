"""The sweep driver: :func:`sweep_radius` chooses a path and walks the grid in chunks."""
from __future__ import annotations

import numpy as np

from ..validation import fail
from .general import GENERAL_CHUNK_ENTRIES, general_sweep
from .modes import bilinear_modes, eigenvalue_modes, modes_max, spectral_modes
from ..derive import check_game_method
from .polynomials import scalar_polynomial
from .roots import CLUSTER_TOL, KERNEL_MIN_POINTS, numba_available

CHUNK_POINTS = 1 << 15              # grid points per chunk (working memory ~ a few MB per mode)
DASK_CHUNK_POINTS = 1 << 21         # grid points per Dask task (a multiple of CHUNK_POINTS)
EXECUTORS = ("local", "dask")
PATHS = ("auto", "spectral", "bilinear", "general")

__all__ = ["sweep_radius", "eigenvalue_sweep", "spectral_applies", "choose_path", "PATHS", "CHUNK_POINTS"]


def _spectral_applies(method, params) -> bool:
    """Simultaneous methods that are functions of ``J``, with the players' parameters equal."""
    if method.per_player_given(params):
        return False
    return scalar_polynomial(method.bind(**method.structural(params)), method.optional_given(params)) is not None


def spectral_applies(method, **params) -> bool:
    """Whether the method's radius is a function of the eigenvalues of ``J`` alone for these parameters.

    True for simultaneous methods with a derived scalar polynomial and one
    step size (:func:`gametheory.sweep.scalar_polynomial`).

    >>> import gametheory as gt
    >>> spectral_applies(gt.methods.get("momentum"), eta=0.1), spectral_applies(gt.methods.get("gd"), eta_x=0.1, eta_y=1)
    (True, False)
    """
    return _spectral_applies(method, params)


def _bilinear_applies(game) -> bool:
    return game.kind == "bilinear" and "A" in game.data and game.is_affine


def choose_path(game, method, **params) -> str:
    """The fastest exact-equivalent path for a sweep: ``"spectral"``, ``"bilinear"`` or ``"general"``.

    ``"spectral"`` for simultaneous methods that are functions of ``J`` with
    one step size (checked by :func:`scalar_polynomial`; any game, since such
    rules only evaluate ``v`` at points that coincide with the equilibrium
    there, so the augmented Jacobian depends on ``J(z*)`` alone);
    ``"bilinear"`` for bilinear games (any method); else ``"general"``.
    """
    if _spectral_applies(method, params):
        return "spectral"
    if _bilinear_applies(game):
        return "bilinear"
    return "general"


# ------------------------------------------------------------ grid walking
class _Grid:
    """Broadcast parameter arrays walked in flat chunks without materialising them."""

    def __init__(self, values: dict):
        self.names = list(values)
        arrs = [np.asarray(v, dtype=float) for v in values.values()]
        self._given = dict(zip(self.names, arrs))
        self.shape = np.broadcast_shapes(*[a.shape for a in arrs]) if arrs else ()
        self.size = int(np.prod(self.shape)) if self.shape else 1
        self._arrays = [np.broadcast_to(a, self.shape) for a in arrs]
        self._flat = [a.reshape(-1) if a.flags.c_contiguous and 0 not in a.strides else None
                      for a in self._arrays]

    def __reduce__(self):  # the given (small) arrays travel, not their broadcast
        return _Grid, (self._given,)

    def chunks(self, size, span=None):
        """``(slice, values)`` per chunk of ``size`` flat points (within ``span = (start, stop)`` if given)."""
        lo, hi = (0, self.size) if span is None else span
        for start in range(lo, hi, size):
            stop = min(hi, start + size)
            sl = slice(start, stop)
            idx = None
            vals = {}
            for name, a, flat in zip(self.names, self._arrays, self._flat):
                if flat is not None:
                    vals[name] = flat[sl]
                else:
                    if idx is None:
                        idx = np.unravel_index(np.arange(start, stop), self.shape)
                    vals[name] = a[idx]
            yield sl, vals


def sweep_radius(game, method, *, at=None, path: str = "auto", chunk_points: int = CHUNK_POINTS,
                 out=None, cluster_tol: float = CLUSTER_TOL, executor: str = "local", scheduler=None,
                 dask_chunk_points: int = DASK_CHUNK_POINTS, **params) -> np.ndarray:
    """Spectral radius of a method's augmented Jacobian over a parameter grid.

    Parameters
    ----------
    game : Game
    method : Method
    at : tuple, optional
        The equilibrium (default: the game's first).
    path : {"auto", "spectral", "bilinear", "general"}
        ``"auto"`` picks the fastest valid path (:func:`choose_path`); forcing
        a path that does not apply raises :class:`ParameterError`.
    chunk_points : int
        Grid points per chunk (bounds the working memory).
    out : numpy.ndarray, optional
        A float array of the broadcast shape to fill (e.g. ``float32`` or a
        memory map for 10^8-point sweeps).
    executor : {"local", "dask"}
        ``"dask"`` splits the grid into chunks of ``dask_chunk_points`` flat
        points and computes them on an existing Dask cluster
        (``dask.distributed``), with at most two chunks per worker in flight
        and each finished chunk written into ``out`` at once, so memory stays
        bounded on both sides; the results are identical to the local path
        (same code, chunk boundaries aligned with the local ones).
    scheduler : str or distributed.Client, optional
        The cluster: a scheduler address (``"tcp://host:8786"``) or a Client;
        default: the current Dask client.
    **params
        ``eta`` (or ``eta_x``, ``eta_y``), ``beta``, ``gamma``, ``lam``,
        ``eta_extrap``: floats or arrays (broadcast like NumPy); ``k``, ``n``:
        integers.

    Returns
    -------
    numpy.ndarray
        Radii, shape = broadcast shape of the parameters. Equal (to rounding,
        exactly at clusters) to :func:`gametheory.spectral_radius`'s plain
        grid path; the spectral mapping is Gidel et al. (AISTATS 2019),
        Sec. 4, the singular-value reduction their Sec. 3 / Zhang & Yu (ICLR
        2020), Sec. 3.

    Examples
    --------
    >>> import gametheory as gt
    >>> g = gt.games.bilinear([[1]])
    >>> round(float(sweep_radius(g, gt.methods.get("gd"), eta=np.array([0.5]))[0]) ** 2, 12)
    1.25
    """
    check_game_method(game, method)
    if path not in PATHS:
        fail("path", "one of " + ", ".join(PATHS), path)
    if not isinstance(chunk_points, (int, np.integer)) or chunk_points < 1:
        fail("chunk_points", "a positive integer", chunk_points)
    values = method.continuous_values(params, mode="float")
    # the structural parameters (k, n) shape the derived polynomials: bind them to the method
    method = method.bind(**method.structural(params))
    params = {k: v for k, v in params.items() if k not in method.spec.integer_params}
    grid = _Grid(values)
    if out is None:
        out = np.empty(grid.size)
    else:
        if not isinstance(out, np.ndarray) or out.size != grid.size:
            fail("out", f"a float array with {grid.size} elements", getattr(out, "shape", out))
    flat_out = out.reshape(-1)
    chosen = choose_path(game, method, **params) if path == "auto" else path
    if chosen == "spectral" and not _spectral_applies(method, params):
        fail("path", f"a path that applies to {method!r} on {game.name!r} (try 'auto')", path)
    if chosen == "bilinear" and not _bilinear_applies(game):
        fail("path", f"a path that applies to {game.name!r} (bilinear needs a bilinear game)", path)
    if executor not in EXECUTORS:
        fail("executor", "one of " + ", ".join(map(repr, EXECUTORS)), executor)
    modes = _modes(game, method, params, at, chosen)
    n_modes = len(modes) if modes is not None else 1
    use_kernel = numba_available() and grid.size * max(1, n_modes) >= KERNEL_MIN_POINTS
    task = (game, method, params, at, chosen, grid, int(chunk_points), float(cluster_tol), use_kernel)
    if executor == "dask":
        if not isinstance(dask_chunk_points, (int, np.integer)) or dask_chunk_points < 1:
            fail("dask_chunk_points", "a positive integer", dask_chunk_points)
        from .distributed import dask_sweep

        step = max(int(chunk_points), (int(dask_chunk_points) // int(chunk_points)) * int(chunk_points))
        dask_sweep(span_task, task, grid.size, step, flat_out, scheduler)
    else:
        run_span(task, None, flat_out)
    return flat_out.reshape(grid.shape) if out.shape != grid.shape else out


def _modes(game, method, params, at, chosen):
    """The closed-form modes of the chosen path (cached on the game), or None for the general path."""
    key = ("sweep-modes", chosen, method.key, method.optional_given(params), None if at is None else tuple(map(str, at)))
    if chosen == "general":
        return None
    if key not in game._cache:
        game._cache[key] = (spectral_modes(game, method, params, at) if chosen == "spectral"
                            else bilinear_modes(game, method, params))
    return game._cache[key]


def span_task(task, start, stop):
    """One distributed chunk: ``(start, radii)`` for flat grid indices ``start:stop`` (runs on a worker)."""
    out = np.empty(stop - start)
    run_span(task, (start, stop), out)
    return start, out


def run_span(task, span, out):
    """Compute one flat span of a sweep (``None``: all of it) into ``out`` (``stop - start`` values).

    ``task`` is ``(game, method, params, at, path, grid, chunk_points,
    cluster_tol, use_kernel)``, the same locally and on a Dask worker.
    """
    game, method, params, at, chosen, grid, chunk_points, tol, use_kernel = task
    if chosen == "general":
        general_sweep(game, method, params, at, grid, GENERAL_CHUNK_ENTRIES, out, use_kernel=use_kernel,
                      span=span, cluster_tol=tol)
    else:
        modes_max(_modes(game, method, params, at, chosen), grid, chunk_points, out, tol, use_kernel=use_kernel,
                  span=span)
    return out
def eigenvalue_sweep(method, eigenvalues, *, chunk_points: int = CHUNK_POINTS, out=None,
                     cluster_tol: float = CLUSTER_TOL, **params) -> np.ndarray:
    """The spectral radius over a parameter grid from given eigenvalues of ``J`` (the ``"spectral"`` path).

    The same engine as :func:`sweep_radius`'s spectral path, for a Jacobian
    known only numerically (e.g. a neural network's, from
    :mod:`gametheory.neural.spectrum`): the radius at each point is the
    largest root modulus of ``q(mu, lambda)`` over the eigenvalues given.
    The method must be a function of ``J`` (:func:`spectral_applies`).

    Examples
    --------
    >>> import gametheory as gt
    >>> r = eigenvalue_sweep(gt.methods.get("gd"), [1j, -1j], eta=np.array([0.5]))
    >>> round(float(r[0]) ** 2, 12)
    1.25
    """
    from ..methods import Method

    if not isinstance(method, Method):
        fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
    if not _spectral_applies(method, params):
        fail("method", f"a method that is a function of J with one step size (the spectral path); {method!r} "
             "with these parameters is not")
    values = method.continuous_values(params, mode="float")
    grid = _Grid(values)
    if out is None:
        out = np.empty(grid.size)
    flat_out = out.reshape(-1)
    modes_max(eigenvalue_modes(method, params, eigenvalues), grid, int(chunk_points), flat_out, cluster_tol)
    return flat_out.reshape(grid.shape) if out.shape != grid.shape else out
