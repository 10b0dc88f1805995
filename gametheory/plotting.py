"""Shared matplotlib helpers: vector fields, trajectories and deterministic saving.

Matplotlib is imported lazily and always with the Agg backend (no display is
needed), so ``import gametheory`` never imports it. Files are written
atomically (:mod:`gametheory.io`) and byte-for-byte reproducibly: PNG and PDF
carry fixed metadata (no creation date, a fixed producer string), SVG uses a
fixed ``svg.hashsalt`` and no date.

Conventions: a game's ``v`` is the *descent* field, so the direction of
motion drawn in the figures is ``-v`` (Huszar's post and the slides draw the
motion field).

Examples
--------
>>> import tempfile, pathlib
>>> plt = pyplot()
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0, 1], [0, 1])
>>> paths = save_figure(fig, pathlib.Path(tempfile.mkdtemp()), "demo", formats=("png", "svg"))
>>> [p.suffix for p in paths]
['.png', '.svg']
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .io import atomic_write_bytes
from .validation import fail

__all__ = [
    "pyplot", "save_figure", "grid", "method_direction", "field_on_grid", "quiver_field", "plot_trajectory",
    "mark_points", "unit_circle", "FORMATS", "DEFAULT_DPI",
]

FORMATS = ("png", "pdf", "svg")
DEFAULT_DPI = 110
_FIXED = {"svg.hashsalt": "gametheory", "pdf.compression": 6, "path.simplify": True}


def pyplot():
    """``matplotlib.pyplot`` with the Agg backend (set lazily, on first use).

    >>> pyplot().get_backend().lower()
    'agg'
    """
    import matplotlib

    if matplotlib.get_backend().lower() != "agg":
        matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(_FIXED)
    return plt


def _metadata(fmt):
    if fmt == "png":
        return {"Software": "gametheory"}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None, "Producer": "gametheory", "Creator": "gametheory"}
    if fmt == "svg":
        return {"Date": None, "Creator": "gametheory"}
    return None


def save_figure(fig, out_dir, stem: str, formats=("png",), *, dpi: int | None = None, close: bool = True) -> list:
    """Save ``fig`` as ``out_dir/stem.<fmt>`` for each format, deterministically and atomically.

    Parameters
    ----------
    fig : matplotlib Figure
    out_dir : path
    stem : str
        File name without extension.
    formats : sequence of "png", "pdf", "svg"
    dpi : int, optional
        Raster resolution (PNG); default :data:`DEFAULT_DPI`.
    close : bool
        Close the figure afterwards (frees memory).

    Returns
    -------
    list of Path
    """
    plt = pyplot()
    formats = _formats(formats)
    out_dir = Path(out_dir)
    out = []
    with plt.rc_context(_FIXED):
        for fmt in formats:
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=dpi or DEFAULT_DPI, metadata=_metadata(fmt))
            out.append(atomic_write_bytes(out_dir / f"{stem}.{fmt}", buf.getvalue()))
    if close:
        plt.close(fig)
    return out


def _formats(formats):
    if isinstance(formats, str):
        formats = [f for f in formats.replace(" ", "").split(",") if f]
    formats = tuple(formats)
    if not formats:
        fail("formats", "at least one of " + ", ".join(FORMATS), formats)
    for f in formats:
        if f not in FORMATS:
            fail("formats", "formats among " + ", ".join(FORMATS), f)
    return formats


def grid(extent, n: int = 21):
    """A square or rectangular grid ``(X, Y)`` over ``extent = (xmin, xmax, ymin, ymax)`` or ``r`` (``[-r, r]^2``).

    >>> X, Y = grid(1, 3)
    >>> X[0].tolist()
    [-1.0, 0.0, 1.0]
    """
    if np.ndim(extent) == 0:
        r = float(extent)
        extent = (-r, r, -r, r)
    x0, x1, y0, y1 = map(float, extent)
    return np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))


def method_direction(game, method, X, Y, **params):
    """The direction a method moves from every grid point, ``(z - M(z)) / eta``, for 2-D games.

    Runs the method's own update rule (:meth:`Method.step`) once from each
    point, so for ``gd`` this is the descent field ``v`` and for
    ``consensus`` it is ``v + gamma grad L`` (Mescheder et al. 2017). Returns
    ``(U, V)``, the *descent* components (motion is ``-U, -V``); ``eta``
    defaults to 1 (the direction does not depend on it for one-step methods).

    >>> import gametheory as gt
    >>> X, Y = grid(1, 3)
    >>> U, V = method_direction(gt.games.curl_field(), gt.methods.get("gd"), X, Y)
    >>> bool(np.allclose(U, Y) and np.allclose(V, -X))
    True
    """
    from .backends import NumPyOps

    if game.n != 2:
        fail("game", "a game with one variable per player (2-D field)", game.n)
    params = dict(params)
    params.setdefault("eta", 1.0)
    p = method.params(params, mode="float")
    field = game.field_function()
    U, V = np.empty_like(X, dtype=float), np.empty_like(Y, dtype=float)
    with np.errstate(all="ignore"):
        for idx in np.ndindex(X.shape):
            x, y = np.array([X[idx]], dtype=float), np.array([Y[idx]], dtype=float)
            s = method.initial_state(x, y, field, p, NumPyOps)
            new = method.step(s, field, p, NumPyOps)
            U[idx] = (x[0] - new["x"][0]) / p.eta_x
            V[idx] = (y[0] - new["y"][0]) / p.eta_y
    return U, V


def field_on_grid(fn, X, Y):
    """Evaluate a vectorised ``fn(x, y) -> (u, v)`` on a grid (helper for closed-form fields)."""
    u, v = fn(X, Y)
    return np.broadcast_to(np.asarray(u, dtype=float), X.shape), np.broadcast_to(np.asarray(v, dtype=float), X.shape)


def quiver_field(ax, X, Y, U, V, *, normalize: bool = True, color="0.55", motion: bool = True, **kw):
    """Draw a vector field with arrows; ``motion=True`` draws ``-(U, V)`` (the way iterates move).

    ``normalize`` draws unit arrows (directions), shading by magnitude is left
    out on purpose so figures stay readable in print.
    """
    U, V = (-U, -V) if motion else (U, V)
    if normalize:
        norm = np.hypot(U, V)
        norm = np.where(norm > 0, norm, 1.0)
        U, V = U / norm, V / norm
    kw.setdefault("angles", "xy")
    kw.setdefault("width", 0.004)
    kw.setdefault("headwidth", 3.5)
    kw.setdefault("pivot", "mid")
    return ax.quiver(X, Y, U, V, color=color, **kw)


def plot_trajectory(ax, traj, *, color="C0", label=None, lw=1.2, start=True, end=True, ms=4, alpha=1.0, **kw):
    """Plot a 2-D trajectory ``(T, 2)`` with a marker at the start (circle) and the end (square)."""
    traj = np.asarray(traj, dtype=float)
    line = ax.plot(traj[:, 0], traj[:, 1], color=color, lw=lw, label=label, alpha=alpha, **kw)
    if start and len(traj):
        ax.plot(traj[0, 0], traj[0, 1], "o", color=color, ms=ms, mfc="white")
    if end and len(traj):
        ax.plot(traj[-1, 0], traj[-1, 1], "s", color=color, ms=ms)
    return line


def mark_points(ax, points, *, marker="*", color="k", ms=10, label=None, **kw):
    """Mark points ``[(x, y), ...]`` (equilibria, saddles)."""
    pts = np.asarray([[float(a) for a in p] for p in points], dtype=float).reshape(-1, 2)
    if len(pts):
        ax.plot(pts[:, 0], pts[:, 1], marker, color=color, ms=ms, ls="none", label=label, **kw)


def unit_circle(ax, **kw):
    """Draw the unit circle (for eigenvalue plots) and equal axes."""
    t = np.linspace(0, 2 * np.pi, 400)
    kw.setdefault("color", "k")
    kw.setdefault("lw", 0.8)
    ax.plot(np.cos(t), np.sin(t), **kw)
    ax.set_aspect("equal")
