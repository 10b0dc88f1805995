"""gametheory: exact and fast verification of training methods for min-max games and GANs.

Conventions
-----------
* Zero-sum games are ``min_x max_y f(x, y)``; general-sum games give each
  player the loss it minimises, ``L_x`` and ``L_y`` (zero-sum: ``L_y = -f``).
* ``v(z) = (grad_x L_x, grad_y L_y)`` is the descent field, ``J`` its Jacobian;
  simultaneous GDA is ``z+ = z - eta v(z)``.
* Alternating (Gauss-Seidel) updates move ``x`` first; ``y`` sees the new ``x``.
* Momentum: ``z+ = z - eta v(z) + beta (z - z_prev)`` with any real ``beta``.
* Verdicts: ``converges`` (radius < 1), ``bounded`` (radius exactly 1, unit
  eigenvalues semisimple), ``diverges`` (otherwise), decided exactly.

Quick start
-----------
>>> import gametheory as gt
>>> game = gt.games.bilinear([[1.0]])
>>> m = gt.methods.get("momentum", order="alternating")
>>> gt.stability(game, m, eta=0.5, beta=-0.2)
'converges'
"""
from . import games, methods
from .derive import Derivation, derive
from .games import Game
from .simulate import SimulationResult, simulate
from .spectral import augmented_jacobian, spectral_radius, stability, stability_report
from .validation import ParameterError

__version__ = "0.1.0"

__all__ = [
    "games", "methods", "Game", "derive", "Derivation", "spectral_radius", "stability",
    "stability_report", "augmented_jacobian", "simulate", "SimulationResult", "ParameterError",
    "__version__",
]
