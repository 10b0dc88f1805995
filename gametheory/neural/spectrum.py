"""The local spectrum of a two-player Torch game: ``J = dv/dz`` matrix-free, dense, and its eigenvalues.

``v(z) = (grad_x L_x, grad_y L_y)`` is the descent field of the game at
``z = (x, y)`` (the package's convention) and ``J = dv/dz`` its Jacobian,
the block matrix ``[[J_xx, J_xy], [J_yx, J_yy]]`` with
``J_xx = grad^2_xx L_x`` (the generator's own Hessian), ``J_yy = grad^2_yy L_y``
(the discriminator's) and the mixed blocks in between.
:class:`GameJacobian` gives

* ``J @ u`` by forward-over-reverse differentiation (``torch.func.jvp`` of
  ``torch.func.grad``, :meth:`TorchField.jac_v`) and ``J.T @ a`` by
  reverse-over-reverse (``torch.func.vjp`` of the gradient,
  :meth:`TorchField.jac_T_v`): no matrix is formed;
* the dense ``J`` for small networks (``torch.func.jacfwd`` of the stacked
  gradient map, up to a few thousand parameters) and its full spectrum;
* for larger networks, the top-``k`` eigenvalues from ARPACK
  (``scipy.sparse.linalg.eigs`` on a ``LinearOperator``) by modulus
  (``"LM"``), by real part (``"LR"``, ``"SR"``), by imaginary part
  (``"LI"``) or nearest the imaginary axis (``"imag"``, see
  :func:`top_eigenvalues`).

Everything is float64: the point is cast to float64, and the loss closure
must accept float64 tensors (build the networks with ``.double()``).

Example: a bilinear game ``f = x' A y`` has ``J = [[0, A], [-A', 0]]``,
eigenvalues ``+- i sigma`` for the singular values ``sigma`` of ``A``:

>>> import torch
>>> A = torch.tensor([[1.0, 0.0], [0.0, 2.0]], dtype=torch.float64)
>>> x = torch.zeros(2, dtype=torch.float64, requires_grad=True)
>>> y = torch.zeros(2, dtype=torch.float64, requires_grad=True)
>>> J = game_jacobian([x], [y], lambda xs, ys: xs[0] @ A @ ys[0])
>>> np.sort(np.abs(J.eigenvalues().imag)).round(12).tolist()
[1.0, 1.0, 2.0, 2.0]
>>> (J @ torch.tensor([1.0, 0, 0, 0], dtype=torch.float64)).tolist()   # first column
[0.0, 0.0, -1.0, -0.0]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.func import jacfwd

from ..validation import choice, fail, integer
from .field import TorchField
from .tensors import flatten, shapes_of


def one_blas_thread():
    """A context with one BLAS thread (``threadpoolctl``, when installed) for small dense decompositions.

    On two shared cores OpenBLAS's threads make a 150 x 150 Schur form or
    eigendecomposition 100 times slower than one thread does (8.5 s against
    0.05 s, measured under load).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is in the torch extra
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def single_blas_threaded(func):
    """Decorator: run ``func`` under :func:`one_blas_thread` (its dense linear algebra is on small matrices)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with one_blas_thread():
            return func(*args, **kwargs)

    return wrapper


__all__ = ["GameJacobian", "game_jacobian", "top_eigenvalues", "kernel_of", "zero_weyr", "Kernel", "DENSE_MAX", "WHICH", "one_blas_thread",
           "single_blas_threaded", "default_ncv"]

#: the largest number of parameters for which the dense ``J`` is assembled by default
DENSE_MAX = 3000
#: eigenvalue selections: by modulus, largest / smallest real part, largest imaginary part, nearest the imaginary axis,
#: nearest the imaginary axis off the kernel
WHICH = ("LM", "LR", "SR", "LI", "imag", "imag_off_kernel")
#: the kernel's relative modulus for ``which="imag_off_kernel"``
OFF_KERNEL_RTOL = 1e-8
F64 = torch.float64


class GameJacobian:
    """``J = dv/dz`` of a two-player game at ``z = (x, y)``, as products, a dense matrix or a LinearOperator.

    Parameters
    ----------
    field : TorchField
        The game (its closure must accept float64 tensors).
    x, y : Tensor
        The point (flat vectors; cast to float64).

    Attributes
    ----------
    nx, ny, n : int
        Parameters of each player and in all.
    products : int
        ``J @ u`` and ``J.T @ a`` products made (a dense assembly counts as ``n``).

    Notes
    -----
    ``J @ u`` is one forward-over-reverse pass through both players'
    gradients; ``J.T @ a`` one reverse-over-reverse pass (two Hessian-vector
    products each, as counted by ``field.hvp_evals``).
    """

    def __init__(self, field: TorchField, x, y):
        if not isinstance(field, TorchField):
            fail("field", "a TorchField", type(field).__name__)
        self.field = field
        self.x = torch.as_tensor(x).detach().to(F64)
        self.y = torch.as_tensor(y).detach().to(F64)
        if self.x.numel() != field.nx or self.y.numel() != field.ny:
            fail("x", f"flat vectors of {field.nx} and {field.ny} entries", (self.x.numel(), self.y.numel()))
        self.nx, self.ny = field.nx, field.ny
        self.n = self.nx + self.ny
        self.products = 0
        self._dense = None

    @property
    def shape(self):
        return (self.n, self.n)

    @property
    def device(self):
        return self.x.device

    def v(self):
        """The field ``v(z)`` at the point (flat)."""
        vx, vy = self.field.v(self.x, self.y)
        return torch.cat([vx, vy]).detach()

    # ------------------------------------------------------------ products
    def matvec(self, u):
        """``J u`` (forward over reverse)."""
        u = torch.as_tensor(u, dtype=F64, device=self.device)
        self.products += 1
        jx, jy = self.field.jac_v(self.x, self.y, u[:self.nx], u[self.nx:])
        return torch.cat([jx, jy])

    def rmatvec(self, a):
        """``J^T a`` (reverse over reverse)."""
        a = torch.as_tensor(a, dtype=F64, device=self.device)
        self.products += 1
        gx, gy = self.field.jac_T_v(self.x, self.y, a[:self.nx], a[self.nx:])
        return torch.cat([gx, gy])

    def __matmul__(self, u):
        return self.matvec(u)

    @property
    def T(self):
        return _Transposed(self)

    def linear_operator(self):
        """``J`` as a ``scipy.sparse.linalg.LinearOperator`` (NumPy float64 in and out)."""
        from scipy.sparse.linalg import LinearOperator

        def mv(u):
            return self.matvec(torch.from_numpy(np.ascontiguousarray(u, dtype=float).reshape(-1))).cpu().numpy()

        def rmv(a):
            return self.rmatvec(torch.from_numpy(np.ascontiguousarray(a, dtype=float).reshape(-1))).cpu().numpy()

        return LinearOperator(self.shape, matvec=mv, rmatvec=rmv, dtype=np.float64)

    # ------------------------------------------------------------- dense
    def dense(self) -> np.ndarray:
        """The dense ``J`` (``torch.func.jacfwd`` of the stacked gradient map; cached)."""
        if self._dense is None:
            f = self.field
            nx = self.nx

            def g(z):
                return torch.cat([f._gx(z[:nx], z[nx:]), f._gy(z[:nx], z[nx:])])

            z = torch.cat([self.x, self.y])
            self._dense = jacfwd(g)(z).detach().cpu().numpy()
            self.products += self.n
        return self._dense

    def blocks(self) -> dict:
        """The dense blocks ``{"xx", "xy", "yx", "yy"}`` of ``J``."""
        J, nx = self.dense(), self.nx
        return {"xx": J[:nx, :nx], "xy": J[:nx, nx:], "yx": J[nx:, :nx], "yy": J[nx:, nx:]}

    # -------------------------------------------------------- eigenvalues
    def eigenvalues(self, k: int | None = None, which: str = "LM", *, dense: bool | None = None, tol: float = 0.0,
                    seed: int = 0) -> np.ndarray:
        """Eigenvalues of ``J``: all of them (dense) or the top ``k`` by ``which`` (see :func:`top_eigenvalues`).

        ``dense=None`` assembles ``J`` when ``n <= DENSE_MAX``; then ``k``
        (if given) selects from the full spectrum by the same rule.
        """
        choice("which", which, WHICH)
        use_dense = self.n <= DENSE_MAX if dense is None else bool(dense)
        if use_dense:
            lam = np.linalg.eigvals(self.dense())
            return lam if k is None else _select(lam, integer("k", k, minimum=1), which)
        if k is None:
            fail("k", f"a number of eigenvalues (the network has {self.n} > {DENSE_MAX} parameters; "
                      "pass dense=True for the full spectrum)")
        return top_eigenvalues(self.linear_operator(), k, which, tol=tol, seed=seed)


class _Transposed:
    def __init__(self, J):
        self.J = J
        self.shape = J.shape

    def __matmul__(self, a):
        return self.J.rmatvec(a)


def game_jacobian(x_params, y_params, loss_fn, *, zero_sum: bool | None = None) -> GameJacobian:
    """:class:`GameJacobian` of a game given as the optimizers take it, at the parameters' current values.

    Parameters
    ----------
    x_params, y_params : iterable of tensors
        The generator's (min player's) and the discriminator's parameters.
    loss_fn : callable
        ``loss_fn(xs, ys) -> (L_x, L_y)`` or ``f`` (zero-sum ``min_x max_y f``).
    zero_sum : bool, optional
        As for :class:`~gametheory.neural.field.TorchField`.
    """
    xp, yp = list(x_params), list(y_params)
    if not xp or not yp:
        fail("x_params", "non-empty parameter iterables for both players")
    field = TorchField(loss_fn, shapes_of(xp), shapes_of(yp), zero_sum=zero_sum)
    return GameJacobian(field, flatten(xp).to(F64), flatten(yp).to(F64))


def _key(lam, which):
    lam = np.asarray(lam)
    if which == "imag_off_kernel":
        off = np.abs(lam) > OFF_KERNEL_RTOL * (np.max(np.abs(lam)) if len(lam) else 0.0)
        return np.where(off, np.abs(lam.real), np.inf)
    return {"LM": -np.abs(lam), "LR": -lam.real, "SR": lam.real, "LI": -np.abs(lam.imag),
            "imag": np.abs(lam.real)}[which]


def _select(lam, k, which):
    lam = np.asarray(lam)
    idx = np.argsort(_key(lam, which), kind="stable")[:k]
    if which == "imag_off_kernel":
        idx = idx[np.isfinite(_key(lam, which)[idx])]
    return lam[idx]


def default_ncv(n: int, want: int) -> int:
    """ARPACK's Krylov dimension for ``want`` eigenvalues of an ``n x n`` operator: ``min(6 want, want + 50)``,
    at least ``2 want + 1`` and 40.

    A long Arnoldi basis costs memory (``ncv x n`` floats, capped at about
    1 GB) but saves restarts where the wanted eigenvalues are not well
    separated. Measured on the 93,603-parameter four-Gaussian GAN at its
    initialisation (top 10 by modulus, a cluster of real eigenvalues near
    +-0.14 at the cut): ``ncv = 21`` (SciPy's ``2k + 1``) had not converged
    after 2,500 products; 40 took 718 products, 60 took 549, 100 took 513.
    """
    cap = max(2 * want + 1, (1 << 27) // max(n, 1))
    return int(min(n - 1, max(2 * want + 1, min(6 * want, want + 50), 40), cap))


def top_eigenvalues(op, k: int, which: str = "LM", *, tol: float = 0.0, seed: int = 0, ncv: int | None = None,
                    return_vectors: bool = False):
    """The top ``k`` eigenvalues of a real linear operator by ARPACK (``scipy.sparse.linalg.eigs``).

    Parameters
    ----------
    op : scipy LinearOperator (or anything ``aslinearoperator`` accepts)
    k : int
        How many (``k < n - 1``; smaller operators are solved densely).
    which : {"LM", "LR", "SR", "LI", "imag"}
        Largest modulus, largest / smallest real part, largest imaginary part,
        nearest the imaginary axis, or nearest it off the kernel. ``"imag"`` runs ARPACK for the
        smallest real parts (``"SR"``, with ``2k`` Ritz values) and keeps the
        ``k`` with the smallest ``|Re|``: exact at points whose spectrum lies
        in the closed right half-plane (every stable point of GDA, the points
        this is used for), where the eigenvalues nearest the imaginary axis are
        those with the smallest real parts; where some ``Re < 0`` they come
        first (and are then nearest the axis only if they are close to it).
        At an equilibrium with a kernel those are the kernel's zeros;
        ``"imag_off_kernel"`` runs ARPACK for the ``max(4k, 20)`` largest
        moduli, drops those below ``1e-8`` of the largest and keeps the ``k``
        of smallest ``|Re|``: exact whenever ``J`` has at most that many
        eigenvalues off the kernel (a network's ``J`` at a realizable
        equilibrium has low rank: ARPACK's Krylov space becomes invariant in
        a few products), otherwise the nearest the axis among the largest.
    tol : float
        ARPACK's relative accuracy (0: machine precision).
    seed : int
        The starting vector ``v0`` is drawn from this seed (reproducible runs).
    ncv : int, optional
        ARPACK's Krylov dimension (default :func:`default_ncv`). ARPACK runs
        with one thread of NumPy's BLAS: its threads spinning between the
        Torch products slowed each product 2.5 times on 2 cores (130 ms
        against 53 ms on the 93,603-parameter GAN; the top 10 at its
        initialisation 59 s against 27 s).
    return_vectors : bool
        Also return the eigenvectors (columns).

    Returns
    -------
    numpy.ndarray (complex), sorted by ``which``; with the vectors, a pair.

    Examples
    --------
    >>> from scipy.sparse.linalg import aslinearoperator
    >>> M = np.diag([3.0, -2.0, 1.0, 0.5, 0.1, 0.05])
    >>> top_eigenvalues(aslinearoperator(M), 2).real.tolist()
    [3.0, -2.0]
    """
    from scipy.sparse.linalg import aslinearoperator, eigs

    choice("which", which, WHICH)
    A = aslinearoperator(op)
    n = A.shape[0]
    k = integer("k", k, minimum=1)
    if n <= max(k + 2, 12) or (which == "imag_off_kernel" and n <= max(4 * k, 20) + 2):
        M = A.matmat(np.eye(n))  # ARPACK needs k < n - 1: small operators densely
        lam, vec = np.linalg.eig(M)
        idx = np.argsort(_key(lam, which), kind="stable")[:k]
        idx = idx[np.isfinite(_key(lam, which)[idx])]
        return (lam[idx], vec[:, idx]) if return_vectors else lam[idx]
    want = min(n - 2, {"imag": 2 * k, "imag_off_kernel": max(4 * k, 20)}.get(which, k))
    arpack_which = {"imag": "SR", "imag_off_kernel": "LM"}.get(which, which)
    v0 = np.random.default_rng(integer("seed", seed)).standard_normal(n)
    if ncv is None:
        ncv = default_ncv(n, want)
    with one_blas_thread():  # NumPy's BLAS threads spinning between products slow Torch's 2.5x (measured)
        lam, vec = eigs(A, k=want, which=arpack_which, tol=tol, v0=v0, ncv=ncv)
    key = _key(lam, which)
    idx = np.argsort(key, kind="stable")[:k]
    idx = idx[np.isfinite(key[idx])]
    return (lam[idx], vec[:, idx]) if return_vectors else lam[idx]


@dataclass
class Kernel:
    """The (numerical) kernel of ``J`` and how clearly it is separated from the rest of the spectrum.

    Attributes
    ----------
    dim : int
        Geometric multiplicity of 0, ``dim null(J)``: singular values
        ``<= tol * sigma_max`` (the independent null vectors).
    algebraic : int
        Algebraic multiplicity of 0, ``dim null(J^m)`` for large ``m``:
        ``sum(weyr)``, always ``>= dim``, at the same threshold.
    weyr : tuple of int
        The Weyr characteristic of 0, ``w_k = dim null(J^k) - dim null(J^(k-1))``
        (``w_1 = dim``), from Kublanovskaya's staircase: the nullity of ``J``,
        then of ``J`` compressed onto the complement of its null space, and so
        on (each compression keeps the remaining eigenvalues and removes
        ``w_k`` zeros). ``w_k`` is the number of Jordan blocks at 0 of size at
        least ``k``.
    defective : bool
        ``algebraic > dim``: a Jordan block at 0 (linear drift along the kernel).
    basis : numpy.ndarray
        Orthonormal columns spanning the kernel.
    tol : float
        The relative threshold.
    gap : float
        The smallest singular value kept over the largest one called kernel
        (``inf`` without a kernel): how clearly the kernel is separated.
    singular_values : numpy.ndarray
        All of them, descending.
    range_basis : numpy.ndarray
        Orthonormal columns spanning the complement ``range(J^T)`` of the kernel.
    """

    dim: int
    algebraic: int
    defective: bool
    basis: np.ndarray
    tol: float
    gap: float
    singular_values: np.ndarray
    range_basis: np.ndarray = None
    weyr: tuple = ()

    @property
    def jordan_blocks(self) -> dict:
        """``{size: count}`` of the Jordan blocks at 0 (from :attr:`weyr`: ``w_k - w_(k+1)`` blocks of size ``k``)."""
        w = list(self.weyr) + [0]
        return {k + 1: w[k] - w[k + 1] for k in range(len(w) - 1) if w[k] > w[k + 1]}

    def summary(self) -> dict:
        sv = self.singular_values
        return {"dim": int(self.dim), "geometric_multiplicity": int(self.dim),
                "algebraic_multiplicity": int(self.algebraic), "defective": bool(self.defective),
                "weyr": [int(w) for w in self.weyr],
                "jordan_blocks": {str(k): int(c) for k, c in self.jordan_blocks.items()},
                "tol": float(self.tol), "gap": float(self.gap),
                "largest_kernel_singular_value": float(sv[len(sv) - self.dim]) if self.dim else None,
                "smallest_kept_singular_value": float(sv[len(sv) - self.dim - 1]) if self.dim < len(sv) else None,
                "sigma_max": float(sv[0]) if len(sv) else 0.0}


def zero_weyr(J, threshold: float) -> tuple:
    """The Weyr characteristic of the eigenvalue 0 of ``J`` (Kublanovskaya's staircase), at an absolute threshold.

    ``w_1`` is the number of singular values of ``J`` at most ``threshold``;
    with ``V`` the right singular vectors of the others (an orthonormal basis
    of the complement of ``null(J)``), ``V^T J V`` holds every eigenvalue of
    ``J`` but ``w_1`` zeros (in the basis ``[V, null(J)]``, ``J`` is block
    lower triangular with a zero block at ``null(J)``), and ``w_2`` is its
    nullity, and so on until a nullity is 0. ``sum(w)`` is the algebraic
    multiplicity of 0, ``w_1`` the geometric one.

    >>> zero_weyr(np.array([[0.0, 1, 0], [0, 0, 1], [0, 0, 0]]), 1e-12)   # one Jordan block of size 3
    (1, 1, 1)
    >>> zero_weyr(np.diag([0.0, 0.0, 2.0]), 1e-12)                        # semisimple
    (2,)
    """
    B = np.asarray(J, dtype=float)
    weyr = []
    while B.shape[0]:
        _, s, vt = np.linalg.svd(B)
        w = int(np.sum(s <= threshold))
        if w == 0:
            break
        weyr.append(w)
        keep = vt[:B.shape[0] - w].T
        B = keep.T @ B @ keep
    return tuple(weyr)


def kernel_of(J, tol: float = 1e-8, eigenvalues=None) -> Kernel:
    """The kernel of a dense ``J``: singular values below ``tol * sigma_max`` (an SVD), and its Jordan structure.

    ``gap`` is the ratio of the smallest singular value kept to the largest
    one called kernel (``inf`` without a kernel): a gap of ``10^3`` or more
    means the kernel is clearly separated. The algebraic multiplicity and
    the Jordan blocks come from :func:`zero_weyr` at the same threshold
    ``tol * sigma_max`` (``eigenvalues`` is accepted for compatibility and
    not needed).

    >>> K = kernel_of(np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    >>> K.dim, K.algebraic, K.defective, K.basis.T.round(6).tolist()
    (1, 1, False, [[0.0, 0.0, 1.0]])
    >>> K = kernel_of(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))   # a Jordan block at 0
    >>> K.dim, K.algebraic, K.defective, K.jordan_blocks
    (1, 2, True, {2: 1})
    """
    J = np.asarray(J, dtype=float)
    n = J.shape[0]
    if n == 0:
        return Kernel(0, 0, False, np.zeros((0, 0)), float(tol), float("inf"), np.zeros(0), np.zeros((0, 0)))
    _, s, vt = np.linalg.svd(J)
    smax = float(s[0]) if len(s) else 0.0
    thresh = tol * smax
    dim = int(np.sum(s <= thresh)) if smax > 0 else n
    basis = vt[n - dim:].T.copy() if dim else np.zeros((n, 0))
    if dim == 0:
        gap = float("inf")
    elif dim == n:
        gap = 1.0
    else:
        gap = float(s[n - dim - 1] / max(s[n - dim], np.finfo(float).tiny))
    if smax == 0:
        weyr = (n,)
    elif dim:
        weyr = (dim,) + zero_weyr(vt[:n - dim] @ J @ vt[:n - dim].T, thresh)
    else:
        weyr = ()
    algebraic = int(sum(weyr))
    return Kernel(dim, algebraic, algebraic > dim, basis, float(tol), gap, s, vt[:n - dim].T.copy(), weyr)
