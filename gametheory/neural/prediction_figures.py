"""Figures of predicted vs measured local rates at a neural GAN's equilibrium.

* :func:`plot_rates`: predicted against measured rate at every grid point,
  with the diagonal (marker: measured verdict; red outline: disagreement);
* :func:`plot_region`: the predicted rate over a one- or two-parameter grid
  (heat map, the contour ``rho = 1`` as the predicted stability boundary)
  with the measured verdicts on top;
* :func:`plot_lambda_plane`: the eigenvalues of ``J`` (kernel in grey) with
  the method's stability region mapped into the ``lambda``-plane,
  ``{lambda : max |roots of q(mu, lambda)| < 1}`` for the method's derived
  scalar polynomial ``q`` (:func:`gametheory.sweep.scalar_polynomial`) at one
  grid point; methods that are not functions of ``J`` have no such region
  and the figure says so.

:func:`save_prediction_figures` writes all three with
:func:`gametheory.plotting.save_figure` (atomic, byte-for-byte reproducible).
Every function takes the JSON layout of
:meth:`~gametheory.neural.prediction.PredictionResult.to_json`, so saved
results can be redrawn.

Example
-------
>>> res = {"points": [{"params": {"eta": 0.1}, "predicted_rho": 0.9, "measured_rho": 0.91,
...                    "predicted_verdict": "converges", "measured_verdict": "converges", "agree": True}],
...        "settings": {"method": "gd", "order": "simultaneous", "grid": {"eta": [0.1]}, "band": 0.01},
...        "eigenvalues": [[1.0, 0.5], [1.0, -0.5]], "equilibrium": {"kernel": {"threshold": 0.0}}}
>>> fig = plot_rates(res); fig.axes[0].get_xlabel()
'predicted rate rho'
"""
from __future__ import annotations

import numpy as np

from ..plotting import pyplot, save_figure

__all__ = ["plot_rates", "plot_region", "plot_lambda_plane", "save_prediction_figures", "MARKERS"]

MARKERS = {"converges": ("o", "#1a7f37"), "bounded": ("s", "#9a6700"), "diverges": ("X", "#cf222e")}
CLIP = 3.0


def _as_json(result):
    return result.to_json() if hasattr(result, "to_json") else result


def _title(res):
    st = res["settings"]
    game = st.get("game", {})
    data = game.get("data", "")
    extra = f", {game.get('loss')}" if game.get("loss") else ""
    extra += f", R1 {game['r1']:g}" if game.get("r1") else ""
    return f"{st['method']} ({st['order']}) on {data}{extra}"


