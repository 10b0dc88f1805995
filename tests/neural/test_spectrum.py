"""The local spectrum of Torch games: known spectra, matrix-free vs dense, ARPACK selections, the kernel."""
import mpmath
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import gametheory as gt  # noqa: E402
from gametheory.neural.paper_experiments import multiset_distance as match  # noqa: E402
from gametheory.neural.spectrum import GameJacobian, game_jacobian, kernel_of, top_eigenvalues  # noqa: E402

F64 = torch.float64


class Player(torch.nn.Module):
    """One player's parameter vector as a module."""

    def __init__(self, n, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.w = torch.nn.Parameter(torch.randn(n, generator=g, dtype=F64))


def matrix_game_module(P, A, Q):
    """``f = 1/2 x'Px + x'Ay - 1/2 y'Qy`` with the players as Torch modules (not the SymPy game)."""
    P, A, Q = (torch.tensor(np.array(M, dtype=float), dtype=F64) for M in (P, A, Q))
    gx, gy = Player(A.shape[0], 1), Player(A.shape[1], 2)

    def f(xs, ys):
        x, y = xs[0], ys[0]
        return 0.5 * x @ P @ x + x @ A @ y - 0.5 * y @ Q @ y

    return gx, gy, f


def exact_eigenvalues(game):
    """Eigenvalues of the SymPy game's exact Jacobian, by mpmath at 40 digits."""
    Jx = game.jacobian_at()
    with mpmath.workdps(40):
        E, _ = mpmath.eig(mpmath.matrix(Jx.tolist()))
        return np.array([complex(e) for e in E])


RNG = np.random.default_rng(3)
A34 = np.round(RNG.normal(size=(3, 4)), 3)
P3 = np.round(RNG.normal(size=(3, 3)), 3)
P3 = (P3 + P3.T) / 2
Q4 = np.round(RNG.normal(size=(4, 4)), 3)
Q4 = (Q4 + Q4.T) / 2
CASES = {"bilinear": (np.zeros((3, 3)), A34, np.zeros((4, 4)), gt.games.bilinear(A34.tolist())),
         "quadratic": (P3, A34, Q4, gt.games.quadratic(P3.tolist(), A34.tolist(), Q4.tolist()))}


@pytest.mark.parametrize("name", list(CASES))
def test_eigenvalues_equal_the_exact_jacobians(name):
    P, A, Q, game = CASES[name]
    gx, gy, f = matrix_game_module(P, A, Q)
    J = game_jacobian(gx.parameters(), gy.parameters(), f)
    assert match(J.eigenvalues(), exact_eigenvalues(game)) < 1e-10
    np.testing.assert_allclose(J.dense(), np.array(game.jacobian_at().tolist(), dtype=float), atol=1e-12)


@pytest.mark.parametrize("name", list(CASES))
def test_matrix_free_products_equal_the_dense_matrix(name):
    P, A, Q, _ = CASES[name]
    gx, gy, f = matrix_game_module(P, A, Q)
    J = game_jacobian(gx.parameters(), gy.parameters(), f)
    D = J.dense()
    u = torch.randn(J.n, generator=torch.Generator().manual_seed(0), dtype=F64)
    np.testing.assert_allclose(J.matvec(u).numpy(), D @ u.numpy(), atol=1e-12)
    np.testing.assert_allclose((J.T @ u).numpy(), D.T @ u.numpy(), atol=1e-12)
    L = J.linear_operator()
    np.testing.assert_allclose(L.matvec(u.numpy()), D @ u.numpy(), atol=1e-12)
    np.testing.assert_allclose(L.rmatvec(u.numpy()), D.T @ u.numpy(), atol=1e-12)


@pytest.mark.slow  # ARPACK's "imag" selection (smallest real parts) needs thousands of products here (~50 s)
def test_arpack_selections_agree_with_the_dense_spectrum():
    """A 60-parameter quadratic game: ARPACK's top eigenvalues (matrix-free) are the dense spectrum's."""
    rng = np.random.default_rng(7)
    A = rng.normal(size=(30, 30))
    P = rng.normal(size=(30, 30))
    P = (P @ P.T) / 30
    Q = rng.normal(size=(30, 30))
    Q = (Q @ Q.T) / 30
    gx, gy, f = matrix_game_module(P, A, Q)
    J = game_jacobian(gx.parameters(), gy.parameters(), f)
    full = np.linalg.eigvals(J.dense())
    for which, key in (("LM", lambda l: -abs(l)), ("LR", lambda l: -l.real), ("LI", lambda l: -abs(l.imag))):
        got = J.eigenvalues(k=4, which=which, dense=False)
        want = sorted(full, key=key)[:4]
        assert match(got, want) < 1e-8, which
    # every Re >= 0 here (P, Q PSD), so the eigenvalues nearest the imaginary axis are those of smallest Re
    # ("imag" runs ARPACK's "SR" selection: this checks both)
    near = J.eigenvalues(k=3, which="imag", dense=False)
    assert match(near, sorted(full, key=lambda l: abs(l.real))[:3]) < 1e-8


def test_nearest_the_imaginary_axis_off_the_kernel(ns_equilibrium):
    """At a GAN's equilibrium the eigenvalues nearest the axis are the kernel's zeros ("imag"); "imag_off_kernel" gives
    the nearest ones off it, as the dense spectrum does (J has 17 eigenvalues off its 58-dimensional kernel here)."""
    J = ns_equilibrium.jacobian()
    full = np.linalg.eigvals(J.dense())
    R = np.max(np.abs(full))
    got = J.eigenvalues(k=4, which="imag_off_kernel", dense=False)
    want = J.eigenvalues(k=4, which="imag_off_kernel", dense=True)
    assert len(got) == 4 and np.all(np.abs(got) > 1e-8 * R) and match(got, want) < 1e-10 * R
    assert np.all(np.abs(J.eigenvalues(k=4, which="imag", dense=True)) < 1e-12 * R)  # the kernel's


def test_top_eigenvalues_small_operators_and_seeds():
    from scipy.sparse.linalg import aslinearoperator

    M = np.diag([3.0, -2.0, 1.0, 0.5])
    assert top_eigenvalues(aslinearoperator(M), 2).real.tolist() == [3.0, -2.0]
    big = np.diag(np.arange(1.0, 41.0))
    a = top_eigenvalues(aslinearoperator(big), 3, seed=5)
    b = top_eigenvalues(aslinearoperator(big), 3, seed=5)
    assert np.array_equal(a, b) and np.allclose(a.real, [40, 39, 38])


def test_kernel_pen_and_paper():
    jordan = kernel_of(np.array([[0.0, 1.0], [0.0, 0.0]]))
    assert (jordan.dim, jordan.algebraic, jordan.defective) == (1, 2, True)
    semi = kernel_of(np.diag([0.0, 0.0, 1.0]))
    assert (semi.dim, semi.defective) == (2, False)
    assert np.allclose(np.abs(semi.basis.T @ np.eye(3)[:, 2]), 0)
    assert np.allclose(semi.range_basis.T @ semi.basis, 0)
    full = kernel_of(np.array([[0.0, 1.0], [-1.0, 0.0]]))
    assert full.dim == 0 and full.gap == float("inf")


def test_kernel_jordan_structure_under_similarity():
    """Jordan blocks at 0 of sizes 3, 2, 1, 1, a slow mode 1e-4 and eigenvalues 1, 2 +- i, hidden by a random
    orthogonal similarity: geometric 4, algebraic 7 (Weyr 4, 2, 1), and the kernel threshold then sets aside exactly
    one slow mode, so that kernel + slow modes = the 8 eigenvalues below it (none counted twice)."""
    from gametheory.neural.equilibrium import kernel_threshold
    from gametheory.neural.spectrum import zero_weyr

    B = np.zeros((11, 11))
    for i in (0, 1, 3):  # chains 0 <- 1 <- 2 (size 3) and 3 <- 4 (size 2); 5, 6 are 1x1 blocks
        B[i, i + 1] = 1.0
    B[7, 7] = 1e-4
    B[8, 8] = 1.0
    B[9:, 9:] = [[2.0, 1.0], [-1.0, 2.0]]
    Q, _ = np.linalg.qr(np.random.default_rng(3).normal(size=(11, 11)))
    J = Q @ B @ Q.T
    K = kernel_of(J)
    assert (K.dim, K.algebraic, K.weyr, K.defective) == (4, 7, (4, 2, 1), True)
    assert K.jordan_blocks == {1: 2, 2: 1, 3: 1}
    lam = np.linalg.eigvals(J)  # the size-3 block's zeros scatter to ~eps^(1/3) ~ 1e-5 under rounding
    thr, slow, _ = kernel_threshold(lam, K.algebraic)
    assert slow == 1 and np.sum(np.abs(lam) <= thr) == K.algebraic + slow == 8
    # counted from the geometric multiplicity, the scattered zeros of the Jordan blocks pass for slow modes
    assert kernel_threshold(lam, K.dim)[1] == 4
    # the old count (moduli below 10 sqrt(eps sigma_max)) would have called the slow mode kernel as well
    assert zero_weyr(np.diag([0.0, 1e-4, 1.0]), 1e-8) == (1,)


def test_game_jacobian_checks_its_input():
    from gametheory.validation import ParameterError

    with pytest.raises(ParameterError, match="x_params"):
        game_jacobian([], [torch.zeros(1)], lambda xs, ys: xs[0] @ ys[0])
    with pytest.raises(ParameterError, match="field"):
        GameJacobian(object(), torch.zeros(1), torch.zeros(1))


def test_default_ncv_is_a_valid_arpack_basis():
    """ARPACK needs ``want < ncv <= n``; the default is longer than SciPy's ``2 want + 1`` (fewer restarts where
    the wanted eigenvalues are not well separated), capped by ``n - 1`` and by about 1 GB of basis."""
    from gametheory.neural.spectrum import default_ncv

    for n in (12, 30, 200, 93603, 10**8):
        for want in (1, 5, 10, 40):
            if want >= n - 2:
                continue
            ncv = default_ncv(n, want)
            assert want + 1 < ncv + 1 <= n
            assert ncv >= min(n - 1, 2 * want + 1)
            assert ncv * n * 8 <= max(2 ** 30, (2 * want + 1) * n * 8)
    assert default_ncv(93603, 10) == 60
