"""Datasets: the Mangoubi-Sachdeva-Vishnoi mixture layouts, ring and grid, 0/1 digits and MNIST IDX files."""
import gzip
import struct
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gametheory.neural.data import digits01, load_mnist01, mixture  # noqa: E402
from gametheory.neural.metrics import mode_report  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402


def test_faithful_mixture_has_four_modes_with_weights_from_the_endpoint():
    m = mixture("gaussians4", layout="faithful")
    assert m.n_modes == 4 and len(m.components) == 5
    x = m.sample(20000, torch.Generator().manual_seed(0))
    freq = np.array(mode_report(x, m)["histogram"])
    np.testing.assert_allclose(freq, [0.4, 0.2, 0.2, 0.2], atol=0.015)
    assert m.describe()["layout"] == "faithful"
    clean = mixture("gaussians4", layout="clean")
    assert clean.weights.tolist() == [0.25] * 4
    assert torch.allclose(torch.sort(clean.means, 0).values, torch.sort(m.means, 0).values)
    assert mixture("ring8").n_modes == 8 and mixture("grid25").n_modes == 25


def test_digits_and_mnist_idx(tmp_path):
    d = digits01()
    assert d.dim == 64 and set(d.labels.tolist()) == {0, 1}
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(10, 4, 4), dtype=np.uint8)
    labels = np.array([0, 1, 2, 1, 0, 7, 1, 0, 3, 1], dtype=np.uint8)
    with gzip.open(tmp_path / "train-images-idx3-ubyte.gz", "wb") as fh:
        fh.write(bytes([0, 0, 8, 3]) + struct.pack(">III", 10, 4, 4) + images.tobytes())
    with open(tmp_path / "train-labels-idx1-ubyte", "wb") as fh:
        fh.write(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + labels.tobytes())
    m = load_mnist01(tmp_path)
    assert m.dim == 16 and len(m.images) == 7 and m.labels.tolist() == [0, 1, 1, 0, 1, 0, 1]
    np.testing.assert_allclose(m.images[0].numpy(), images[0].reshape(-1) / 255 * 2 - 1, atol=1e-6)
    with pytest.raises(ParameterError, match="path"):
        load_mnist01(tmp_path / "missing")
