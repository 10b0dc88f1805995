"""Stability regions over (step size, momentum): data and heatmaps with exact boundaries.

:func:`region_data` sweeps the spectral radius over an ``(eta, beta)`` grid
with the fast engine (:mod:`gametheory.sweep`) and, for bilinear games, adds
the exact boundary: the zero sets of the factors of the boundary polynomial
``Res_mu(p, p*)`` of each singular value's block polynomial
(:func:`gametheory.analyses.conditions.boundary_polynomial`, in ``s = eta*sigma``),
kept where the radius is close to 1 (the other branches of those curves are
reciprocal root pairs off the circle). :func:`plot_region` draws the heatmap
(radius clipped to ``[0, 2]``, diverging colour map centred at 1), the exact
curves, and the level set ``rho = 1`` of the sweep for any method/game pair.

Reference: the momentum stability pictures of Gidel et al. (AISTATS 2019),
Fig. 2-3, and Lacoste-Julien's DALI 2019 slides ("Proof by picture").

Examples
--------
>>> import numpy as np, gametheory as gt, tempfile, pathlib
>>> g = gt.games.bilinear([[1]])
>>> m = gt.methods.get("momentum", order="alternating")
>>> p = plot_region(g, m, np.linspace(0.01, 2.5, 60), np.linspace(-1, 1, 50),
...                 pathlib.Path(tempfile.mkdtemp()) / "alt.png")
>>> p.suffix
'.png'
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import sympy as sp

from gametheory.derive import S
from gametheory.sweep import sweep_radius
from gametheory.validation import fail, float_array

__all__ = ["region_data", "draw_region", "plot_region", "exact_boundary_fields"]


def exact_boundary_fields(game, method, eta, beta):
    """Values of the exact boundary factors on the grid, one array per (singular value, factor).

    Only for bilinear games (``[]`` otherwise). Each array changes sign (or
    vanishes) where a root of that singular value's block meets the unit circle.
    """
    from gametheory.analyses.conditions import bilinear_region, irreducible_factors

    if game.kind != "bilinear" or "A" not in game.data:
        return []
    reg = bilinear_region(method)
    A = np.array(game.data["A"].tolist(), dtype=float)
    sv = np.unique(np.linalg.svd(A, compute_uv=False))
    sv = sv[sv > 0]
    E, B = np.meshgrid(eta, beta, indexing="ij")
    out = []
    second = reg.variables[1] if len(reg.variables) > 1 else None
    for fac in irreducible_factors(reg.boundary):  # the factors in s and the second parameter
        args = [S] + ([second] if second is not None else [])
        f = sp.lambdify(args, fac, modules="numpy")
        for sigma in sv:
            vals = f(E * sigma, B) if second is not None else f(E * sigma)
            out.append({"sigma": float(sigma), "factor": str(fac),
                        "values": np.broadcast_to(np.asarray(vals, dtype=float), E.shape)})
    return out


def region_data(game, method, eta, beta=None, **fixed) -> dict:
    """Spectral radius on the ``eta x beta`` grid (``radius[i, j]`` at ``eta[i]``, ``beta[j]``).

    ``beta=None`` for methods without momentum (a 1-D sweep in ``eta``).
    Returns ``{"eta", "beta", "radius", "boundary"}`` (``boundary`` from
    :func:`exact_boundary_fields`).
    """
    eta = float_array("eta", eta).reshape(-1)
    if eta.size < 2:
        fail("eta", "at least two step sizes", eta.size)
    if beta is None:
        radius = sweep_radius(game, method, eta=eta, **fixed)
        return {"eta": eta, "beta": None, "radius": radius, "boundary": []}
    beta = float_array("beta", beta).reshape(-1)
    radius = sweep_radius(game, method, eta=eta[:, None], beta=beta[None, :], **fixed)
    return {"eta": eta, "beta": beta, "radius": radius,
            "boundary": exact_boundary_fields(game, method, eta, beta)}


def draw_region(ax, game, method, eta, beta, *, title=None, data=None, vmax: float = 2.0, **fixed):
    """Draw the radius heatmap, the exact boundary curves and the sweep's ``rho = 1`` on ``ax``.

    Returns the heatmap (for a colour bar). ``data`` reuses a
    :func:`region_data` result.
    """
    from matplotlib.colors import TwoSlopeNorm

    data = region_data(game, method, eta, beta, **fixed) if data is None else data
    E, Bt = data["eta"], data["beta"]
    R = np.clip(data["radius"], 0, vmax)
    norm = TwoSlopeNorm(vmin=0.0, vcenter=1.0, vmax=vmax)
    im = ax.pcolormesh(E, Bt, R.T, cmap="RdBu_r", norm=norm, shading="auto", rasterized=True)
    conv = data["radius"] < 1
    if conv.any() and not conv.all():
        ax.contour(E, Bt, data["radius"].T, levels=[1.0], colors="k", linewidths=0.8, linestyles="--")
    near = np.abs(data["radius"] - 1) < 0.05
    labelled = False
    for b in data["boundary"]:
        vals = np.where(near, b["values"], np.nan)
        if np.isfinite(vals).sum() < 4:
            continue
        finite = vals[np.isfinite(vals)]
        if finite.min() > 0 or finite.max() < 0:
            continue
        cs = ax.contour(E, Bt, vals.T, levels=[0.0], colors="gold", linewidths=1.6)
        if not labelled and cs.allsegs and any(len(s) for s in cs.allsegs[0]):
            ax.plot([], [], color="gold", lw=1.6, label="exact boundary (Res(p, p*) = 0)")
            labelled = True
    ax.plot([], [], color="k", lw=0.8, ls="--", label=r"sweep: $\rho = 1$")
    ax.set_xlabel(r"step size $\eta$")
    ax.set_ylabel(r"momentum $\beta$")
    ax.set_title(title or f"{method.name} ({method.order}) on {game.name}")
    ax.legend(loc="lower right", fontsize=8)
    return im


def plot_region(game, method, eta, beta, out_path, *, title=None, data=None, vmax: float = 2.0,
                dpi: int | None = None, **fixed) -> Path:
    """Heatmap of the spectral radius over ``(eta, beta)`` with exact boundary curves.

    Parameters
    ----------
    game, method : the pair to analyse.
    eta, beta : 1-D arrays of the axes.
    out_path : path of the picture; its suffix (``.png``, ``.pdf``, ``.svg``)
        is the format. Written atomically and deterministically
        (:func:`gametheory.plotting.save_figure`).
    title : str, optional
    data : dict, optional
        A :func:`region_data` result to reuse.
    """
    from gametheory.plotting import pyplot, save_figure

    out_path = Path(out_path)
    fig, ax = pyplot().subplots(figsize=(6, 4.5), layout="constrained")
    im = draw_region(ax, game, method, eta, beta, title=title, data=data, vmax=vmax, **fixed)
    fig.colorbar(im, ax=ax, label=r"spectral radius $\rho$")
    (path,) = save_figure(fig, out_path.parent, out_path.stem, (out_path.suffix.lstrip(".") or "png",), dpi=dpi)
    return path
