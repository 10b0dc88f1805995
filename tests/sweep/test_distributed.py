"""Sweeps on a Dask cluster: identical to the local path, chunk by chunk, bounded memory."""
import pickle

import numpy as np
import pytest

import gametheory as gt
from gametheory.sweep import sweep_radius

distributed = pytest.importorskip("distributed")

GAME = gt.games.bilinear([[1, 2], [0, 3]])
ALT = gt.methods.get("momentum", order="alternating")
ETA = np.linspace(0.01, 1.0, 120)[:, None]
BETA = np.linspace(-1.0, 1.0, 90)[None, :]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_dask_sweep_equals_the_local_sweep(client):
    local = sweep_radius(GAME, ALT, eta=ETA, beta=BETA)
    remote = sweep_radius(GAME, ALT, eta=ETA, beta=BETA, executor="dask", scheduler=client,
                          dask_chunk_points=1 << 12)
    np.testing.assert_array_equal(remote, local)
    # through the public API, by scheduler address, into a given output array
    out = np.empty(ETA.shape[0] * BETA.shape[1])
    got = gt.spectral_radius(GAME, ALT, eta=ETA, beta=BETA, executor="dask",
                             scheduler=client.scheduler.address, out=out)
    np.testing.assert_array_equal(got.reshape(local.shape), local)


def test_dask_general_path_equals_local(client):
    game = gt.games.quadratic([[1, 0], [0, -1]], [[1, 2], [0, 1]], [[2, 1], [1, 1]])
    eta, beta = np.linspace(0.01, 0.5, 40)[:, None], np.linspace(-0.9, 0.9, 30)[None, :]
    local = sweep_radius(game, ALT, eta=eta, beta=beta)
    remote = sweep_radius(game, ALT, eta=eta, beta=beta, executor="dask", scheduler=client, dask_chunk_points=256)
    np.testing.assert_array_equal(remote, local)


def test_a_sweep_task_travels_as_its_small_inputs():
    """The grid pickles as its given arrays, not their broadcast (a 10^8 grid would not fit)."""
    from gametheory.sweep.engine import _Grid

    grid = _Grid({"eta_x": np.linspace(0, 1, 10_000)[:, None], "beta": np.linspace(-1, 1, 10_000)[None, :]})
    assert grid.size == 10**8
    assert len(pickle.dumps(grid)) < 500_000
    g2 = pickle.loads(pickle.dumps(GAME))
    np.testing.assert_array_equal(sweep_radius(g2, ALT, eta=ETA[:3], beta=BETA), sweep_radius(GAME, ALT, eta=ETA[:3], beta=BETA))


def test_bad_executor_and_scheduler_name_the_parameter():
    with pytest.raises(gt.ParameterError, match="executor"):
        sweep_radius(GAME, ALT, eta=ETA, beta=BETA, executor="spark")
    with pytest.raises(gt.ParameterError, match="scheduler"):
        sweep_radius(GAME, ALT, eta=ETA, beta=BETA, executor="dask", scheduler=42)
    with pytest.raises(gt.ParameterError, match="executor"):
        gt.spectral_radius(GAME, ALT, eta=0.1, beta=0.1, executor="dask")  # grids only


@pytest.mark.slow
def test_dask_sweep_on_worker_processes():
    """Real worker processes: the game, the method and the grid are pickled to them."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        remote = sweep_radius(GAME, ALT, eta=ETA, beta=BETA, executor="dask", scheduler=c, dask_chunk_points=1 << 12)
    np.testing.assert_array_equal(remote, sweep_radius(GAME, ALT, eta=ETA, beta=BETA))
