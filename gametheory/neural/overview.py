"""The theory against a neural GAN in one pass: a (eta, beta) grid and every registry method, predicted vs measured.

:func:`theory_overview` is what the report's "Theory vs neural GANs" section
shows: at the saturating GAN's realizable equilibrium of
:data:`gametheory.neural.paper_experiments.LOCAL_GAME` (one seed),

* alternating heavy ball over a grid of ``eta`` (fractions of
  ``1 / max |lambda|``) and ``beta``: predicted and measured rates and verdicts
  (:func:`gametheory.neural.prediction.predict`), for the figures;
* every registry method and order at ``eta = 0.5 / max |lambda|`` (momentum
  ``beta = -0.2``, consensus ``gamma = 1``, SGA ``lam = 1``, unrolled ``k = 2``,
  ``n_inner`` ``n = 2``): one row each, with the prediction path and, where
  the verdicts disagree, the broken assumption.

Sizes per scale: ``"quick"`` a 2 x 3 grid, three methods, 80 steps;
``"default"`` 4 x 6, every method, 300 steps; ``"full"`` 6 x 8, every method,
600 steps.
"""
from __future__ import annotations

import numpy as np

from .. import methods as core_methods
from ..io import jsonable
from ..validation import choice
from .paper_experiments import LOCAL_GAME, local_equilibrium
from .prediction import predict

__all__ = ["theory_overview", "TABLE_METHODS"]

#: (name, order, extra parameters) of the per-method table
TABLE_METHODS = [
    ("gd", "simultaneous", {}), ("gd", "alternating", {}), ("momentum", "simultaneous", {"beta": -0.2}),
    ("momentum", "alternating", {"beta": -0.2}), ("eg", "simultaneous", {}), ("eg", "alternating", {}),
    ("ogd", "simultaneous", {}), ("ogd", "alternating", {}), ("past_eg", "simultaneous", {}),
    ("consensus", "simultaneous", {"gamma": 1.0}), ("sga", "simultaneous", {"lam": 1.0}),
    ("cgd", "simultaneous", {}), ("lcgd", "simultaneous", {}), ("unrolled", "simultaneous", {"k": 2}),
    ("n_inner", "alternating", {"n": 2}),
]
QUICK_METHODS = {("gd", "simultaneous"), ("eg", "simultaneous"), ("cgd", "simultaneous")}


def _strip(res_json):
    for p in res_json["points"]:
        p.get("details", {}).pop("v_norms", None)
    return res_json


def theory_overview(scale: str = "default", seed: int = 0, progress: bool = False) -> dict:
    """The grid and the per-method table (see the module docstring); JSON-able."""
    choice("scale", scale, ("quick", "default", "full"))
    pick = {"quick": 0, "default": 1, "full": 2}[scale]
    steps = (80, 300, 600)[pick]
    eq = local_equilibrium(int(seed), "minimax")
    lmax = float(np.max(np.abs(eq.off_kernel())))
    fracs = ((0.5, 1.0), (0.25, 0.5, 1.0, 1.5), (0.125, 0.25, 0.5, 0.75, 1.0, 1.5))[pick]
    betas = ((-0.2, 0.0, 0.2), (-0.6, -0.4, -0.2, 0.0, 0.2, 0.4), (-0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6))[pick]
    m = core_methods.get("momentum", order="alternating")
    grid = predict(eq, m, {"eta": [f / lmax for f in fracs], "beta": list(betas)}, steps=steps, seed=int(seed),
                   progress=progress)
    eta = 0.5 / lmax
    rows = []
    for name, order, extra in TABLE_METHODS:
        if pick == 0 and (name, order) not in QUICK_METHODS:
            continue
        ints = {k: v for k, v in extra.items() if k in ("k", "n")}
        meth = core_methods.get(name, order=order, **ints)
        cont = {k: v for k, v in extra.items() if k not in ("k", "n")}
        res = predict(eq, meth, {"eta": [eta], **{k: [v] for k, v in cont.items()}}, steps=steps, seed=int(seed),
                      progress=False)
        p = res.points[0]
        rows.append({"method": name, "order": order, "params": {"eta": eta, **extra}, "path": p.path,
                     "predicted_rho": p.predicted_rho, "measured_rho": p.measured_rho,
                     "predicted_verdict": p.predicted_verdict, "measured_verdict": p.measured_verdict,
                     "agree": p.agree, "exponent_rel_error": p.exponent_rel_error, "reason": p.reason})
    measured = [r for r in rows if r["agree"] is not None]
    return jsonable({"game": {**LOCAL_GAME, "loss": "minimax", "seed": int(seed)}, "equilibrium": eq.summary(),
                     "grid": _strip(grid.to_json()), "table": rows,
                     "table_agreement": sum(r["agree"] for r in measured) / len(measured) if measured else None,
                     "steps": steps, "eta": eta})
