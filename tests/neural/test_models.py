"""The generator and discriminator MLPs: shapes, orthogonal initialisation with gain 0.8, seeds, bad input."""
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.models import discriminator, generator, mlp, parameter_names  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402


def test_shapes_and_the_paper_widths():
    g, d = generator(seed=0), discriminator(seed=0)
    assert g(torch.zeros(5, 256)).shape == (5, 2) and d(torch.zeros(5, 2)).shape == (5, 1)
    widths = [m.out_features for m in g if isinstance(m, torch.nn.Linear)]
    assert widths == [128, 128, 2]  # 2 hidden ReLU layers of 128 units, noise dimension 256
    assert parameter_names(d) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]


def test_orthogonal_weights_with_the_gain_and_zero_biases():
    net = mlp(16, 16, 16, layers=1, gain=0.8, seed=3)
    for m in net:
        if isinstance(m, torch.nn.Linear):
            W = m.weight.detach().double()
            assert torch.allclose(W @ W.T, 0.64 * torch.eye(16, dtype=torch.float64), atol=1e-6)
            assert torch.count_nonzero(m.bias) == 0


def test_a_seed_fixes_the_weights():
    a, b, c = (generator(noise_dim=4, hidden=8, seed=s) for s in (1, 1, 2))
    same = all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    differ = any(not torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))
    assert same and differ


def test_output_layer_and_activation_options():
    net = mlp(2, 4, 3, out="tanh", activation="leaky_relu", seed=0)
    assert isinstance(net[-1], torch.nn.Tanh) and isinstance(net[1], torch.nn.LeakyReLU)
    assert net(100 * torch.ones(1, 2)).abs().max() <= 1


@pytest.mark.parametrize("kwargs, name", [({"hidden": 0}, "hidden"), ({"layers": -1}, "layers"),
                                          ({"activation": "gelu"}, "activation"), ({"in_dim": 1.5}, "in_dim")])
def test_bad_sizes_name_the_parameter(kwargs, name):
    with pytest.raises(ParameterError, match=f"'{name}'"):
        mlp(**{"in_dim": 2, "hidden": 4, "out_dim": 1, **kwargs})
