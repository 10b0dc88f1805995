"""How well a generator covers a mixture's modes (and, for digits, both digits).

Definitions (for a :class:`~gametheory.neural.data.Mixture` with centres
``mu_k``, weights ``w_k`` and standard deviation ``s``):

* a sample is **high quality** if it lies within ``3 s`` of some centre
  (Srivastava et al., "VEEGAN", NeurIPS 2017; Metz et al., "Unrolled GANs",
  ICLR 2017, Section 3.1);
* a sample **belongs** to mode ``k`` if ``mu_k`` is its nearest centre and it
  lies within the coverage radius (default: a tenth of the smallest distance
  between centres, which stands in for "a visible cluster on the mode" of the
  MSV blog's visual count);
* a mode is **covered** if at least ``min_share / K`` of the samples belong
  to it (default ``min_share = 0.2``: a fifth of a fair share);
* the **KL of the mode histogram** is ``KL(q || w)`` with ``q`` the share of
  the belonging samples per mode (smoothed by ``1e-6``), ``None`` when no
  sample belongs to any mode;
* the **dominant mode** is the mode with most belonging samples.

Examples
--------
>>> import torch
>>> from gametheory.neural.data import mixture
>>> m = mixture("gaussians4", layout="clean")
>>> r = mode_report(m.sample(1000, torch.Generator().manual_seed(0)), m)
>>> r["modes"], r["high_quality"] > 0.95
(4, True)
"""
from __future__ import annotations

import math

import numpy as np
import torch

__all__ = ["mode_report", "count_switches", "DigitClassifier", "digit_report", "wasserstein1", "point_mass_w1"]


def _coverage_radius(mixture) -> float:
    d = torch.cdist(mixture.means, mixture.means)
    d = d + torch.eye(len(d), dtype=d.dtype) * 1e9
    return float(d.min()) / 10


def mode_report(samples, mixture, *, coverage_radius: float | None = None, min_share: float = 0.2) -> dict:
    """Modes covered, share of high-quality samples, KL of the mode histogram and the dominant mode.

    Returns a dict with ``modes`` (int), ``covered`` (list of mode indices),
    ``high_quality`` (share), ``histogram`` (share of all samples per mode),
    ``kl`` (float or None), ``dominant`` (index or None).
    """
    x = torch.as_tensor(samples).detach().double().cpu()
    means = mixture.means.double()
    K = len(means)
    d = torch.cdist(x, means)
    dmin, nearest = d.min(1)
    finite = torch.isfinite(dmin)
    radius = _coverage_radius(mixture) if coverage_radius is None else float(coverage_radius)
    belongs = finite & (dmin <= radius)
    hq = finite & (dmin <= 3 * mixture.std)
    counts = torch.bincount(nearest[belongs], minlength=K).double()
    n = max(len(x), 1)
    share = counts / n
    covered = [k for k in range(K) if share[k] >= min_share / K]
    total = counts.sum()
    if total > 0:
        q = counts / total
        w = mixture.weights.double()
        kl = float(((q + 1e-6) * torch.log((q + 1e-6) / w)).sum())
        dominant = int(torch.argmax(counts))
    else:
        kl, dominant = None, None
    return {"modes": len(covered), "covered": covered, "high_quality": float(hq.double().mean()),
            "histogram": [round(float(s), 6) for s in share], "kl": kl, "dominant": dominant,
            "coverage_radius": radius}


def wasserstein1(a, b) -> float:
    """The Wasserstein-1 distance between two empirical measures of ``n`` points each (exact).

    ``W_1 = min over permutations pi of (1/n) sum_i |a_i - b_pi(i)|``: for equal
    sizes and uniform weights the optimal transport plan is a permutation
    (Birkhoff-von Neumann), found by :func:`scipy.optimize.linear_sum_assignment`
    on the Euclidean cost matrix. Non-finite points give ``inf``.

    >>> wasserstein1([[0, 0], [1, 0]], [[1, 0], [0, 3]])
    1.5
    """
    from scipy.optimize import linear_sum_assignment
    from scipy.spatial.distance import cdist

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"wasserstein1: equal numbers of points of one dimension needed, got {a.shape} and {b.shape}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return math.inf
    cost = cdist(a, b)
    i, j = linear_sum_assignment(cost)
    return float(cost[i, j].mean())


def point_mass_w1(points) -> float:
    """The smallest ``W_1`` from a single point to the empirical measure of ``points`` (their geometric median's).

    A generator collapsed onto one point, wherever it stands, is at least this
    far from the data: the bar an untrained generator cannot pass. The
    geometric median by Weiszfeld's iteration (from the mean; 200 steps).

    >>> round(point_mass_w1([[2, 0], [-2, 0], [0, 2], [0, -2]]), 6)
    2.0
    """
    x = np.asarray(points, dtype=float)
    m = x.mean(axis=0)
    for _ in range(200):
        d = np.maximum(np.linalg.norm(x - m, axis=1), 1e-12)
        m = (x / d[:, None]).sum(axis=0) / (1 / d).sum()
    return float(np.linalg.norm(x - m, axis=1).mean())


def count_switches(dominant) -> int:
    """How often the dominant mode changes over time (``None`` entries skipped): cycling shows as many switches.

    >>> count_switches([0, 0, 1, 1, None, 0, 2])
    3
    """
    seq = [d for d in dominant if d is not None]
    return sum(a != b for a, b in zip(seq, seq[1:]))


class DigitClassifier:
    """A logistic-regression classifier of 0 vs 1 trained on the real digits (counts generated 0s and 1s).

    >>> from gametheory.neural.data import digits01
    >>> d = digits01(); clf = DigitClassifier(d)
    >>> clf.accuracy > 0.98
    True
    """

    def __init__(self, digits, seed: int = 0):
        from sklearn.linear_model import LogisticRegression

        X = digits.images.numpy().astype(float)
        y = digits.labels.numpy()
        rng = np.random.default_rng(seed)
        idx = rng.permutation(len(X))
        cut = int(0.8 * len(X))
        self.model = LogisticRegression(max_iter=2000).fit(X[idx[:cut]], y[idx[:cut]])
        self.accuracy = float(self.model.score(X[idx[cut:]], y[idx[cut:]]))

    def predict(self, samples) -> np.ndarray:
        return self.model.predict(torch.as_tensor(samples).detach().cpu().double().numpy())


def digit_report(samples, classifier, *, min_share: float = 0.1) -> dict:
    """Shares of generated 0s and 1s; ``modes`` = digits with at least ``min_share`` of the samples."""
    pred = classifier.predict(samples)
    shares = [float(np.mean(pred == k)) for k in (0, 1)]
    covered = [k for k in (0, 1) if shares[k] >= min_share]
    dominant = int(np.argmax(shares))
    q = np.array(shares) + 1e-6
    kl = float(np.sum(q * np.log(q / 0.5)))
    return {"modes": len(covered), "covered": covered, "histogram": shares, "dominant": dominant,
            "kl": kl if math.isfinite(kl) else None, "high_quality": None}
