"""Training data for the GAN experiments: Gaussian mixtures and 0/1 digits.

* ``gaussians4`` -- the mixture of Mangoubi, Sachdeva & Vishnoi (blog "Training
  GANs - From Theory to Practice", 2020, Figures 2 and 4). ``layout="faithful"``
  reproduces the authors' notebook: 5 angles ``linspace(0, 2 pi, 5)`` *including*
  the endpoint on the unit circle, std 0.01, one angle drawn uniformly per
  sample; angles 0 and 2 pi give the same point, so there are 4 modes with
  weights 0.4 / 0.2 / 0.2 / 0.2 (the doubled mode is (0, 1): points are
  ``(sin t, cos t)``). ``layout="clean"`` has 4 equally weighted modes at the
  same places. Every :class:`Mixture` records its layout.
* ``ring8`` -- 8 modes on a circle of radius 2, std 0.02 (Metz et al., "Unrolled
  GANs", ICLR 2017, Section 3.1).
* ``grid25`` -- 25 modes on the grid ``{-4, -2, 0, 2, 4}^2``, std 0.05
  (Srivastava et al., "VEEGAN", NeurIPS 2017).
* ``digits01`` -- the 8x8 digits 0 and 1 shipped with scikit-learn (360
  images, 64 pixels scaled to [-1, 1]), standing in for the 0/1 MNIST of
  Mangoubi et al.; :func:`load_mnist01` reads local MNIST IDX files instead
  (no download).

Examples
--------
>>> import torch
>>> m = mixture("gaussians4", layout="faithful")
>>> [round(w, 2) for w in m.weights.tolist()]
[0.4, 0.2, 0.2, 0.2]
>>> m.sample(5, torch.Generator().manual_seed(0)).shape
torch.Size([5, 2])
"""
from __future__ import annotations

import gzip
import math
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..validation import choice, fail, integer

__all__ = ["Mixture", "mixture", "DATASETS", "LAYOUTS", "digits01", "load_mnist01", "Digits"]

DATASETS = ("gaussians4", "ring8", "grid25", "digits01")
LAYOUTS = ("faithful", "clean")


@dataclass
class Mixture:
    """A mixture of isotropic Gaussians in the plane.

    Attributes
    ----------
    name, layout : str
    means : Tensor (K, 2)
        The distinct mode centres.
    weights : Tensor (K,)
        Mode probabilities.
    std : float
    components : Tensor (C, 2)
        The centres sampled uniformly (with repeats: the faithful 4-Gaussian
        mixture has 5 components over 4 modes).
    """

    name: str
    layout: str
    means: torch.Tensor
    weights: torch.Tensor
    std: float
    components: torch.Tensor

    @property
    def dim(self) -> int:
        return 2

    @property
    def n_modes(self) -> int:
        return len(self.means)

    def sample(self, n: int, generator=None, device="cpu", dtype=torch.float32) -> torch.Tensor:
        """``n`` samples: a component uniformly, plus ``N(0, std^2 I)`` noise."""
        n = integer("n", n, minimum=1)
        idx = torch.randint(len(self.components), (n,), generator=generator)
        noise = torch.randn(n, 2, generator=generator, dtype=torch.float64)
        out = self.components[idx].double() + self.std * noise
        return out.to(device=device, dtype=dtype)

    def density(self, points: torch.Tensor) -> torch.Tensor:
        """The mixture density at ``points`` (N, 2)."""
        d2 = ((points[:, None, :] - self.means[None].to(points)) ** 2).sum(-1)
        comp = torch.exp(-d2 / (2 * self.std ** 2)) / (2 * math.pi * self.std ** 2)
        return comp @ self.weights.to(points)

    def describe(self) -> dict:
        return {"data": self.name, "layout": self.layout, "modes": self.n_modes, "std": self.std,
                "means": self.means.tolist(), "weights": [round(w, 6) for w in self.weights.tolist()]}


def _from_components(name, layout, comps, std):
    comps = torch.as_tensor(np.round(comps, 12) + 0.0, dtype=torch.float64)
    means, inverse = torch.unique(comps, dim=0, return_inverse=True)
    counts = torch.bincount(inverse, minlength=len(means)).double()
    order = torch.argsort(-counts, stable=True)  # the heaviest mode first
    return Mixture(name, layout, means[order], (counts / counts.sum())[order], float(std), comps)


