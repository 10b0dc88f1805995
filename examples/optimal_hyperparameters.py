"""Find the step size and momentum that minimise the worst-case spectral radius on bilinear games.

Run: ``python examples/optimal_hyperparameters.py``.
"""
import gametheory as gt
from gametheory.analyses.optimal import optimal_parameters

alt = gt.methods.get("momentum", order="alternating")
r = optimal_parameters(alt, sigma_range=(1, 1), params=("eta", "beta"), grid=32, maxiter=300)
print(f"alternating heavy ball, sigma = 1: eta = {r['params']['eta']:.4f}, beta = {r['params']['beta']:.4f}, "
      f"radius {r['radius_check']:.4f} (grid seed: {r['grid_best']['radius']:.4f})")
print("negative momentum is optimal here:", r["params"]["beta"] < 0)
# the exact verdict at the optimum the optimiser found
print("exact verdict there:", gt.stability(gt.games.bilinear([[1]]), alt, **r["params"]))