def plot_rates(result):
    """Predicted vs measured rate, one marker per grid point (rates clipped at 3)."""
    res = _as_json(result)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.6, 4.2))
    pts = [p for p in res["points"] if p.get("measured_rho") is not None]
    lo = min([min(p["predicted_rho"], p["measured_rho"]) for p in pts if np.isfinite(p["measured_rho"])] + [0.9])
    hi = min(CLIP, max([max(p["predicted_rho"], p["measured_rho"]) for p in pts
                        if np.isfinite(p["measured_rho"])] + [1.1]))
    pad = 0.03 * (hi - lo)
    ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="0.5", lw=0.8, label="measured = predicted")
    ax.axhline(1, color="0.8", lw=0.6)
    ax.axvline(1, color="0.8", lw=0.6)
    for verdict, (mk, col) in MARKERS.items():
        sel = [p for p in pts if p["measured_verdict"] == verdict]
        if not sel:
            continue
        xs = np.clip([p["predicted_rho"] for p in sel], None, CLIP)
        ys = np.clip(np.nan_to_num([p["measured_rho"] for p in sel], nan=CLIP), None, CLIP)
        edge = ["#cf222e" if not p["agree"] else col for p in sel]
        ax.scatter(xs, ys, marker=mk, c=col, edgecolors=edge, linewidths=1.2, s=36, label=f"measured {verdict}",
                   zorder=3)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("predicted rate rho")
    ax.set_ylabel("measured rate (fit of |v(z_t)|)")
    agree = res.get("summary", {}).get("agreement_rate")
    ax.set_title(_title(res) + (f"\nverdicts agree on {agree:.0%} of points" if agree is not None else ""),
                 fontsize=8)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def plot_region(result):
    """The predicted rate over the grid with the measured verdicts (1-D: a curve; 2-D: a heat map)."""
    res = _as_json(result)
    plt = pyplot()
    grid = res["settings"]["grid"]
    names = [k for k, v in grid.items() if len(v) > 1] or list(grid)[:1]
    pts = res["points"]
    fig, ax = plt.subplots(figsize=(5.0, 4.0))
    if len(names) >= 2:
        a, b = names[0], names[1]
        av, bv = sorted(set(float(v) for v in grid[a])), sorted(set(float(v) for v in grid[b]))
        R = np.full((len(bv), len(av)), np.nan)
        for p in pts:
            i, j = bv.index(float(p["params"][b])), av.index(float(p["params"][a]))
            R[i, j] = min(p["predicted_rho"], CLIP) if np.isnan(R[i, j]) else min(R[i, j], p["predicted_rho"])
        mesh = ax.pcolormesh(av, bv, R, shading="nearest", cmap="viridis_r", vmin=min(np.nanmin(R), 0.9),
                             vmax=min(max(np.nanmax(R), 1.1), 1.5))
        fig.colorbar(mesh, ax=ax, label="predicted rho")
        if len(av) > 1 and len(bv) > 1 and np.nanmin(R) < 1 < np.nanmax(R):
            ax.contour(av, bv, R, levels=[1.0], colors="white", linewidths=1.2)
        for verdict, (mk, col) in MARKERS.items():
            sel = [p for p in pts if p.get("measured_verdict") == verdict]
            if sel:
                ax.scatter([p["params"][a] for p in sel], [p["params"][b] for p in sel], marker=mk, c=col,
                           edgecolors=["#cf222e" if not p["agree"] else "white" for p in sel], s=40,
                           label=f"measured {verdict}", zorder=3)
        ax.set_xlabel(a)
        ax.set_ylabel(b)
        ax.set_title(_title(res) + "\npredicted rho (white: rho = 1) and measured verdicts", fontsize=8)
    else:
        a = names[0]
        order = sorted(range(len(pts)), key=lambda i: float(pts[i]["params"][a]))
        xs = [float(pts[i]["params"][a]) for i in order]
        ax.plot(xs, np.clip([pts[i]["predicted_rho"] for i in order], None, CLIP), "-", color="C0",
                label="predicted rho")
        for verdict, (mk, col) in MARKERS.items():
            sel = [pts[i] for i in order if pts[i].get("measured_verdict") == verdict]
            if sel:
                ax.scatter([float(p["params"][a]) for p in sel],
                           np.clip(np.nan_to_num([p["measured_rho"] for p in sel], nan=CLIP), None, CLIP),
                           marker=mk, c=col, s=36, label=f"measured {verdict}", zorder=3)
        ax.axhline(1, color="0.6", lw=0.8)
        ax.set_xlabel(a)
        ax.set_ylabel("rate rho")
        ax.set_title(_title(res), fontsize=8)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def _best_point(res):
    pts = [p for p in res["points"] if np.isfinite(p["predicted_rho"])]
    return min(pts, key=lambda p: p["predicted_rho"]) if pts else res["points"][0]