def mixture(name: str = "gaussians4", layout: str = "faithful") -> Mixture:
    """One of the planar mixtures (see the module docstring).

    >>> mixture("gaussians4", layout="clean").weights.tolist()
    [0.25, 0.25, 0.25, 0.25]
    >>> mixture("grid25").n_modes, mixture("ring8").n_modes
    (25, 8)
    """
    choice("data", name, DATASETS[:3])
    choice("layout", layout, LAYOUTS)
    if name == "gaussians4":
        angles = np.linspace(0, 2 * np.pi, 5) if layout == "faithful" else np.linspace(0, 2 * np.pi, 4,
                                                                                        endpoint=False)
        return _from_components(name, layout, np.stack([np.sin(angles), np.cos(angles)], 1), 0.01)
    if name == "ring8":
        angles = np.linspace(0, 2 * np.pi, 8, endpoint=False)
        return _from_components(name, "clean", 2 * np.stack([np.cos(angles), np.sin(angles)], 1), 0.02)
    g = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
    return _from_components(name, "clean", np.stack(np.meshgrid(g, g), -1).reshape(-1, 2), 0.05)


@dataclass
class Digits:
    """Images of the digits 0 and 1, flattened and scaled to [-1, 1]."""

    name: str
    images: torch.Tensor  # (N, side*side)
    labels: torch.Tensor  # (N,)
    side: int
    source: str

    @property
    def dim(self) -> int:
        return self.images.shape[1]

    n_modes = 2

    def sample(self, n: int, generator=None, device="cpu", dtype=torch.float32) -> torch.Tensor:
        idx = torch.randint(len(self.images), (integer("n", n, minimum=1),), generator=generator)
        return self.images[idx].to(device=device, dtype=dtype)

    def describe(self) -> dict:
        return {"data": self.name, "source": self.source, "side": self.side, "n_images": len(self.images),
                "counts": {"0": int((self.labels == 0).sum()), "1": int((self.labels == 1).sum())}}


def digits01() -> Digits:
    """The 8x8 digits 0 and 1 from scikit-learn (stand-in for 0/1 MNIST; no download).

    >>> d = digits01(); d.dim, int(d.images.min()), int(d.images.max())
    (64, -1, 1)
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:  # pragma: no cover
        fail("data", "scikit-learn installed for the digits data (pip install gametheory[digits])")
    d = load_digits()
    keep = d.target <= 1
    images = torch.tensor(d.data[keep] / 16.0 * 2 - 1, dtype=torch.float32)
    return Digits("digits01", images, torch.tensor(d.target[keep]), 8,
                  "scikit-learn 8x8 digits (stand-in for MNIST)")


def _read_idx(path: Path) -> np.ndarray:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        data = fh.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        fail("path", "an MNIST IDX file", str(path))
    dtype_code, ndim = data[2], data[3]
    if dtype_code != 0x08:
        fail("path", "an IDX file of unsigned bytes", str(path))
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_mnist01(path) -> Digits:
    """Digits 0 and 1 from local MNIST IDX files (``train-images-idx3-ubyte[.gz]`` and
    ``train-labels-idx1-ubyte[.gz]`` in the folder ``path``), scaled to [-1, 1]."""
    folder = Path(path)
    if not folder.is_dir():
        fail("path", "a folder holding MNIST IDX files", str(path))

    def find(stem):
        for cand in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
            if (folder / cand).exists():
                return folder / cand
        fail("path", f"a folder with {stem}[.gz]", str(path))

    images = _read_idx(find("train-images-idx3-ubyte"))
    labels = _read_idx(find("train-labels-idx1-ubyte"))
    keep = labels <= 1
    side = images.shape[1]
    x = torch.tensor(images[keep].reshape(int(keep.sum()), -1) / 255.0 * 2 - 1, dtype=torch.float32)
    return Digits("mnist01", x, torch.tensor(labels[keep].astype(np.int64)), side, f"MNIST IDX files in {folder}")


def load(name: str, layout: str = "faithful", path=None):
    """A dataset by name: a :class:`Mixture` or :class:`Digits` (``path``: local MNIST files for digits)."""
    choice("data", name, DATASETS)
    if name == "digits01":
        return load_mnist01(path) if path else digits01()
    return mixture(name, layout)
