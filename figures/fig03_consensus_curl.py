"""Figure 3: the curl field, its conservative relaxation -grad L and the consensus mix.

Regenerates the three vector-field pictures of Huszar, "GANs are broken in
more than one way: the numerics of GANs" (inFERENCe blog, inference.vc, 2017):
the constant curl field (motion ``(-phi, theta)``), the conservative field
``-grad L`` with ``L = 1/2 |v|^2`` (Mescheder, Nowozin, Geiger, NeurIPS 2017),
and "the combined (still non-conservative) vector field" of consensus
optimization, ``-(v + gamma grad L)``. Each panel also shows the iterates of
the corresponding method: GDA (``gd``) on ``v``, gradient descent on ``L``
(``gd`` on the game whose descent field is ``grad L = J^T v``) and the
registry's ``consensus`` method, all with step 0.1.
"""
from __future__ import annotations

from pathlib import Path

import gametheory as gt
from gametheory.dynamics import run
from gametheory.plotting import grid, method_direction, quiver_field, save_figure

from ._common import figure, time_colored

ID = "fig03"
CAPTION = ("The curl field v (motion (-phi, theta)), its conservative relaxation -grad L with L = |v|^2/2, and the "
           "consensus mix -(v + gamma grad L), gamma = 0.5, with iterates of GDA (spirals out), gradient descent on L "
           "(straight to the equilibrium) and consensus optimization (spirals in), step 0.1, 60 steps, from (1, 0.5).")
SOURCE = ("Huszár, 'GANs are Broken in More than One Way: The Numerics of GANs', inFERENCe blog (inference.vc), "
          "2017, curl-field figures; Mescheder, Nowozin, Geiger, 'The Numerics of GANs', NeurIPS 2017")

GAMMA, ETA, STEPS, START = 0.5, 0.1, 60, (1.0, 0.5)


def relaxation(game):
    """The game whose descent field is ``grad L = J^T v`` (``L = 1/2 |v|^2``): its GDA is gradient descent on L."""
    return gt.Game(game.x, game.y, field=list(game.jacobian.T * game.v), equilibria=game.equilibria,
                   name=f"grad L of {game.name}", kind="field")


def make(out_dir: Path, formats=("png",), dpi=None) -> list:
    game = gt.games.curl_field()
    L = relaxation(game)
    X, Y = grid(1.5, 17)
    panels = [
        ("curl field: motion -v", game, gt.methods.get("gd"), {}),
        ("conservative relaxation -grad L", L, gt.methods.get("gd"), {}),
        (f"consensus mix -(v + {GAMMA} grad L)", game, gt.methods.get("consensus"), {"gamma": GAMMA}),
    ]
    fig, axes = figure(1, 3, width=3.6, height=3.6)
    for ax, (title, g, m, p) in zip(axes[0], panels):
        U, V = method_direction(g, m, X, Y, **p)
        quiver_field(ax, X, Y, U, V)
        r = run(g, m, START, STEPS, eta=ETA, **p)
        time_colored(ax, r.trajectory, cmap="plasma", lw=1.6)
        ax.plot(0, 0, "*", color="k", ms=10)
        ax.set_title(title, fontsize=10)
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.6, 1.6)
        ax.set_aspect("equal")
        ax.set_xlabel("theta")
        ax.set_ylabel("phi")
    return save_figure(fig, out_dir, "fig03_consensus_curl", formats, dpi=dpi)
