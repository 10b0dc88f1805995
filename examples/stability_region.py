"""Draw a stability region: the spectral radius of heavy-ball momentum over (eta, beta).

Run: ``python examples/stability_region.py``; writes
``out/examples/momentum_region.png`` (exact boundary curves over the fast sweep).
"""
from pathlib import Path

import numpy as np

import gametheory as gt
from gametheory.analyses.regions import plot_region

game = gt.games.bilinear([[1]])                          # min_x max_y x*y
method = gt.methods.get("momentum", order="alternating")
eta = np.linspace(0.01, 2.5, 120)
beta = np.linspace(-1, 1, 100)
radius = gt.spectral_radius(game, method, eta=eta[None, :], beta=beta[:, None])   # a grid: one fast sweep
i, j = np.unravel_index(np.argmin(radius), radius.shape)
print(f"smallest radius on the grid: {radius[i, j]:.4f} at eta = {eta[j]:.3f}, beta = {beta[i]:.3f}")
path = plot_region(game, method, eta, beta, Path("out/examples/momentum_region.png"),
                   title="alternating heavy ball on x*y")
print("wrote", path)
