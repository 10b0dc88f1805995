"""The non-saturating GAN on a finite space, in likelihood-ratio coordinates: best responses and alternation.

The slides "Computing the GAN Equilibrium" reparameterise the non-saturating
GAN by the likelihood ratio ``R(y) = p_g(y) / p_r(y)`` (``Y ~ p_r``,
``E[R(Y)] = 1``, ``R >= 0``) and the discriminator ``f(y) = P(real | y)``:

* generator loss ``g(R, f) = E[-R(Y) log f(Y)]``;
* discriminator loss ``d(R, f) = E[-log f(Y)] + E[-R(Y) log(1 - f(Y))]``,
  minimised pointwise by the Bayes discriminator ``f* = 1 / (1 + R)``.

On ``K`` points (``E[h(Y)] = sum_k p_k h(y_k)``) the generator's update of
alternating minimization (the slides' Algorithm 1),
``R <- argmin_{R >= 0, E[R] = 1} g(R, f)``, is a linear program in the
generated law ``q = p_r R`` (a probability vector): minimise
``sum_k q_k c_k`` with ``c_k = -log f(y_k)``. Its optimal value is
``min_k c_k`` and its set of optimal responses is the face of the simplex
over the discriminator's favourite points ``S = argmax f`` (every ``q``
supported on ``S``). The slides' answer ``R = delta(y - y_o) / p_r(y_o)``,
``y_o = argmax f``, is one vertex of that set; it is the only optimal
response exactly when ``argmax f`` is a single point. After one round the
generator puts no mass off its support, so ``f* = 1`` there and every such
point ties: which optimal response is "the" update is then a tie-break, not
the algorithm. :func:`best_responses` returns the whole set (checked against
SciPy's HiGHS solver), :func:`best_response` one element of it by a named,
seedable rule, and :func:`alternating_minimization` the rounds.

Ties are decided exactly: ``c`` is compared with ``==`` (for the Bayes
discriminator it is computed as ``log1p(R)``, so a positive ratio never ties
with ``R = 0``).

Example
-------
>>> import numpy as np
>>> p = np.array([0.5, 0.3, 0.2])
>>> br = best_responses(p, bayes_discriminator(np.array([1.2, 0.5, 1.5])))
>>> br.favourites.tolist(), round(br.value, 6)          # argmax f = argmin R, value min_k -log f
([1], 0.405465)
>>> best_response(p, neg_log_f=np.log1p([0.0, 0.0, 5.0]), rule="vertex").tolist()   # tie: largest p_r
[2.0, 0.0, 0.0]
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .validation import choice, fail, float_array, integer

TIE_BREAKS = ("vertex", "spread", "random", "random_vertex")

__all__ = ["bayes_discriminator", "generator_loss", "cost", "best_responses", "best_response",
           "alternating_minimization", "BestResponses", "AlternatingRun", "TIE_BREAKS"]


def bayes_discriminator(R):
    """``f* = 1 / (1 + R)``, the pointwise minimiser of ``d(R, .)``."""
    return 1.0 / (1.0 + np.asarray(R, dtype=float))


def generator_loss(p_r, R, f) -> float:
    """``g(R, f) = E_{p_r}[-R log f]``."""
    p, R, f = (np.asarray(a, dtype=float) for a in (p_r, R, f))
    return float(np.sum(p * R * -np.log(f)))


def cost(p_r, R) -> float:
    """``C(R) = E_{p_r}[(1 + R) log(1 + R)]`` (minimum ``2 log 2`` at ``R = 1``)."""
    p, R = np.asarray(p_r, dtype=float), np.asarray(R, dtype=float)
    return float(np.sum(p * (1 + R) * np.log1p(R)))


def _law(p_r):
    p = float_array("p_r", p_r).reshape(-1)
    if p.size == 0 or np.any(p <= 0) or abs(p.sum() - 1) > 1e-9:
        fail("p_r", "a probability vector with positive entries summing to 1", p.tolist()[:8])
    return p


@dataclass
class BestResponses:
    """The set of the generator's optimal responses to a discriminator (a face of the simplex).

    Attributes
    ----------
    favourites : ndarray of int
        ``S = argmax f`` (ties exact): every optimal response puts all its
        generated mass on these points, and every law on them is optimal.
    value : float
        The optimal loss ``min_k -log f(y_k)`` (``g`` at any optimal response).
    gap : float
        ``min_{k not in S} c_k - value`` (inf when ``S`` is everything): a
        response with mass ``m`` off ``S`` loses at least ``m * gap``.
    lp_value, lp_response : float, ndarray
        The same linear program solved by SciPy's HiGHS (an independent
        solver): its value and the ratio ``R`` it returns.
    """

    favourites: np.ndarray
    value: float
    gap: float
    lp_value: float
    lp_response: np.ndarray = field(repr=False)

    @property
    def unique(self) -> bool:
        """True when the optimal response is a single point mass (``argmax f`` is one point)."""
        return len(self.favourites) == 1


def best_responses(p_r, f=None, *, neg_log_f=None) -> BestResponses:
    """Every minimiser of ``g(R, f)`` over ``R >= 0``, ``E_{p_r}[R] = 1``, as a face of the simplex.

    Give the discriminator as ``f`` (values in ``(0, 1]``) or its per-point
    loss ``neg_log_f = -log f`` (for the Bayes discriminator ``log1p(R)``,
    exact where ``R`` is tiny).
    """
    from scipy.optimize import linprog

    p = _law(p_r)
    if (f is None) == (neg_log_f is None):
        fail("f", "the discriminator f, or neg_log_f = -log f (one of them)")
    if neg_log_f is None:
        f = float_array("f", f).reshape(-1)
        if f.shape != p.shape or np.any(f <= 0) or np.any(f > 1):
            fail("f", f"{p.size} values in (0, 1]", f.tolist()[:8])
        c = -np.log(f)
    else:
        c = float_array("neg_log_f", neg_log_f).reshape(-1)
        if c.shape != p.shape or np.any(c < 0):
            fail("neg_log_f", f"{p.size} values >= 0", c.tolist()[:8])
    value = float(c.min())
    fav = np.flatnonzero(c == value)
    rest = np.delete(c, fav)
    gap = float(rest.min() - value) if rest.size else float("inf")
    lp = linprog(c=p * c, A_eq=[p], b_eq=[1.0], bounds=[(0, None)] * p.size, method="highs")
    if lp.status != 0:  # pragma: no cover - a bounded feasible LP
        raise RuntimeError(f"HiGHS failed on the generator's linear program: {lp.message}")
    return BestResponses(fav, value, gap, float(lp.fun), np.asarray(lp.x))


def best_response(p_r, f=None, *, neg_log_f=None, rule: str = "vertex", rng=None) -> np.ndarray:
    """One optimal response ``R`` of the generator, chosen among the tied ones by ``rule``.

    ``rule``: ``"vertex"`` (all mass on the favourite point with the largest
    ``p_r``: the slides' ``delta(y - y_o) / p_r(y_o)``), ``"spread"`` (the
    law ``p_r`` restricted to the favourites: ``R`` constant on them),
    ``"random"`` (a uniformly random law on them, Dirichlet(1)) or
    ``"random_vertex"`` (a point mass at a uniformly random favourite).
    ``rng``: a ``numpy.random.Generator`` or a seed (the random rules).
    """
    choice("rule", rule, TIE_BREAKS)
    p = _law(p_r)
    fav = best_responses(p, f, neg_log_f=neg_log_f).favourites
    return _pick(p, fav, rule, rng)


def _pick(p, fav, rule, rng):
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(integer("rng", rng or 0))
    q = np.zeros_like(p)
    if rule == "vertex":
        q[fav[np.argmax(p[fav])]] = 1.0
    elif rule == "random_vertex":
        q[rng.choice(fav)] = 1.0
    elif rule == "spread":
        q[fav] = p[fav] / p[fav].sum()
    else:
        q[fav] = rng.dirichlet(np.ones(len(fav)))
    return q / p


@dataclass
class AlternatingRun:
    """What :func:`alternating_minimization` returns (round ``t = 0`` is the start).

    Attributes
    ----------
    ratios : list of ndarray
        ``R_t``.
    responses : list of BestResponses
        The optimal-response set of round ``t = 1, 2, ...`` (against ``f*(R_{t-1})``).
    supports : list of list of int
        Where ``R_t > 0``.
    costs : list of float
        ``C(R_t)``.
    rule : str
    """

    ratios: list
    responses: list
    supports: list
    costs: list
    rule: str


def alternating_minimization(p_r, R0, rounds: int, *, rule: str = "vertex", rng=None) -> AlternatingRun:
    """The slides' Algorithm 1: ``f <- 1/(1 + R)`` (Bayes), then ``R <- argmin_R g(R, f)``, ``rounds`` times.

    The generator update minimises the generator loss against the current
    discriminator (:func:`best_responses`); among tied optimal responses
    ``rule`` chooses (:func:`best_response`).
    """
    choice("rule", rule, TIE_BREAKS)
    p = _law(p_r)
    R = float_array("R0", R0).reshape(-1)
    if R.shape != p.shape or np.any(R < 0) or abs(p @ R - 1) > 1e-9:
        fail("R0", "a ratio R >= 0 with E_{p_r}[R] = 1 on the same points as p_r", R.tolist()[:8])
    rounds = integer("rounds", rounds, minimum=0, maximum=100_000)
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(integer("rng", rng or 0))
    run = AlternatingRun([R.copy()], [], [np.flatnonzero(R > 0).tolist()], [cost(p, R)], rule)
    for _ in range(rounds):
        br = best_responses(p, neg_log_f=np.log1p(R))   # -log f* = log(1 + R), exact for small R
        R = _pick(p, br.favourites, rule, rng)
        run.ratios.append(R)
        run.responses.append(br)
        run.supports.append(np.flatnonzero(R > 0).tolist())
        run.costs.append(cost(p, R))
    return run
