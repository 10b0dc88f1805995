"""Figures of predicted vs measured rates and the stability region mapped into the lambda-plane."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import gametheory as gt  # noqa: E402
from gametheory.neural.prediction import predict  # noqa: E402


def test_figures(minimax_equilibrium, tmp_path):
    from gametheory.neural.prediction_figures import save_prediction_figures

    res = predict(minimax_equilibrium, gt.methods.get("momentum"), {"eta": [0.3, 0.6], "beta": [-0.2, 0.1]}, steps=60,
                  progress=False)
    paths = save_prediction_figures(res, tmp_path, stem="t")
    assert sorted(p.name for p in paths) == ["t_lambda.png", "t_rates.png", "t_region.png"]
    again = save_prediction_figures(res.to_json(), tmp_path / "b", stem="t")
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(paths, again))  # deterministic


def test_lambda_region_pen_and_paper():
    """GD converges iff |1 - eta lambda| < 1: the disc of radius 1/eta around 1/eta."""
    from gametheory.neural.prediction_figures import lambda_region

    re, im = np.array([[1.0, 2.5, 0.1]]), np.array([[0.0, 0.0, 0.5]])
    r = lambda_region(gt.methods.get("gd"), {"eta": 1.0}, re, im)
    np.testing.assert_allclose(r, np.abs(1 - (re + 1j * im)), atol=1e-12)
    assert lambda_region(gt.methods.get("gd", order="alternating"), {"eta": 1.0}, re, im) is None
