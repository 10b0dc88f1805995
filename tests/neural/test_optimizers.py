"""Torch optimizers reproduce the registry rules' NumPy iteration step for step (float64)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import gametheory as gt  # noqa: E402
from gametheory.neural.backend import game_closure  # noqa: E402
from gametheory.neural.optimizers import ACGD, MSV, make_optimizer, optimizer_names  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402
STEPS = 6
PARAMS = {"eta": 0.1, "beta": -0.3, "gamma": 0.5, "lam": 0.7, "k": 3, "n": 2}


def torch_run(game, method, z0, steps, **opts):
    nx = len(game.x)
    x = torch.tensor(z0[:nx], dtype=torch.float64, requires_grad=True)
    y = torch.tensor(z0[nx:], dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(method.name, [x], [y], order=method.order, **opts)
    closure = game_closure(game)
    out = [np.concatenate([x.detach().numpy(), y.detach().numpy()])]
    for _ in range(steps):
        opt.step(closure)
        out.append(np.concatenate([x.detach().numpy(), y.detach().numpy()]))
    return np.array(out), opt


def method_params(m):
    names = set(m.param_names)
    return {k: v for k, v in PARAMS.items() if k in names or k == "eta"}


CASES = [(g, m.name, m.order) for g in ("bilinear", "quadratic", "general_sum") for m in gt.methods.registry()]


@pytest.mark.parametrize("game_name,name,order", CASES)
@pytest.mark.parametrize("generic", [False, True])
def test_step_for_step_equals_numpy(game_name, name, order, generic, toy_games):
    game = toy_games[game_name]
    m = gt.methods.get(name, order=order)
    z0 = np.linspace(0.7, -0.4, game.n)
    params = method_params(m)
    ref = gt.simulate(game, m, z0, STEPS, **params).trajectory
    opts = dict(params)
    opts["lr"] = opts.pop("eta")
    if name == "cgd":
        opts.update(cg_tol=1e-14, cg_max_iter=200)
    got, opt = torch_run(game, m, z0, STEPS, generic=generic, **opts)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, atol=1e-6, rtol=0)
    assert np.max(np.abs(got - ref)) < 1e-9  # in float64 the same rule agrees to rounding
    assert opt.totals.grad_evals > 0


def test_gd_counts_and_adam_equals_torch_adam(toy_games):
    game = toy_games["quadratic"]
    closure = game_closure(game)
    z0 = np.array([0.5, -0.3, 0.2, 0.9])
    for order in ("simultaneous", "alternating"):
        x = torch.tensor(z0[:2], requires_grad=True, dtype=torch.float64)
        y = torch.tensor(z0[2:], requires_grad=True, dtype=torch.float64)
        opt = make_optimizer("gd", [x], [y], lr=0.05, order=order, adam=True, betas=(0.5, 0.99))
        xr = torch.tensor(z0[:2], requires_grad=True, dtype=torch.float64)
        yr = torch.tensor(z0[2:], requires_grad=True, dtype=torch.float64)
        ax = torch.optim.Adam([xr], lr=0.05, betas=(0.5, 0.99))
        ay = torch.optim.Adam([yr], lr=0.05, betas=(0.5, 0.99))
        for _ in range(8):
            stats = opt.step(closure)
            assert stats.grad_evals == 2 and stats.hvp_evals == 0
            ax.zero_grad(); ay.zero_grad()
            Lx, Ly = closure([xr], [yr])
            gx, = torch.autograd.grad(Lx, xr)
            if order == "alternating":
                xr.grad = gx; ax.step()
                Lx, Ly = closure([xr], [yr])
            gy, = torch.autograd.grad(Ly, yr)
            if order == "simultaneous":
                xr.grad = gx; ax.step()
            yr.grad = gy; ay.step()
            np.testing.assert_allclose(x.detach().numpy(), xr.detach().numpy(), atol=1e-12)
            np.testing.assert_allclose(y.detach().numpy(), yr.detach().numpy(), atol=1e-12)


def test_optimistic_adam_first_step_is_adam_step(toy_games):
    game = toy_games["bilinear"]
    closure = game_closure(game)
    z0 = np.linspace(0.3, 1.0, game.n)
    outs = []
    for name in ("ogd", "gd"):
        x = torch.tensor(z0[:2], requires_grad=True, dtype=torch.float64)
        y = torch.tensor(z0[2:], requires_grad=True, dtype=torch.float64)
        make_optimizer(name, [x], [y], lr=0.1, adam=True).step(closure)
        outs.append(torch.cat([x, y]).detach().numpy())
    np.testing.assert_allclose(outs[0], outs[1], atol=1e-12)
    assert np.all(np.isfinite(outs[0]))


@pytest.mark.parametrize("zero_sum", [True, None])
def test_acgd_matches_dense_formula(zero_sum):
    """ACGD against the local-game solution with diagonal step sizes, computed densely in NumPy
    (zero-sum: conjugate gradients on the SPD system; None: on the normal equations)."""
    game = gt.games.quadratic([[0.5, 0.0], [0.0, 0.3]], [[1.0, 2.0], [-0.5, 1.5]], [[0.4, 0.1], [0.1, 0.7]])
    closure = game_closure(game)
    fn = game.field_function()
    z = np.array([0.8, -0.6, 0.4, 0.3])
    x = torch.tensor(z[:2], requires_grad=True, dtype=torch.float64)
    y = torch.tensor(z[2:], requires_grad=True, dtype=torch.float64)
    opt = ACGD([x], [y], lr=0.2, beta2=0.9, eps=1e-8, cg_tol=1e-14, cg_max_iter=100, zero_sum=zero_sum)
    sq = [np.zeros(2), np.zeros(2)]
    for t in range(1, 6):
        vx, vy = fn.v(z[:2], z[2:])
        Jxx, Jxy, Jyx, Jyy = fn.jac(z[:2], z[2:])
        sq = [0.9 * sq[0] + 0.1 * vx ** 2, 0.9 * sq[1] + 0.1 * vy ** 2]
        Hx = np.diag(0.2 * np.sqrt(1 - 0.9 ** t) / (np.sqrt(sq[0]) + 1e-8))
        Hy = np.diag(0.2 * np.sqrt(1 - 0.9 ** t) / (np.sqrt(sq[1]) + 1e-8))
        # dx = -Hx (vx + Jxy dy), dy = -Hy (vy + Jyx dx)  (the local game's Nash equilibrium)
        K = np.block([[np.eye(2), Hx @ Jxy], [Hy @ Jyx, np.eye(2)]])
        d = np.linalg.solve(K, -np.concatenate([Hx @ vx, Hy @ vy]))
        z = z + d
        stats = opt.step(closure)
        assert stats.cg_iterations >= 1
        # mixed products: the right-hand side, the operator at the warm start, the operator at each
        # iteration (M: two; M^T M: four, and M^T of the right-hand side: two); J_yx dx for dy comes
        # from the solver's own products
        per_operator = 2 if zero_sum else 4
        expected = 1 + (0 if zero_sum else 2) + per_operator * (stats.cg_iterations + (t > 1))
        assert stats.hvp_evals == expected
        np.testing.assert_allclose(torch.cat([x, y]).detach().numpy(), z, atol=1e-10)


def test_acgd_default_first_step_moves_weights_by_about_the_learning_rate():
    """The four-Gaussian GAN at the paper's sizes: with eps = 1e-8 the first step moved the generator's
    weights by 65x its learning rate; the default (1e-5, measured) keeps it about one learning rate."""
    from gametheory.neural.data import mixture
    from gametheory.neural.experiments import gan_loss
    from gametheory.neural.models import discriminator, generator
    from gametheory.neural.tensors import flatten

    gen = torch.Generator().manual_seed(0)
    real, z = mixture("gaussians4").sample(512, gen), torch.randn(512, 256, generator=gen)
    g, d = generator(seed=0), discriminator()
    opt = make_optimizer("acgd", list(g.parameters()), list(d.parameters()), lr_x=1e-3, lr_y=1e-4)
    x0 = flatten(g.parameters())
    opt.step(gan_loss(g, d, real, z, loss="minimax"))
    assert float((flatten(g.parameters()) - x0).abs().max()) < 2 * 1e-3


def test_cgd_warm_start_saves_iterations(toy_games):
    game = toy_games["bilinear"]
    closure = game_closure(game)
    iters = {}
    for warm in (False, True):
        x = torch.tensor([0.5, -0.2], requires_grad=True, dtype=torch.float64)
        y = torch.tensor([0.3, 0.1, -0.4], requires_grad=True, dtype=torch.float64)
        opt = make_optimizer("cgd", [x], [y], lr=0.3, cg_tol=1e-10, cg_max_iter=100, warm_start=warm)
        iters[warm] = sum(opt.step(closure).cg_iterations for _ in range(10))
    assert iters[True] <= iters[False]


def test_msv_accept_reject_follows_the_blog_rule():
    # f = x*y - y^2/2 + ... zero-sum; the max player's value h decides; reject restores both players and Adam state
    x = torch.tensor([1.0], requires_grad=True, dtype=torch.float64)
    y = torch.tensor([0.5], requires_grad=True, dtype=torch.float64)
    f = lambda xs, ys: (xs[0] ** 2).sum() + 2 * (xs[0] * ys[0]).sum() - (ys[0] ** 2).sum()  # noqa: E731
    opt = MSV([x], [y], lr=0.1, n=3, skip_every=0, T0=50.0)  # annealed acceptance ~ exp(-51): never
    decisions = []
    for _ in range(20):
        before = (x.item(), y.item())
        h_before = f([x.detach()], [y.detach()]).item()
        s = opt.step(f)
        decisions.append(s.accepted)
        h_after = f([x.detach()], [y.detach()]).item()
        if s.accepted:
            assert h_after < h_before
        else:
            assert (x.item(), y.item()) == before
    assert any(decisions)
    # with every step skipped from the test, every proposal is accepted
    opt2 = MSV([x], [y], lr=0.1, n=3, skip_every=1)
    assert all(opt2.step(f).accepted for _ in range(5))


def test_names_and_errors():
    assert set(gt.methods.names()) <= set(optimizer_names())
    x, y = torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    with pytest.raises(ParameterError, match="method"):
        make_optimizer("nope", [x], [y], lr=0.1)
    with pytest.raises(ParameterError, match="adam"):
        make_optimizer("sga", [x], [y], lr=0.1, lam=1.0, adam=True)
    with pytest.raises(ParameterError, match="generic"):
        make_optimizer("consensus", [x], [y], lr=0.1, gamma=1.0, adam=True, generic=True)
    with pytest.raises(ParameterError, match="eta"):
        make_optimizer("gd", [x], [y])
    with pytest.raises(ParameterError, match="x_params"):
        make_optimizer("gd", [], [y], lr=0.1)


@pytest.mark.parametrize("name, order, params", [
    ("ogd", "simultaneous", {"alpha": 0.3, "alpha_prev": 0.05}),
    ("ogd", "alternating", {"eta": 0.1, "alpha_prev": 0.02}),
    ("momentum", "simultaneous", {"eta": 0.1, "beta_x": -0.3, "beta_y": 0.2}),
    ("momentum", "alternating", {"eta_x": 0.1, "eta_y": 0.05, "beta_x": -0.5, "beta_y": -0.1}),
])
def test_zhang_yu_variants_step_for_step(name, order, params, toy_games):
    """The variants defined in gametheory.methods alone run as Torch optimizers unchanged."""
    game = toy_games["quadratic"]
    m = gt.methods.get(name, order=order)
    z0 = np.linspace(0.7, -0.4, game.n)
    ref = gt.simulate(game, m, z0, STEPS, **params).trajectory
    opts = dict(params)
    for a, b in (("eta", "lr"), ("eta_x", "lr_x"), ("eta_y", "lr_y")):
        if a in opts:
            opts[b] = opts.pop(a)
    got, _ = torch_run(game, m, z0, STEPS, **opts)
    assert np.max(np.abs(got - ref)) < 1e-12


def test_rmsprop_is_adam_without_first_moment_pen_and_paper():
    # one step of f = x y from (1, 1): v = (y, -x) = (1, -1); RMSProp with decay rho: s = (1 - rho) g^2,
    # s_hat = s / (1 - rho) = g^2, so the first step is -lr g / (|g| + eps) = -lr sign(g)
    x = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    opt = make_optimizer("gd", [x], [y], lr=0.1, adam=True, betas=(0.0, 0.9), eps=0.0)
    opt.step(lambda xs, ys: xs[0] @ ys[0])
    assert x.item() == pytest.approx(0.9) and y.item() == pytest.approx(1.1)
    # second step: g_x = y = 1.1, s = 0.9 * 0.1 + 0.1 * 1.21, s_hat = s / (1 - 0.81)
    s = 0.9 * 0.1 + 0.1 * 1.1 ** 2
    opt.step(lambda xs, ys: xs[0] @ ys[0])
    assert x.item() == pytest.approx(0.9 - 0.1 * 1.1 / np.sqrt(s / 0.19), rel=1e-12)


def test_consensus_with_adam_preconditions_the_whole_direction():
    # f = x y: v = (y, -x), J^T v = (x, y); at (1, 2), gamma = 1: d = v + J^T v = (3, 1); RMSProp's first step is
    # lr sign(d): (0.9, 1.9). Preconditioning v alone first would give sign(v) + J^T sign(v) = (2, 0): (0.8, 2.0)
    x = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)
    opt = make_optimizer("consensus", [x], [y], lr=0.1, gamma=1.0, adam=True, betas=(0.0, 0.9), eps=0.0)
    opt.step(lambda xs, ys: xs[0] @ ys[0])
    assert (x.item(), y.item()) == (pytest.approx(0.9), pytest.approx(1.9))
    x2 = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    y2 = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)
    make_optimizer("consensus", [x2], [y2], lr=0.1, gamma=1.0).step(lambda xs, ys: xs[0] @ ys[0])
    assert (x2.item(), y2.item()) == (pytest.approx(0.7), pytest.approx(1.9))
