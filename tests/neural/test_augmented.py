"""The augmented Jacobian as the JVP of one registry step: exact radii on games with known spectra."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import gametheory as gt  # noqa: E402
from gametheory.neural.augmented import AugmentedOperator  # noqa: E402
from gametheory.neural.field import TorchField, game_closure  # noqa: E402

F64 = torch.float64
P = {"eta": 0.1, "beta": -0.3, "gamma": 0.5, "lam": 0.7}


def games():
    return {
        "bilinear": gt.games.bilinear([[1.0, 0.3], [0.2, 0.7]]),
        "quadratic": gt.games.quadratic([[1.0, 0.2], [0.2, -0.5]], [[1.0, -0.4], [0.3, 0.8]],
                                        [[0.6, 0.0], [0.0, 1.2]]),
        "general_sum": gt.games.from_expression(L_x="x1**2/2 + x1*y1 + x1*y2", L_y="y1**2/2 - 2*x1*y1 + y2**2",
                                                x="x1", y="y1 y2"),
    }


def torch_game(game):
    nx, ny = len(game.x), len(game.y)
    field = TorchField(game_closure(game), [(nx,)], [(ny,)])
    return field, torch.zeros(nx, dtype=F64), torch.zeros(ny, dtype=F64)


def bound(m):
    if m.name == "unrolled":
        return gt.methods.get("unrolled", order=m.order, k=2)
    if m.name == "n_inner":
        return gt.methods.get("n_inner", order=m.order, n=2)
    return m


def params_for(m, extra=None):
    names = set(m.param_names)
    out = {k: v for k, v in P.items() if k in names or k == "eta"}
    out.update(extra or {})
    return out


QUAD = [(bound(m), "quadratic") for m in gt.methods.registry()]
OTHER = [(bound(gt.methods.get(n, order=o)), g) for n, o, g in
         [("gd", "alternating", "bilinear"), ("momentum", "alternating", "bilinear"), ("ogd", "alternating", "bilinear"),
          ("cgd", "simultaneous", "bilinear"), ("eg", "alternating", "general_sum"),
          ("unrolled", "simultaneous", "general_sum"), ("cgd", "simultaneous", "general_sum"),
          ("consensus", "simultaneous", "general_sum"), ("sga", "simultaneous", "general_sum"),
          ("n_inner", "alternating", "general_sum")]]


@pytest.mark.parametrize("method,game_name", QUAD + OTHER, ids=lambda v: repr(v) if not isinstance(v, str) else v)
def test_radius_equals_the_exact_spectral_radius(method, game_name):
    game = games()[game_name]
    field, x, y = torch_game(game)
    params = params_for(method)
    A = AugmentedOperator(method, field, x, y, params)
    ref = float(gt.spectral_radius(game, method, **params))
    assert abs(A.radius().rho - ref) < 1e-12
    assert A.fixed_point_residual() < 1e-15


@pytest.mark.parametrize("name,order", [("gd", "simultaneous"), ("gd", "alternating"), ("momentum", "alternating"),
                                        ("ogd", "simultaneous")])
def test_two_timescales(name, order):
    game = games()["quadratic"]
    field, x, y = torch_game(game)
    m = gt.methods.get(name, order=order)
    params = params_for(m, {"eta": None, "eta_x": 0.2, "eta_y": 0.05})
    params.pop("eta")
    A = AugmentedOperator(m, field, x, y, params)
    assert abs(A.radius().rho - float(gt.spectral_radius(game, m, **params))) < 1e-12


def test_pen_and_paper_alternating_gda_on_xy():
    """x+ = x - eta y, y+ = y + eta x+ = eta x + (1 - eta^2) y: M = [[1, -eta], [eta, 1 - eta^2]]."""
    field, x, y = torch_game(gt.games.bilinear([[1]]))
    A = AugmentedOperator(gt.methods.get("gd", order="alternating"), field, x, y, {"eta": 0.5})
    np.testing.assert_allclose(A.dense(), [[1, -0.5], [0.5, 0.75]], atol=1e-15)


def test_pen_and_paper_momentum_on_a_scalar_quadratic():
    """f = x^2/2 - y^2/2 (J = I): z+ = z - eta z + beta (z - z_prev), blocks [[(1-eta+beta) I, -beta I], [I, 0]]."""
    field, x, y = torch_game(gt.games.quadratic([[1]], [[0]], [[1]]))
    A = AugmentedOperator(gt.methods.get("momentum"), field, x, y, {"eta": 0.5, "beta": -0.25})
    M = A.dense()  # state (x, y, x_prev, y_prev)
    a = 1 - 0.5 - 0.25
    np.testing.assert_allclose(M, [[a, 0, 0.25, 0], [0, a, 0, 0.25], [1, 0, 0, 0], [0, 1, 0, 0]], atol=1e-15)


def test_dense_matvec_and_vectorised_products_agree():
    game = games()["general_sum"]
    field, x, y = torch_game(game)
    for m in (gt.methods.get("cgd"), gt.methods.get("momentum", order="alternating"), bound(gt.methods.get("unrolled"))):
        A = AugmentedOperator(m, field, x, y, params_for(m))
        D = A.dense()
        U = torch.randn(A.n, 3, generator=torch.Generator().manual_seed(1), dtype=F64)
        np.testing.assert_allclose(A.matmat(U).numpy(), D @ U.numpy(), atol=1e-13)
        np.testing.assert_allclose(A.rmatmat(U).numpy(), D.T @ U.numpy(), atol=1e-13)
        np.testing.assert_allclose(A.matvec(U[:, 0]).numpy(), D @ U[:, 0].numpy(), atol=1e-13)


def test_observable_radius_sets_the_kernel_aside():
    """A rank-1 bilinear game (a kernel direction in each player): the radius off the kernel is that of the
    full-rank 1 x 1 block, while the full augmented operator has the kernel's mu = 1."""
    game = gt.games.bilinear([[1.0, 2.0], [0.5, 1.0]])     # rank 1, singular value sqrt(6.25)
    field, x, y = torch_game(game)
    m = gt.methods.get("momentum", order="alternating")
    A = AugmentedOperator(m, field, x, y, {"eta": 0.2, "beta": -0.3})
    J = np.array(game.jacobian_at().tolist(), dtype=float)
    _, s, vt = np.linalg.svd(J)
    rng = vt[s > 1e-12].T
    block = float(gt.spectral_radius(gt.games.bilinear([[2.5]]), m, eta=0.2, beta=-0.3))
    assert abs(A.radius().rho - 1.0) < 1e-12                       # the kernel mode mu = 1
    assert abs(A.radius(J=J, threshold=1e-9).rho - block) < 1e-12  # eigenvector filter
    obs = A.observable_radius(J, rng, threshold=1e-9)
    assert abs(obs.rho - block) < 1e-12 and obs.hidden > 0
