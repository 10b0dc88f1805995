"""Fast spectral sweeps: spectral radii over parameter grids of any size.

:func:`sweep_radius` returns the same array as the grid path of
:func:`gametheory.spectral_radius` (explicit augmented matrix +
``numpy.linalg.eigvals``) but reduces the work per grid point from one
``N x N`` eigenvalue problem to a few roots of small scalar polynomials.
Three paths, chosen by :func:`choose_path`:

``"spectral"`` -- simultaneous linear methods (spectral mapping)
    For a method whose augmented Jacobian is a block matrix with blocks that
    are polynomials in ``J`` (GD, heavy ball, EG, OGD, past EG in the
    simultaneous order with one step size), the blocks commute, so
    ``det(mu I - M) = prod_{lambda in Sp(J)} q(mu, lambda)``. The scalar
    polynomial ``q`` is *derived*, not typed in: the method is run on the
    decoupled "game" ``v(a, b) = (l1 a, l2 b)`` and ``q(mu, l1)`` is the part of
    the characteristic polynomial that involves ``l1`` only. Whether ``M``
    really is a function of ``J`` is then checked exactly: the resultant
    ``Res_lambda(det(lambda I - J), q(mu, lambda))`` must equal the method's
    characteristic polynomial on two random non-normal affine games. Heavy
    ball gives ``q = mu^2 - (1 + beta - eta lambda) mu + beta`` (Gidel et al.,
    AISTATS 2019, Sec. 4; the slides' ``mu_pm``).
``"bilinear"`` -- bilinear games, every method and order
    ``min_x max_y x'Ay`` decouples into one ``2 x 2`` block per singular value
    ``sigma`` of ``A`` (every rule is equivariant under orthogonal changes of
    each player's coordinates), for alternating methods too. The block's
    characteristic polynomial is ``Derivation.singular_value_charpoly``
    (degree <= 4 here), compiled into coefficient arrays and rooted in closed
    form. A zero singular value or a non-square ``A`` leaves uncoupled
    coordinates with ``v == 0``; their modes are derived the same way, from the
    method on a ``2 x 1`` (``1 x 2``) game, divided by the ``sigma`` block.
``"general"`` -- everything else
    Batched ``eigvals`` of the compiled augmented Jacobian.

Every path works in chunks of grid points taken straight from the broadcast
parameter arrays (never materialised), so the working memory is bounded by
``chunk_points`` whatever the grid size; only the output array (8 bytes a
point, or an ``out=`` array you pass) grows with the grid.

Precision. Roots of degree <= 4 come from closed forms (quadratic formula,
Cardano, Ferrari through a real resolvent) polished by Newton steps, so simple
roots are accurate to rounding. At a repeated root any float method loses half
the digits; such points (top root in a cluster of relative width
``CLUSTER_TOL``) are recomputed from the exact polynomial with mpmath at 50
digits (as in :func:`gametheory.sweep.general.refine_clusters`).

Examples
--------
>>> import numpy as np, gametheory as gt
>>> from gametheory.sweep import sweep_radius
>>> g = gt.games.bilinear([[1, 0], [0, 2]])
>>> m = gt.methods.get("momentum", order="alternating")
>>> r = sweep_radius(g, m, eta=np.linspace(0.1, 1, 5)[:, None], beta=np.linspace(-0.9, 0.5, 7))
>>> r.shape
(5, 7)
"""
from __future__ import annotations

from .engine import PATHS, choose_path, eigenvalue_sweep, spectral_applies, sweep_radius
from .polynomials import LAMBDA, BilinearPolynomials, bilinear_polynomials, scalar_polynomial
from .roots import CLUSTER_TOL, max_root_modulus, poly_roots

__all__ = ["sweep_radius", "eigenvalue_sweep", "spectral_applies", "choose_path", "scalar_polynomial", "bilinear_polynomials", "BilinearPolynomials",
           "poly_roots", "max_root_modulus", "LAMBDA", "PATHS", "CLUSTER_TOL"]