def lambda_region(method, params: dict, re, im):
    """``max |roots of q(mu, lambda)|`` on the ``lambda``-grid ``re + i im`` (2-D arrays), or None.

    ``q`` is the method's derived scalar polynomial; rooted by
    :func:`gametheory.sweep.max_root_modulus` (the sweep engine's closed forms).
    """
    import sympy as sp

    from ..derive import MU
    from ..sweep import LAMBDA, max_root_modulus, scalar_polynomial, spectral_applies

    if not spectral_applies(method, **params):
        return None
    extras = tuple(k for k in ("eta_extrap",) if params.get(k) is not None)
    q = scalar_polynomial(method, extras)
    vals = method.continuous_values(params, mode="float")
    # q's symbols are the shared names (eta, beta, ...); the rule reads the players' (equal) values eta_x, beta_x
    subs = {s: vals.get(str(s), vals.get(f"{s}_x")) for s in q.free_symbols if str(s) not in ("mu", "lambda")}
    poly = sp.Poly(sp.expand(q.xreplace(subs)), MU)
    lam = (np.asarray(re) + 1j * np.asarray(im)).reshape(-1)
    coeffs = []
    for c in poly.all_coeffs():
        fn = sp.lambdify(LAMBDA, c, "numpy")
        coeffs.append(np.broadcast_to(np.asarray(fn(lam), dtype=complex), lam.shape))
    rho, _ = max_root_modulus(coeffs, 1e-9)
    return np.asarray(rho).reshape(np.shape(re))


def plot_lambda_plane(result, method=None, params=None):
    """Eigenvalues of ``J`` and the method's stability region in the ``lambda``-plane (at one grid point)."""
    from .. import methods as core_methods

    res = _as_json(result)
    st = res["settings"]
    plt = pyplot()
    lam = np.array([complex(a, b) for a, b in res["eigenvalues"]])
    thr = res["equilibrium"]["kernel"]["threshold"]
    pt = params if params is not None else _best_point(res)["params"]
    if method is None:
        bound = dict(st.get("bound") or {})
        bound.update({k: v for k, v in pt.items() if k in ("k", "n")})
        method = core_methods.get(st["method"], order=st["order"], **bound)
    cont = {k: v for k, v in pt.items() if k not in ("k", "n")}
    fig, ax = plt.subplots(figsize=(5.0, 4.4))
    off = lam[np.abs(lam) > thr]
    ker = lam[np.abs(lam) <= thr]
    span = max(1e-12, float(np.max(np.abs(off)))) if len(off) else 1.0
    xr = (min(-0.2 * span, float(off.real.min()) - 0.1 * span) if len(off) else -1, 1.3 * span)
    yr = 1.25 * max(span, 1e-12)
    RE, IM = np.meshgrid(np.linspace(*xr, 260), np.linspace(-yr, yr, 260))
    region = lambda_region(method, cont, RE, IM)
    label = ", ".join(f"{k}={v:g}" for k, v in pt.items())
    if region is not None:
        ax.contourf(RE, IM, region < 1, levels=[0.5, 1.5], colors=["#d4edda"])
        ax.contour(RE, IM, region, levels=[1.0], colors="#1a7f37", linewidths=1.0)
        note = f"green: {method.name} converges for lambda there\n({label})"
    else:
        note = f"{method.name} ({method.order}) is not a function of J:\nno lambda-plane region ({label})"
    ax.axhline(0, color="0.7", lw=0.6)
    ax.axvline(0, color="0.7", lw=0.6)
    if len(ker):
        ax.scatter(ker.real, ker.imag, s=10, c="0.6", label=f"kernel ({len(ker)})", zorder=3)
    ax.scatter(off.real, off.imag, s=22, c="C0", label=f"off the kernel ({len(off)})", zorder=4)
    ax.set_xlim(*xr)
    ax.set_ylim(-yr, yr)
    ax.set_xlabel("Re lambda")
    ax.set_ylabel("Im lambda")
    ax.set_title("eigenvalues of J = dv/dz at z*\n" + note, fontsize=8)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def save_prediction_figures(result, out_dir, stem: str = "predict", formats=("png",)) -> list:
    """Write the three figures as ``<stem>_rates``, ``<stem>_region``, ``<stem>_lambda`` (paths returned)."""
    res = _as_json(result)
    paths = []
    if any(p.get("measured_rho") is not None for p in res["points"]):
        paths += save_figure(plot_rates(res), out_dir, f"{stem}_rates", formats=formats)
    paths += save_figure(plot_region(res), out_dir, f"{stem}_region", formats=formats)
    paths += save_figure(plot_lambda_plane(res), out_dir, f"{stem}_lambda", formats=formats)
    return paths
