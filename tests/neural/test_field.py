"""TorchField: matrix-free Jacobian blocks of a Torch game against the exact Jacobian."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.backend import TorchField, TorchOps, game_closure  # noqa: E402


def test_torchfield_blocks_match_numpy_jacobian(toy_games):
    game = toy_games["general_sum"]
    field = TorchField(game_closure(game), [(1,)], [(2,)])
    x, y = torch.tensor([0.3], dtype=torch.float64), torch.tensor([-0.2, 0.4], dtype=torch.float64)
    blocks = field.jac(x, y)
    ref = game.field_function().jac(x.numpy(), y.numpy())
    for B, R in zip(blocks, ref):
        np.testing.assert_allclose(B.dense(x).numpy(), np.asarray(R, dtype=float), atol=1e-12)
        np.testing.assert_allclose(B.T.dense(x).numpy(), np.asarray(R, dtype=float).T, atol=1e-12)
    assert TorchOps.solve(blocks[0] + TorchOps.eye(1), torch.tensor([2.0], dtype=torch.float64)).shape == (1,)
