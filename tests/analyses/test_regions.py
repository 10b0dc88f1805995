"""Stability-region data and plots."""
import numpy as np

import gametheory as gt
from gametheory.analyses.regions import plot_region, region_data


def test_region_data_and_exact_boundary_agree_with_the_sweep():
    g = gt.games.bilinear([[1, 0], [0, 2]])
    m = gt.methods.get("momentum", order="alternating")
    eta = np.linspace(0.005, 1.5, 600)
    beta = np.array([-0.5])
    d = region_data(g, m, eta, beta)
    assert d["radius"].shape == (600, 1)
    rad = d["radius"][:, 0]
    crossings = np.nonzero(np.diff(np.sign(rad - 1)))[0]
    assert len(crossings) >= 1
    # every crossing of rho = 1 lies next to a sign change / zero of some exact boundary factor
    for i in crossings:
        near = False
        for b in d["boundary"]:
            v = b["values"][:, 0]
            lo, hi = max(0, i - 2), min(len(v) - 1, i + 3)
            if np.min(v[lo:hi + 1]) <= 0 <= np.max(v[lo:hi + 1]):
                near = True
        assert near, eta[i]


def test_plot_region_writes_a_png(tmp_path):
    g = gt.games.bilinear([[1]])
    out = plot_region(g, gt.methods.get("momentum"), np.linspace(0.01, 2, 40), np.linspace(-1.2, 1, 30),
                      tmp_path / "sim.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # any method / game pair (general path)
    out2 = plot_region(gt.games.get("dirac_gan"), gt.methods.get("momentum", order="alternating"),
                       np.linspace(0.01, 2, 12), np.linspace(-0.9, 0.9, 10), tmp_path / "dirac.png")
    assert out2.exists()
