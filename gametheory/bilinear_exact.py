"""Exact verdicts on bilinear games through their singular values (no ``4n x 4n`` matrix).

On ``min_x max_y x'Ay`` every method is equivariant under orthogonal changes
of each player's coordinates, so with ``A = U S V'`` its augmented Jacobian
``M`` is orthogonally similar to the direct sum

    ``B(sigma_1) + ... + B(sigma_r) + X + ... + X + Y + ... + Y``

of one ``2k x 2k`` block ``B(sigma)`` per nonzero singular value (the method
on ``min max sigma x y``; ``k`` state blocks per player), ``nx - r`` copies
of the ``k x k`` block ``X`` of an uncoupled ``x`` coordinate and ``ny - r``
of ``Y`` (Gidel et al., AISTATS 2019, Sec. 3; Zhang & Yu, ICLR 2020, Sec. 3).
Hence, exactly and without eigenvalues of ``A``:

* ``det(mu I - B(sigma)) = P(mu, sigma^2)`` (:func:`gametheory.sweep.bilinear_polynomials`,
  derived from the rule; even in ``sigma`` by the symmetry ``x -> -x``). With
  ``c(t) = det(t I - A'A) = t^(n - r) prod_j c_j(t)^(e_j)`` factored over QQ
  (FLINT), the characteristic polynomial of ``M`` is
  ``prod_j R_j(mu)^(e_j) * det(mu I - X)^(nx - r) * det(mu I - Y)^(ny - r)``
  with ``R_j(mu) = Res_t(c_j(t), P(mu, t))`` (FLINT's multivariate resultant,
  degree ``2k deg c_j``): the roots of ``R_j`` are those of ``P(., t)`` over the
  conjugate roots ``t`` of ``c_j``. Each is located exactly as in
  :func:`gametheory.exact.locate_rational`.
* Jordan structure at the unit circle. A direct sum is semisimple at an
  eigenvalue iff every summand is, so **a repeated singular value never makes
  ``M`` defective** (it repeats a block), nor does an eigenvalue shared by
  different singular values or with the uncoupled blocks. ``M`` is defective
  iff ``X`` or ``Y`` is (when present) or some ``B(sigma_i)`` is, and that
  needs a unit-modulus root repeated within the conjugate class of
  ``sigma_i^2``: a repeated unit-circle factor of ``R_j``. Only then the class
  is tested exactly on ``Bt(T_j)``, ``T_j`` the companion matrix of ``c_j`` and
  ``Bt(t) = D B(sigma) D^-1`` (``D`` scales the ``y`` blocks by ``sigma``),
  whose entries are rational functions of ``t = sigma^2``: ``Bt(T_j)`` is
  similar to the direct sum of the blocks of the class, and it is
  semisimple at a repeated unit-circle factor ``F`` iff
  ``nullity F(Bt(T_j)) = mult * deg F``.

Example
-------
>>> import gametheory as gt
>>> g = gt.games.bilinear([[1, 0], [0, 1]])        # a repeated singular value
>>> bilinear_report(g, gt.methods.get("gd", order="alternating"), {"eta": 1}).verdict
'bounded'
>>> bilinear_report(g, gt.methods.get("gd", order="alternating"), {"eta": 2}).verdict   # Jordan block at -1
'diverges'
"""
from __future__ import annotations

from functools import lru_cache

import flint
import sympy as sp

from .derive import MU, PARAM_SYMBOLS, SIGMA, derive
from .exact import CertifiedFactor, _poly_at_fmpq_mat, certified_factors, locate_rational, report_from_factors
from .linearize import NotRational, augmented_matrix
from .methods import BLOCK_PLAYER, Method
from .rational import fmpz_poly_of, to_fmpq, to_sympy_poly
from .sweep.polynomials import bilinear_polynomials

__all__ = ["bilinear_report", "applies"]

T = sp.Symbol("t", positive=True)  # sigma^2


def applies(game) -> bool:
    """True for bilinear games with a rational ``A`` (the exact reduction's domain)."""
    return game.kind == "bilinear" and game.matrices is not None


def _bound(method: Method, params: dict) -> Method:
    """The method with its structural parameters (``k``, ``n``) bound, as the derived polynomials need."""
    return method.bind(**method.structural(params))


def _values(method: Method, params: dict) -> dict:
    """Exact parameter values keyed by their symbols (``eta`` split into ``eta_x``, ``eta_y``)."""
    vals = {}
    for name, val in method.continuous_values(params).items():
        if to_fmpq(val) is None:
            raise NotRational(f"parameter {name!r} = {val} is not rational")
        vals[PARAM_SYMBOLS[name]] = val
    return vals


