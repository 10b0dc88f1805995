"""Neural tests: one intra-op Torch thread (tiny networks; more threads only contend on 2 CI cores), toy games."""
import pytest


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    try:
        import torch
    except ImportError:  # the test modules skip themselves
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def toy_games():
    """Three small games whose Jacobians are known exactly: bilinear, quadratic and general-sum."""
    import numpy as np

    import gametheory as gt

    A = np.round(np.random.default_rng(0).normal(size=(2, 3)), 3)
    return {
        "bilinear": gt.games.bilinear(A.tolist()),
        "quadratic": gt.games.quadratic([[1.0, 0.2], [0.2, -0.5]], [[1.0, -0.4], [0.3, 0.8]],
                                        [[0.6, 0.0], [0.0, 1.2]]),
        "general_sum": gt.games.from_expression(L_x="x1**2/2 + x1*y1 + x1*y2", L_y="y1**2/2 - 2*x1*y1 + y2**2",
                                                x="x1", y="y1 y2"),
    }


@pytest.fixture(scope="session")
def ns_gan():
    """A fixed-batch GAN (four Gaussians, tiny networks, non-saturating loss)."""
    from gametheory.neural.fixed_batch import fixed_batch_gan

    return fixed_batch_gan("gaussians4", scale="tiny", seed=0, loss="ns")


@pytest.fixture(scope="session")
def ns_equilibrium(ns_gan):
    from gametheory.neural.equilibrium import find_equilibrium

    return find_equilibrium(ns_gan)


@pytest.fixture(scope="session")
def minimax_equilibrium():
    """Saturating GAN, four Gaussians (equal weights), a fixed batch of 4: three rotation-like modes off the kernel."""
    from gametheory.neural.equilibrium import find_equilibrium
    from gametheory.neural.fixed_batch import fixed_batch_gan

    return find_equilibrium(fixed_batch_gan("gaussians4", scale="tiny", seed=0, loss="minimax", layout="clean",
                                            batch=4))
