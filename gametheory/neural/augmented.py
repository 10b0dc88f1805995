"""A method's augmented Jacobian on a Torch game: the JVP of one step of its registry rule, matrix-free.

A method of :mod:`gametheory.methods` maps an augmented state ``s`` (the
iterate and, e.g., the previous iterate or the previous field value) to the
next, ``s+ = F(s)``. At an equilibrium ``z*`` its augmented fixed point is
``s* = method.initial_state(z*)`` (``F(s*) = s*``), and the local rate of the
method is the spectral radius of ``M = dF/ds (s*)``. :class:`AugmentedOperator`
applies ``M`` to a vector by differentiating **one step of the registry rule
itself** (``method.step`` on the Torch backend, the rule the optimizers run
with ``generic=True``) in forward mode (``torch.autograd.forward_ad``): no
formula of any method is written here.

Forward mode needs a field and ops that let tangents through:

* :class:`DualField` is :class:`~gametheory.neural.field.TorchField` without
  its detaching and caching: ``v`` by ``torch.func.grad``, Jacobian blocks
  ``J_ab w`` by reverse-over-reverse products (``torch.func.vjp`` of the
  gradient's ``vjp``; forward-over-reverse ``jvp`` cannot be nested in an
  outer forward-mode level), ``J_ab^T u`` by ``vjp``;
* :class:`DualOps` solves ``M x = b`` (CGD's inverse) for a dual right-hand
  side ``b = b0 + eps db`` and a dual operator ``M = M0 + eps dM``: ``x0 =
  M0^-1 b0`` and ``dx = M0^-1 (db - dM x0)``, each by conjugate gradients on
  the normal equations (:meth:`TorchOps.normal_solve`). A Krylov solver is not
  linear in ``b``, so differentiating through its iterations at the fixed
  point (where ``b0 = 0``) would give zero.

The dense ``M`` (columns ``M e_j``) and ARPACK's top eigenvalues are
available, and :meth:`AugmentedOperator.radius` keeps only the modes that
are visible in the field: an eigenvector whose iterate part ``z`` satisfies
``J z = 0`` moves along the kernel of ``J`` (the equilibrium set of a network
with symmetries) and changes neither ``v`` nor the distance to that set.

Example: GDA on ``f = x y`` has ``M = [[1, -eta], [eta, 1]]``, radius
``sqrt(1 + eta^2)``:

>>> import gametheory as gt, torch
>>> from gametheory.neural.field import TorchField
>>> field = TorchField(lambda xs, ys: xs[0] @ ys[0], [(1,)], [(1,)])
>>> z = torch.zeros(1, dtype=torch.float64)
>>> M = AugmentedOperator(gt.methods.get("gd"), field, z, z, {"eta": 0.5})
>>> M.dense().round(12).tolist()
[[1.0, -0.5], [0.5, 1.0]]
>>> round(M.radius().rho ** 2, 12)
1.25
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.autograd.forward_ad as fwAD
from torch.func import grad as fgrad
from torch.func import jacfwd, jvp, vjp, vmap

from ..methods import Method
from ..validation import fail
from .field import TorchField
from .linops import LinOp, TorchOps
from .spectrum import one_blas_thread

__all__ = ["DualField", "DualOps", "AugmentedOperator", "AugmentedRadius", "DENSE_AUGMENTED_MAX"]

F64 = torch.float64
#: the largest augmented state for which ``M`` is assembled densely by default
DENSE_AUGMENTED_MAX = 1500


def _primal(t):
    return fwAD.unpack_dual(t).primal if isinstance(t, torch.Tensor) else t


def _tangent(t):
    return fwAD.unpack_dual(t).tangent if isinstance(t, torch.Tensor) else None


class DualField(TorchField):
    """A :class:`TorchField` whose every value carries forward-mode tangents (no detach, no cache)."""

    def v_x(self, x, y):
        self.grad_evals += 1
        return self._gx(x, y)

    def v_y(self, x, y):
        self.grad_evals += 1
        return self._gy(x, y)

    def v(self, x, y):
        return self.v_x(x, y), self.v_y(x, y)

    def grad_y_Lx(self, x, y):
        self.grad_evals += 1
        return fgrad(lambda yy: self.L_x(x, yy))(y)

    #: ``True``: Jacobian-block products by reverse over reverse (needed under ``torch.autograd.forward_ad``);
    #: ``False``: forward over reverse (``torch.func.jvp``, cheaper; for ``torch.func`` transforms)
    reverse_over_reverse = True

    def _rr(self, g, at, direction, out_n):
        """``(dg/dat) direction``: the ``vjp`` of the linear map ``w -> (dg/dat)^T w`` (or a ``jvp``)."""
        self.hvp_evals += 1
        if not self.reverse_over_reverse:
            return jvp(g, (at,), (direction,))[1]
        w0 = torch.zeros(out_n, dtype=direction.dtype, device=direction.device)
        _, pull = vjp(lambda w: vjp(g, at)[1](w)[0], w0)
        return pull(direction)[0]

    def jxx_mv(self, x, y, u):
        return self._rr(lambda xx: self._gx(xx, y), x, u, self.nx)

    def jxy_mv(self, x, y, w):
        return self._rr(lambda yy: self._gx(x, yy), y, w, self.nx)

    def jyx_mv(self, x, y, u):
        return self._rr(lambda xx: self._gy(xx, y), x, u, self.ny)

    def jyy_mv(self, x, y, w):
        return self._rr(lambda yy: self._gy(x, yy), y, w, self.ny)

    def _vjp(self, g, at, cot):
        self.hvp_evals += 1
        return vjp(g, at)[1](cot)[0]

    def jac_v(self, x, y, u, w):
        return (self.jxx_mv(x, y, u) + self.jxy_mv(x, y, w), self.jyx_mv(x, y, u) + self.jyy_mv(x, y, w))

    def jac_T_v(self, x, y, a, b):
        self.hvp_evals += 2
        _, pull = vjp(lambda xx, yy: (self._gx(xx, yy), self._gy(xx, yy)), x, y)
        return pull((a, b))

    def second_order(self, x, y):  # pragma: no cover - the fused optimizers' path, never a registry rule's
        fail("field", "a TorchField (DualField serves registry rules only)")


class DualOps(TorchOps):
    """:class:`TorchOps` whose ``solve`` differentiates correctly in forward mode (see the module docstring).

    An instance keeps, per ``solve`` call of a step (in call order), the
    primal operator ``M0``: it is the same at every product with ``M`` (the
    point ``s*`` is fixed), so for systems of up to ``dense_max`` unknowns
    ``M0`` is assembled once (``n`` products) and LU-factorised, and each later
    product costs two solves with the factors and one product with the dual
    operator (for ``dM x0``). Larger systems are solved by conjugate
    gradients on the normal equations at every product.
    """

    def __init__(self, dense_max: int = 2000):
        self.dense_max = int(dense_max)
        self._factors = {}
        self._call = 0

    def new_step(self):
        self._call = 0

    def solve(self, M, b):
        if not isinstance(M, LinOp):
            return torch.linalg.solve(M, b)  # dense: forward mode is built in

        def mv(v):
            return _primal(M @ v)

        def rmv(u):
            return _primal(M.T @ u)

        key = self._call
        self._call += 1
        b0, db = _primal(b), _tangent(b)
        n = b0.numel()
        if n <= self.dense_max:
            if key not in self._factors:
                eye = torch.eye(n, dtype=b0.dtype, device=b0.device)
                M0 = torch.stack([mv(e) for e in eye.unbind(0)], 1)
                self._factors[key] = torch.linalg.lu_factor(M0)
            lu, piv = self._factors[key]

            def inv(r):
                return torch.linalg.lu_solve(lu, piv, r[:, None])[:, 0]
        else:
            def inv(r):
                return self.normal_solve(mv, rmv, r)

        x0 = inv(b0)
        dMx = _tangent(M @ x0)
        if db is None and dMx is None:
            return x0
        rhs = (db if db is not None else torch.zeros_like(b0)) - (dMx if dMx is not None else 0)
        return fwAD.make_dual(x0, inv(rhs))


class _NeedsSolve(Exception):
    """Raised by :class:`_DenseSolveOps` for a system too large to assemble (use the forward-mode path)."""


class _DenseSolveOps(TorchOps):
    """Ops for the vectorised path (``torch.func.jacfwd``): ``solve`` with a :class:`LinOp` assembles it
    (its columns, tangents included) and calls ``torch.linalg.solve``, which differentiates exactly."""

    dense_max = 2000

    @classmethod
    def solve(cls, M, b):
        if not isinstance(M, LinOp):
            return torch.linalg.solve(M, b)
        n = M.shape[1]
        if n > cls.dense_max:
            raise _NeedsSolve
        eye = torch.eye(n, dtype=b.dtype, device=b.device)
        return torch.linalg.solve(vmap(M.mv, in_dims=1, out_dims=1)(eye), b)


@dataclass
class AugmentedRadius:
    """The local rate of a method from its augmented Jacobian.

    Attributes
    ----------
    rho : float
        Largest ``|mu|`` over the modes visible in the field.
    mu : complex
        That eigenvalue.
    kernel_rho : float
        Largest ``|mu|`` over the modes that move along ``ker J`` only (0 when none).
    visible, hidden : int
        How many eigenvalues were kept / set aside as kernel modes.
    path : str
        ``"dense"`` or ``"arpack"``.
    eigenvalues : numpy.ndarray
        The eigenvalues computed (all for ``"dense"``).
    """

    rho: float
    mu: complex
    kernel_rho: float
    visible: int
    hidden: int
    path: str
    eigenvalues: np.ndarray


class AugmentedOperator:
    """``M = dF/ds`` at the augmented fixed point of ``method`` at ``(x, y)`` on ``field``.

    Parameters
    ----------
    method : Method
    field : TorchField
        The game (float64).
    x, y : Tensor
        The equilibrium (flat).
    params : dict
        The method's parameters (``eta`` or ``eta_x``/``eta_y``, ``beta``, ...).

    Attributes
    ----------
    n : int
        Size of the augmented state.
    sizes : dict
        Length of each state block.
    matvecs : int
        Products made.
    """

    def __init__(self, method: Method, field: TorchField, x, y, params: dict):
        if not isinstance(method, Method):
            fail("method", "a Method from gametheory.methods.get(...)", type(method).__name__)
        self.method = method
        self.params = dict(params)
        self.p = method.params(self.params, mode="float")
        self.field = field
        self.dual = DualField(field.loss_fn, field.x_shapes, field.y_shapes, zero_sum=field.zero_sum)
        self.x = torch.as_tensor(x).detach().to(F64)
        self.y = torch.as_tensor(y).detach().to(F64)
        with torch.no_grad():
            s0 = method.initial_state(self.x, self.y, field, self.p, TorchOps)
        self.keys = tuple(method.state_keys)
        self.s0 = {k: torch.as_tensor(s0[k]).detach().to(F64) for k in self.keys}
        self.sizes = {k: int(self.s0[k].numel()) for k in self.keys}
        self.n = sum(self.sizes.values())
        self.matvecs = 0
        self._dense = None
        self._ops = DualOps()

    @property
    def shape(self):
        return (self.n, self.n)

    def _split(self, u):
        out, i = {}, 0
        for k in self.keys:
            out[k] = u[i:i + self.sizes[k]]
            i += self.sizes[k]
        return out

    def step(self, s: dict) -> dict:
        """One step of the registry rule from state ``s`` (plain, no tangents)."""
        return self.method.step(s, self.field, self.p, TorchOps)

    def fixed_point_residual(self) -> float:
        """``|F(s*) - s*| / max(|s*|, 1)``: how closely ``s*`` is a fixed point (the equilibrium's accuracy)."""
        with torch.no_grad():
            out = self.step(dict(self.s0))
        num = sum(float(torch.linalg.vector_norm(out[k].detach() - self.s0[k]) ** 2) for k in self.keys) ** 0.5
        den = sum(float(torch.linalg.vector_norm(self.s0[k]) ** 2) for k in self.keys) ** 0.5
        return num / max(den, 1.0)

    def matvec(self, u):
        """``M u``: the forward-mode derivative of one step of the rule at ``s*`` in the direction ``u``."""
        u = torch.as_tensor(u, dtype=F64, device=self.x.device).reshape(-1)
        if u.numel() != self.n:
            fail("u", f"a vector of {self.n} entries", u.numel())
        self.matvecs += 1
        parts = self._split(u)
        self._ops.new_step()
        with fwAD.dual_level():
            s = {k: fwAD.make_dual(self.s0[k], parts[k]) for k in self.keys}
            out = self.method.step(s, self.dual, self.p, self._ops)
            tangents = []
            for k in self.keys:
                t = _tangent(out[k])
                tangents.append(torch.zeros_like(self.s0[k]) if t is None else t.detach().clone())
        return torch.cat(tangents)

    def __matmul__(self, u):
        return self.matvec(u)

    def linear_operator(self):
        """``M`` as a ``scipy.sparse.linalg.LinearOperator``."""
        from scipy.sparse.linalg import LinearOperator

        def mv(u):
            return self.matvec(torch.from_numpy(np.ascontiguousarray(u, dtype=float).reshape(-1))).cpu().numpy()

        return LinearOperator(self.shape, matvec=mv, dtype=np.float64)

    def _flat_step(self, flat):
        s = self._split(flat)
        out = self.method.step(s, self.dual, self.p, _DenseSolveOps)
        return torch.cat([torch.as_tensor(out[k]).reshape(-1) for k in self.keys])

    def dense(self) -> np.ndarray:
        """The dense ``M`` (cached): ``torch.func.jacfwd`` of one step, all columns at once (a linear system
        of the rule, CGD's, is assembled and solved densely inside the step); past
        ``_DenseSolveOps.dense_max`` unknowns, the columns ``M e_j`` one forward-mode product each."""
        if self._dense is None:
            s0 = torch.cat([self.s0[k].reshape(-1) for k in self.keys])
            self.dual.reverse_over_reverse = False
            try:
                M = jacfwd(self._flat_step)(s0)
                self.matvecs += self.n
            except _NeedsSolve:
                self.dual.reverse_over_reverse = True
                eye = torch.eye(self.n, dtype=F64, device=self.x.device)
                M = torch.stack([self.matvec(e) for e in eye.unbind(0)], 1)
            finally:
                self.dual.reverse_over_reverse = True
            self._dense = M.detach().cpu().numpy()
        return self._dense

    def _vectorised(self):
        """Context: forward-over-reverse products and dense solves inside (``torch.func`` transforms)."""
        outer = self

        class _Ctx:
            def __enter__(self):
                outer.dual.reverse_over_reverse = False

            def __exit__(self, *exc):
                outer.dual.reverse_over_reverse = True

        return _Ctx()

    def _flat_s0(self):
        return torch.cat([self.s0[k].reshape(-1) for k in self.keys])

    def matmat(self, Q):
        """``M Q`` for the columns of ``Q`` (``torch.func.vmap`` of ``jvp`` of one step)."""
        Q = torch.as_tensor(Q, dtype=F64, device=self.x.device)
        s0 = self._flat_s0()
        with self._vectorised():
            out = vmap(lambda q: jvp(self._flat_step, (s0,), (q,))[1], in_dims=1, out_dims=1)(Q)
        self.matvecs += Q.shape[1]
        return out.detach()

    def rmatmat(self, U):
        """``M^T U`` for the columns of ``U`` (``torch.func.vmap`` of the ``vjp`` of one step)."""
        U = torch.as_tensor(U, dtype=F64, device=self.x.device)
        with self._vectorised():
            _, pull = vjp(self._flat_step, self._flat_s0())
            out = vmap(lambda u: pull(u)[0], in_dims=1, out_dims=1)(U)
        self.matvecs += U.shape[1]
        return out.detach()

    def embed_z(self, Z) -> torch.Tensor:
        """Augmented vectors (columns) whose iterate blocks ``(x, y)`` are the columns of ``Z``, zero elsewhere."""
        Z = torch.as_tensor(Z, dtype=F64, device=self.x.device)
        nx = self.x.numel()
        rows = []
        for k in self.keys:
            if k == "x":
                rows.append(Z[:nx])
            elif k == "y":
                rows.append(Z[nx:])
            else:
                rows.append(torch.zeros(self.sizes[k], Z.shape[1], dtype=F64, device=Z.device))
        return torch.cat(rows, 0)

    def observable_radius(self, J: np.ndarray, range_basis: np.ndarray, *, threshold: float = 0.0,
                          rank_tol: float = 1e-10, max_depth: int = 64) -> AugmentedRadius:
        """The radius of ``M`` on the modes the field can see, from a small compression of ``M``.

        With the observation ``o = J z`` (``z`` the iterate blocks of the
        augmented state), the modes ``|v|`` cannot see form the unobservable
        subspace ``N``, which ``M`` maps into itself; its complement ``N^perp``
        is the block Krylov space of ``M^T`` from the embedded rows of ``J``
        (``range_basis``: an orthonormal basis of ``range(J^T)``, i.e. the
        complement of ``ker J``). In an orthonormal basis ``Q`` of ``N^perp``,
        ``Q^T M Q`` has exactly the eigenvalues of ``M`` on the quotient by
        ``N``. Its size is about (modes off the kernel) x (state blocks), so
        this costs a few dozen vectorised products even when ``ker J`` is
        large (where ARPACK on ``M`` would have to resolve a highly multiple
        eigenvalue 1 first). Modes whose iterate part has ``|J z| <=
        threshold |z|`` (slow modes) are then set aside as for :meth:`radius`.
        """
        B = self.embed_z(torch.as_tensor(range_basis, dtype=F64))
        Q = torch.linalg.qr(B).Q if B.shape[1] else B
        new = Q
        for _ in range(int(max_depth)):
            if new.shape[1] == 0 or Q.shape[1] >= self.n:
                break
            W = self.rmatmat(new)
            W = W - Q @ (Q.T @ W)
            W = W - Q @ (Q.T @ W)  # reorthogonalise
            if W.shape[1] == 0:
                break
            U, S, _ = torch.linalg.svd(W, full_matrices=False)
            keep = S > rank_tol * max(1.0, float(S.max()) if len(S) else 0.0)
            new = U[:, keep]
            Q = torch.cat([Q, new], 1)
        H = (Q.T @ self.matmat(Q)).cpu().numpy()
        lam, w = np.linalg.eig(H) if H.size else (np.zeros(0), np.zeros((0, 0)))
        vec = Q.cpu().numpy() @ w
        res = self._visible(lam, vec, J, threshold, 0.0, f"observable ({Q.shape[1]} of {self.n} dims)")
        res.hidden += self.n - Q.shape[1]
        return res

    def z_part(self, vec) -> np.ndarray:
        """The iterate blocks ``(x, y)`` of augmented vectors (columns)."""
        vec = np.asarray(vec)
        i, rows = 0, []
        for k in self.keys:
            if k in ("x", "y"):
                rows.append(vec[i:i + self.sizes[k]])
            i += self.sizes[k]
        return np.concatenate(rows, axis=0)

    def radius(self, *, J=None, threshold: float | None = None, kernel_tol: float = 1e-6, dense: bool | None = None,
               k: int = 8, seed: int = 0) -> AugmentedRadius:
        """The spectral radius over the modes visible in the field.

        Parameters
        ----------
        J : numpy.ndarray or GameJacobian, optional
            The game Jacobian at ``(x, y)`` (dense or matrix-free). An
            eigenvector whose iterate part ``z`` has ``|J z| <= threshold |z|``
            is a kernel mode and is set aside. Without ``J`` every mode counts.
        threshold : float, optional
            Absolute (an eigenvalue modulus of ``J``, e.g.
            :attr:`Equilibrium.kernel_threshold`); default ``kernel_tol |J|``.
        dense : bool, optional
            Full eigendecomposition of the dense ``M`` (default when
            ``n <= DENSE_AUGMENTED_MAX``); else ARPACK's ``k`` largest, ``k``
            doubled while none is visible.
        """
        from .spectrum import top_eigenvalues

        use_dense = self.n <= DENSE_AUGMENTED_MAX if dense is None else bool(dense)
        if use_dense:
            lam, vec = np.linalg.eig(self.dense())
            return self._visible(lam, vec, J, threshold, kernel_tol, "dense")
        kk = k
        while True:
            lam, vec = top_eigenvalues(self.linear_operator(), min(kk, self.n - 2), "LM", seed=seed,
                                       return_vectors=True)
            res = self._visible(lam, vec, J, threshold, kernel_tol, "arpack")
            if res.visible or kk >= self.n - 2 or kk >= 256:
                return res
            kk *= 2

    def _visible(self, lam, vec, J, threshold, kernel_tol, path):
        lam = np.asarray(lam)
        keep = self.visible_mask(vec, J, threshold, kernel_tol)
        mods = np.abs(lam)
        if keep.any():
            i = int(np.argmax(np.where(keep, mods, -1.0)))
            rho, mu = float(mods[i]), complex(lam[i])
        else:
            rho, mu = float("nan"), complex("nan")
        krho = float(mods[~keep].max()) if (~keep).any() else 0.0
        return AugmentedRadius(rho, mu, krho, int(keep.sum()), int((~keep).sum()), path, lam)

    def hidden_subspace(self, J: np.ndarray, threshold: float) -> np.ndarray:
        """An orthonormal basis of the invariant subspace of ``M`` spanned by its kernel and slow modes.

        The modes :meth:`visible_mask` sets aside (eigenvalues of the dense
        ``M`` whose iterate part has ``|J z| <= threshold |z|``), from the
        ordered complex Schur form ``M = Z T Z^H`` with those eigenvalues first:
        their columns of ``Z`` span the subspace ``S`` (Jordan blocks included).
        ``S`` is invariant, so the component of a deviation orthogonal to it
        evolves, in the linearisation, by the quotient of ``M`` by ``S``, whose
        eigenvalues are exactly the visible ones: its norm decays at the
        predicted ``rho`` whatever the kernel and slow modes do.
        """
        import scipy.linalg

        M = self.dense()
        with one_blas_thread():
            lam, vec = np.linalg.eig(M)
            keep = self.visible_mask(vec, J, threshold)
            if keep.all():
                return np.zeros((self.n, 0), dtype=complex)

            def hidden(mu):  # classify Schur's eigenvalue by the nearest one of eig
                return not keep[int(np.argmin(np.abs(lam - mu)))]

            _, Z, sdim = scipy.linalg.schur(M, output="complex", sort=hidden)
        return Z[:, :int(sdim)]

    def visible_mask(self, vec, J=None, threshold: float | None = None, kernel_tol: float = 1e-6) -> np.ndarray:
        """Which eigenvectors (columns of ``vec``) the field sees: iterate part ``z`` with ``|J z| > threshold |z|``.

        The others are kernel or slow modes (see :meth:`radius`). Without ``J`` every mode is visible.
        """
        vec = np.asarray(vec)
        if J is None:
            keep = np.ones(vec.shape[1], dtype=bool)
        else:
            z = self.z_part(vec)
            if isinstance(J, np.ndarray):
                Jz = J @ z
                if threshold is None:
                    threshold = kernel_tol * np.linalg.norm(J, 2)
            else:
                Jz = np.stack([J.matvec(torch.from_numpy(np.ascontiguousarray(c.real))).cpu().numpy()
                               + 1j * J.matvec(torch.from_numpy(np.ascontiguousarray(c.imag))).cpu().numpy()
                               for c in z.T], 1)
                if threshold is None:
                    threshold = kernel_tol * float(np.max(np.abs(J.eigenvalues(k=1, which="LM"))))
            zn = np.linalg.norm(z, axis=0)
            keep = (np.linalg.norm(Jz, axis=0) > threshold * zn) & (zn > 1e-12 * np.linalg.norm(vec, axis=0))
        return keep