def _in_t(expr) -> sp.Poly:
    """A polynomial in ``mu, sigma`` that is even in ``sigma``, as a Poly in ``mu, t = sigma^2``."""
    poly = sp.Poly(expr, MU, SIGMA)
    terms = {}
    for (i, j), c in poly.terms():
        if j % 2:
            raise ValueError("odd power of sigma")  # pragma: no cover - the symmetry forbids it
        terms[(i, j // 2)] = c
    return sp.Poly.from_dict(terms, MU, T)


def _fmpq_mpoly(poly: sp.Poly, ctx):
    return ctx.from_dict({m: to_fmpq(c) for m, c in poly.terms()})


def _resultant_in_t(cj: flint.fmpz_poly, P: sp.Poly) -> flint.fmpq_poly:
    """``Res_t(c_j(t), P(mu, t))`` as a polynomial in ``mu`` (monic)."""
    if P.degree(T) == 0:  # the block does not see sigma: each root of c_j gives P(mu)
        base = flint.fmpq_poly([to_fmpq(c) for c in reversed(sp.Poly(P.as_expr(), MU).all_coeffs())])
        return base ** cj.degree()
    ctx = flint.fmpq_mpoly_ctx.get(("mu", "t"), "lex")
    cpoly = ctx.from_dict({(0, i): flint.fmpq(c) for i, c in enumerate(cj.coeffs()) if c != 0})
    R = cpoly.resultant(_fmpq_mpoly(P, ctx), "t")
    deg = R.degrees()[0]
    coeffs = [flint.fmpq(0)] * (deg + 1)
    for (i, _), v in zip(R.monoms(), R.coeffs()):
        coeffs[i] = v
    out = flint.fmpq_poly(coeffs)
    return out / out.coeffs()[-1]


@lru_cache(maxsize=None)
def _scaled_block(method: Method, extras: tuple):
    """``Bt(t) = D B(sigma) D^-1`` in ``t = sigma^2`` and the parameters (SymPy), and the player of each row."""
    kw = {k: PARAM_SYMBOLS[k] for k in extras}
    st = {k: v for k, v in method.bound if k in method.spec.integer_params}
    from .games import bilinear

    d = derive(bilinear([[SIGMA]]), method, per_player=True, _bilinear_block=False, **st, **kw)
    players = [BLOCK_PLAYER[k] for k in method.state_keys]  # one coordinate per block here
    n = len(players)
    scale = [SIGMA if pl == "y" else sp.Integer(1) for pl in players]
    B = sp.Matrix(n, n, lambda i, j: sp.cancel(d.jacobian[i, j] * scale[i] / scale[j]))
    return B.applyfunc(lambda e: sp.cancel(e.xreplace({SIGMA: sp.sqrt(T)}))), players


def _companion(c: flint.fmpz_poly):
    d = c.degree()
    lead = c.coeffs()[-1]
    T_ = flint.fmpq_mat(d, d)
    for i in range(d - 1):
        T_[i + 1, i] = 1
    for i, ci in enumerate(c.coeffs()[:-1]):
        T_[i, d - 1] = flint.fmpq(-ci, lead)
    return T_


def _poly_at(expr_poly: sp.Poly, Tm, eye):
    R = flint.fmpq_mat(Tm.nrows(), Tm.ncols())
    for a in expr_poly.all_coeffs():
        R = R * Tm + eye * to_fmpq(a)
    return R


def _class_matrix(method, extras, vals, cj):
    """``Bt(T_j)``: the blocks of every singular value whose square is a root of ``c_j``, exactly."""
    B, _ = _scaled_block(method, extras)
    B = B.xreplace(vals)
    Tm = _companion(cj)
    d = Tm.nrows()
    eye = flint.fmpq_mat(d, d)
    for i in range(d):
        eye[i, i] = 1
    n = B.shape[0]
    rows = []
    for i in range(n):
        row = []
        for j in range(n):
            num, den = sp.fraction(sp.together(B[i, j]))
            val = _poly_at(sp.Poly(num, T), Tm, eye)
            den_p = sp.Poly(den, T)
            if den_p.degree() > 0 or den_p.all_coeffs() != [1]:
                val = val * _poly_at(den_p, Tm, eye).inv()
            row.append(val.tolist())
        rows.append(row)
    entries = [e for i in range(n) for r in range(d) for j in range(n) for e in rows[i][j][r]]
    return flint.fmpq_mat(n * d, n * d, entries)


def _class_seeds(classes, G, P: sp.Poly) -> list:
    """Float approximations of the roots of each ``R_j`` (speed only): ``P(mu, t)`` rooted at ``t`` in ``Sp(A'A)``."""
    import numpy as np

    from .exact import _assign_seeds
    from .rational import to_float_array

    try:
        t = np.linalg.eigvalsh(to_float_array(G))
    except np.linalg.LinAlgError:  # pragma: no cover
        return [None] * len(classes)
    per_class = _assign_seeds(classes, t)
    deg_mu = P.degree(MU)
    terms = [(i, j, float(c)) for (i, j), c in P.terms()]
    out = []
    for ts in per_class:
        if ts is None:
            out.append(None)
            continue
        roots = []
        with np.errstate(all="ignore"):
            for tv in np.real(ts):
                coeffs = np.zeros(deg_mu + 1)
                for i, j, c in terms:
                    coeffs[deg_mu - i] += c * tv ** j
                if not np.all(np.isfinite(coeffs)) or coeffs[0] == 0:
                    roots = None  # floats overflow here: no seeds (the certified roots do not need them)
                    break
                roots += list(np.roots(coeffs))
        out.append(None if roots is None else np.array(roots))
    return out


def bilinear_report(game, method: Method, params: dict):
    """:func:`gametheory.exact.locate` of the augmented Jacobian of ``method`` on a rational bilinear game.

    Same :class:`~gametheory.exact.UnitCircleReport` as the full matrix route
    (tested), from the singular-value reduction of the module docstring:
    its cost grows with the factorisation of ``det(t I - A'A)``, not with a
    ``4n x 4n`` matrix. Raises :class:`gametheory.linearize.NotRational` for
    irrational parameters.
    """
    A = game.matrices["A"]
    nx, ny = A.nrows(), A.ncols()
    method = _bound(method, params)
    extras = tuple(sorted(method.optional_given(params)))
    vals = _values(method, params)
    bp = bilinear_polynomials(method, extras)
    num, _ = sp.fraction(sp.together(sp.expand(bp.block).xreplace(vals)))
    P = _in_t(sp.expand(num))
    G = A.transpose() * A if ny <= nx else A * A.transpose()
    c = fmpz_poly_of(G.charpoly())
    zero_mult = 0
    while c.degree() > 0 and c.coeffs()[0] == 0:
        c = flint.fmpz_poly(c.coeffs()[1:])
        zero_mult += 1
    r = G.nrows() - zero_mult
    classes = [(g if g.leading_coefficient() > 0 else -g, int(e)) for g, e in c.factor()[1]] if c.degree() > 0 else []
    seeds = _class_seeds([cj for cj, _ in classes], G, P)
    factors, defective, charpoly = [], False, flint.fmpq_poly([1])
    for (cj, ej), sj in zip(classes, seeds):
        Rj = _resultant_in_t(cj, P)
        facs = certified_factors(Rj, sj)
        charpoly *= Rj ** ej
        repeated_on_circle = [f for f in facs if f.on and f.mult > 1]
        if repeated_on_circle and not any(f.outside for f in facs):
            Bj = _class_matrix(method, extras, vals, cj)
            size = Bj.nrows()
            defective |= any(_poly_at_fmpq_mat(f.poly, Bj).rank() != size - f.mult * f.degree for f in repeated_on_circle)
        factors += [CertifiedFactor(f.poly, f.mult * ej, f.inside, f.on, f.outside, f.roots, f.prec) for f in facs]
    if nx > r or ny > r:
        from .games import bilinear

        Z = augmented_matrix(bilinear([[0]]), method, params)
        players = [BLOCK_PLAYER[k] for k in method.state_keys]
        for who, copies in (("x", nx - r), ("y", ny - r)):
            if copies == 0:
                continue
            idx = [i for i, pl in enumerate(players) if pl == who]
            sub = flint.fmpq_mat(len(idx), len(idx), [Z[i, j] for i in idx for j in idx])
            rep = locate_rational(sub)
            defective |= rep.defective
            charpoly *= sub.charpoly() ** copies
            factors += [CertifiedFactor(f.poly, f.mult * copies, f.inside, f.on, f.outside, f.roots, f.prec)
                        for f in rep.factors]
    return report_from_factors(factors, to_sympy_poly(charpoly, MU), lambda f: defective)
