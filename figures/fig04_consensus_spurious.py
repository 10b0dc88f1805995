"""Figure 4: the field (cos phi, sin theta), its -grad L and the consensus mix; spurious equilibria.

Regenerates the second set of pictures of Huszar, "GANs are broken in more
than one way: the numerics of GANs" (inFERENCe blog, inference.vc, 2017): the field
``(cos phi, sin theta)`` (motion) with its equilibria and saddle points
annotated, the conservative relaxation ``-grad L`` "where both saddle points
and equilibria are turned to local minima", and the mixed field of consensus
optimization (Mescheder et al., NeurIPS 2017). The post states that "as we
increase gamma, we also introduce spurious equilibria"; the last panel counts
them: zeros of ``v + gamma grad L`` that are not zeros of ``v``, found by
sign changes on a fine grid refined with Newton steps (``scipy.optimize.fsolve``)
on the registry's ``consensus`` update.

The markers come from :meth:`Game.classify` (``center``: the post's
"equilibria", purely imaginary eigenvalues of ``J``; ``saddle``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import gametheory as gt
from gametheory.backends import NumPyOps
from gametheory.plotting import grid, mark_points, method_direction, quiver_field, save_figure

from ._common import figure
from .fig03_consensus_curl import relaxation

ID = "fig04"
CAPTION = ("The field (cos phi, sin theta) with centers (the post's equilibria, green) and saddles (red) classified "
           "from the Jacobian; its conservative relaxation -grad L, where all of them become minima of L; the "
           "consensus mix for gamma = 0.5 (no spurious equilibria) and gamma = 2 (spurious equilibria, magenta "
           "triangles); and the number of spurious equilibria in [-5, 5]^2 against gamma: none at the swept gamma < 1, many "
           "beyond.")
SOURCE = ("Huszár, 'GANs are Broken in More than One Way: The Numerics of GANs', inFERENCe blog (inference.vc), "
          "2017, (cos phi, sin theta) figures; Mescheder, Nowozin, Geiger, 'The Numerics of GANs', NeurIPS 2017")

R = 5.0
GAMMAS_SHOWN = (0.5, 2.0)
GAMMA_SWEEP = np.round(np.arange(0.05, 4.0, 0.15), 3)  # avoids gamma = 1 exactly, a bifurcation value


def mixed_field(field, T, P, gamma):
    """``v + gamma J^T v`` on arrays (the consensus direction, vectorised for root bracketing)."""
    x, y = T.reshape(1, -1), P.reshape(1, -1)
    vx, vy = field.v(x, y)
    Jxx, Jxy, Jyx, Jyy = field.jac(x, y)
    gx = Jxx[0, 0] * vx[0] + Jyx[0, 0] * vy[0]
    gy = Jxy[0, 0] * vx[0] + Jyy[0, 0] * vy[0]
    return (vx[0] + gamma * gx).reshape(T.shape), (vy[0] + gamma * gy).reshape(T.shape)


def consensus_zeros(game, gamma, extent=R, n=201):
    """Zeros of the consensus direction in ``[-extent, extent]^2`` and which of them are spurious."""
    from scipy.optimize import fsolve

    F = game.field_function()
    m = gt.methods.get("consensus")
    p = m.params({"eta": 1.0, "gamma": float(gamma)}, mode="float")

    def w(z):  # the registry's consensus step: z - step(z) = v + gamma grad L (eta = 1)
        x, y = np.array([z[0]]), np.array([z[1]])
        s = m.step({"x": x, "y": y}, F, p, NumPyOps)
        return [x[0] - s["x"][0], y[0] - s["y"][0]]

    t = np.linspace(-extent, extent, n)
    T, P = np.meshgrid(t, t)
    U, V = mixed_field(F, T, P, gamma)

    def changes(S):
        s = np.sign(S)
        a = s[:-1, :-1]
        return (a != s[1:, :-1]) | (a != s[:-1, 1:]) | (a != s[1:, 1:])

    h = t[1] - t[0]
    found = []
    for i, j in zip(*np.nonzero(changes(U) & changes(V))):
        z, _, ier, _ = fsolve(w, [T[i, j] + h / 2, P[i, j] + h / 2], full_output=True)
        if ier == 1 and np.all(np.abs(z) <= extent + 1e-9) and np.linalg.norm(w(z)) < 1e-10:
            if not any(np.linalg.norm(z - q) < 1e-6 for q in found):
                found.append(z)
    found = np.array(found).reshape(-1, 2)
    vnorm = np.array([np.linalg.norm(np.concatenate(F.v(q[:1], q[1:]))) for q in found])
    return found, vnorm > 1e-6


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    game = gt.games.cos_sin_field(extent=2)
    eqs = [e for e in game.equilibria if all(abs(float(c)) <= R for c in e)]
    kinds = {e: game.classify(e) for e in eqs}
    centers = [e for e in eqs if kinds[e] == "center"]
    saddles = [e for e in eqs if kinds[e] == "saddle"]
    X, Y = grid(R, 23)
    fig, axes = figure(2, 3, width=3.7, height=3.6)
    axes = axes.ravel()

    def marks(ax):
        mark_points(ax, centers, marker="o", color="green", ms=6, label="center (equilibrium)")
        mark_points(ax, saddles, marker="X", color="red", ms=7, label="saddle")

    def frame(ax, title):
        ax.set_xlim(-R, R)
        ax.set_ylim(-R, R)
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("theta")
        ax.set_ylabel("phi")

    U, V = method_direction(game, gt.methods.get("gd"), X, Y)
    quiver_field(axes[0], X, Y, U, V)
    marks(axes[0])
    frame(axes[0], "motion (cos phi, sin theta) = -v")
    axes[0].legend(loc="lower left", fontsize=6)
    U, V = method_direction(relaxation(game), gt.methods.get("gd"), X, Y)
    quiver_field(axes[1], X, Y, U, V)
    marks(axes[1])
    frame(axes[1], "conservative relaxation -grad L")
    for ax, gamma in zip(axes[2:4], GAMMAS_SHOWN):
        U, V = method_direction(game, gt.methods.get("consensus"), X, Y, gamma=gamma)
        quiver_field(ax, X, Y, U, V)
        marks(ax)
        zs, spurious = consensus_zeros(game, gamma)
        mark_points(ax, zs[spurious], marker="^", color="magenta", ms=6, label=f"spurious ({int(spurious.sum())})")
        frame(ax, f"consensus mix -(v + {gamma} grad L)")
        ax.legend(loc="lower left", fontsize=6)
    counts = [int(consensus_zeros(game, g, n=121)[1].sum()) for g in GAMMA_SWEEP]
    axes[4].step(GAMMA_SWEEP, counts, where="mid", color="magenta")
    axes[4].set_xlabel("gamma")
    axes[4].set_ylabel("spurious equilibria in [-5, 5]^2")
    axes[4].set_title("spurious equilibria appear as gamma grows", fontsize=9)
    axes[4].axvline(1.0, color="0.5", ls=":", lw=0.8)
    axes[5].axis("off")
    axes[5].text(0, 0.5, "centers: %d, saddles: %d\n(classified with Game.classify)\n\nspurious = zeros of\n"
                 "v + gamma J^T v with v != 0" % (len(centers), len(saddles)), fontsize=9, va="center")
    return save_figure(fig, out_dir, "fig04_consensus_spurious", formats, dpi=dpi)
