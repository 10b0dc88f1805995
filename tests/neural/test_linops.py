"""Linear operators and conjugate gradients (warm start with the true residual, truncation, tolerances)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.backend import conjugate_gradient, game_closure  # noqa: E402
from gametheory.neural.optimizers import make_optimizer  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402


def test_conjugate_gradient_warm_start_uses_true_residual():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(6, 6))
    A = torch.tensor(M @ M.T + 6 * np.eye(6))
    b = torch.tensor(rng.normal(size=6))
    x_true = torch.linalg.solve(A, b)
    x0 = torch.tensor(rng.normal(size=6)) * 10
    x, it, _ = conjugate_gradient(lambda v: A @ v, b, x0, tol=1e-13, max_iter=50)
    assert torch.allclose(x, x_true, atol=1e-9)
    # a warm start at the solution needs no iteration
    _, it0, _ = conjugate_gradient(lambda v: A @ v, b, x_true, tol=1e-8, max_iter=50)
    assert it0 == 0


def test_conjugate_gradient_image_is_the_map_of_the_solution():
    """``with_image``: the accumulated ``T x`` equals ``T`` applied to the returned ``x`` (cold and warm)."""
    rng = np.random.default_rng(2)
    M = rng.normal(size=(7, 7))
    A = torch.tensor(M @ M.T + np.eye(7))
    T = torch.tensor(rng.normal(size=(3, 7)))
    b = torch.tensor(rng.normal(size=7))
    for x0 in (None, torch.tensor(rng.normal(size=7))):
        x, it, products, image = conjugate_gradient(lambda v: (A @ v, T @ v), b, x0, tol=1e-12, max_iter=50,
                                                    with_image=True)
        assert it >= 1 and products == it + (x0 is not None)
        assert torch.allclose(x, torch.linalg.solve(A, b), atol=1e-9)
        assert torch.allclose(image, T @ x, atol=1e-9)


def test_conjugate_gradient_reports_truncation_and_takes_an_absolute_tolerance():
    rng = np.random.default_rng(3)
    M = rng.normal(size=(8, 8))
    A = torch.tensor(M @ M.T + 0.1 * np.eye(8))
    b = torch.tensor(rng.normal(size=8)) * 1e-3
    info = {}
    _, it, _ = conjugate_gradient(lambda v: A @ v, b, tol=1e-14, max_iter=2, info=info)
    assert it == 2 and info["converged"] is False and info["residual"] > 1e-14 * float(b.norm())
    full, info_full = {}, {}
    _, it_rel, _ = conjugate_gradient(lambda v: A @ v, b, tol=1e-12, max_iter=100, info=full)
    _, it_abs, _ = conjugate_gradient(lambda v: A @ v, b, tol=1e-12, atol=1e-6, max_iter=100, info=info_full)
    assert full["converged"] and info_full["converged"] and info_full["residual"] <= 1e-6 and it_abs < it_rel


def test_cg_truncations_are_counted_in_the_totals(toy_games):
    game = toy_games["bilinear"]
    closure = game_closure(game)
    x = torch.tensor([0.5, -0.2], requires_grad=True, dtype=torch.float64)
    y = torch.tensor([0.3, 0.1, -0.4], requires_grad=True, dtype=torch.float64)
    opt = make_optimizer("acgd", [x], [y], lr=0.3, cg_tol=1e-14, cg_max_iter=1, warm_start=False)
    steps = [opt.step(closure) for _ in range(4)]
    assert all(s.cg_truncated == 1 for s in steps) and opt.totals.cg_truncated == 4
    ok = make_optimizer("acgd", [x], [y], lr=0.3, cg_tol=1e-8, cg_max_iter=100)
    ok.step(closure)
    assert ok.totals.cg_truncated == 0
    with pytest.raises(ParameterError, match="cg_atol"):
        make_optimizer("acgd", [x], [y], lr=0.3, cg_atol=-1.0)
    with pytest.raises(ParameterError, match="eps"):
        make_optimizer("acgd", [x], [y], lr=0.3, eps=0.0)
