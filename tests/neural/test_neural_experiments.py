"""Data, metrics, GAN experiments (local, resumable, ensemble, Dask), the GLGD identity and the commands."""
import gzip
import json
import struct
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gametheory.cli import main  # noqa: E402
from gametheory.neural import experiments  # noqa: E402
from gametheory.neural.backend import resolve_device  # noqa: E402
from gametheory.neural.data import digits01, load_mnist01, mixture  # noqa: E402
from gametheory.neural.glgd import glgd_identity  # noqa: E402
from gametheory.neural.metrics import count_switches, mode_report  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402

TINY = dict(scale="tiny", progress=False, n_eval=200, evals=3)


def test_import_gametheory_does_not_import_torch():
    out = subprocess.run([sys.executable, "-c", "import sys, gametheory; print('torch' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_device_auto():
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ParameterError, match="device"):
        resolve_device("no-such-device")


def test_faithful_mixture_has_four_modes_with_weights_from_the_endpoint():
    m = mixture("gaussians4", layout="faithful")
    assert m.n_modes == 4 and len(m.components) == 5
    x = m.sample(20000, torch.Generator().manual_seed(0))
    freq = np.array(mode_report(x, m)["histogram"])
    np.testing.assert_allclose(freq, [0.4, 0.2, 0.2, 0.2], atol=0.015)
    assert m.describe()["layout"] == "faithful"
    clean = mixture("gaussians4", layout="clean")
    assert clean.weights.tolist() == [0.25] * 4
    assert torch.allclose(torch.sort(clean.means, 0).values, torch.sort(m.means, 0).values)
    assert mixture("ring8").n_modes == 8 and mixture("grid25").n_modes == 25


def test_digits_and_mnist_idx(tmp_path):
    d = digits01()
    assert d.dim == 64 and set(d.labels.tolist()) == {0, 1}
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(10, 4, 4), dtype=np.uint8)
    labels = np.array([0, 1, 2, 1, 0, 7, 1, 0, 3, 1], dtype=np.uint8)
    with gzip.open(tmp_path / "train-images-idx3-ubyte.gz", "wb") as fh:
        fh.write(bytes([0, 0, 8, 3]) + struct.pack(">III", 10, 4, 4) + images.tobytes())
    with open(tmp_path / "train-labels-idx1-ubyte", "wb") as fh:
        fh.write(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + labels.tobytes())
    m = load_mnist01(tmp_path)
    assert m.dim == 16 and len(m.images) == 7 and m.labels.tolist() == [0, 1, 1, 0, 1, 0, 1]
    np.testing.assert_allclose(m.images[0].numpy(), images[0].reshape(-1) / 255 * 2 - 1, atol=1e-6)
    with pytest.raises(ParameterError, match="path"):
        load_mnist01(tmp_path / "missing")


def test_mode_metrics_see_collapse():
    m = mixture("gaussians4", layout="clean")
    good = m.sample(2000, torch.Generator().manual_seed(1))
    collapsed = m.means[2].float() + 0.005 * torch.randn(2000, 2, generator=torch.Generator().manual_seed(2))
    rg, rc = mode_report(good, m), mode_report(collapsed, m)
    assert rg["modes"] == 4 and rc["modes"] == 1 and rc["dominant"] == 2
    assert rc["kl"] > rg["kl"] + 1.0
    assert rg["high_quality"] > 0.95
    far = torch.full((100, 2), 5.0)
    assert mode_report(far, m)["modes"] == 0 and mode_report(far, m)["kl"] is None
    assert count_switches([1, 1, 2, 1]) == 2


def test_run_gan_records_and_resumes_after_interruption(tmp_path, monkeypatch):
    real_train = experiments.train_gan
    calls = []

    def flaky(seed, settings, device="cpu", threads=None):
        calls.append(seed)
        if seed == 2 and len(calls) <= 3:
            raise KeyboardInterrupt
        return real_train(seed, settings, device, threads)

    monkeypatch.setattr(experiments, "train_gan", flaky)
    with pytest.raises(KeyboardInterrupt):
        experiments.run_gan(seeds=3, iters=8, out=tmp_path, workers=1, **TINY)
    assert calls == [0, 1, 2]
    r = experiments.run_gan(seeds=3, iters=8, out=tmp_path, workers=1, **TINY)
    assert calls == [0, 1, 2, 2]  # only the unfinished seed ran again
    assert [run["seed"] for run in r["runs"]] == [0, 1, 2]
    assert all(isinstance(run["modes"], int) for run in r["runs"])
    s = r["summary"]["share_by_modes"]
    assert set(s) == {"0", "1", "2", "3", "4"} and abs(sum(s.values()) - 1) < 1e-12
    assert r["settings"]["dataset"]["layout"] == "faithful"
    assert json.loads((tmp_path / "gan.json").read_text())["summary"] == r["summary"]


def test_parallel_processes_agree_with_inline():
    a = experiments.run_gan(seeds=2, iters=6, workers=1, **TINY)
    b = experiments.run_gan(seeds=2, iters=6, workers=2, **TINY)
    for ra, rb in zip(a["runs"], b["runs"]):
        np.testing.assert_allclose(ra["samples"][-1]["points"], rb["samples"][-1]["points"], atol=1e-6)


def test_vmap_ensemble_agrees_with_sequential_runs():
    seq = experiments.run_gan(seeds=[3, 4], iters=15, workers=1, **TINY)
    ens = experiments.run_gan(seeds=[3, 4], iters=15, executor="ensemble", **TINY)
    for ra, rb in zip(seq["runs"], ens["runs"]):
        assert ra["seed"] == rb["seed"] and ra["modes"] == rb["modes"]
        np.testing.assert_allclose(ra["samples"][-1]["points"], rb["samples"][-1]["points"], atol=1e-4)
    with pytest.raises(ParameterError, match="executor"):
        experiments.run_gan(seeds=2, iters=2, method="msv", executor="ensemble", **TINY)


def test_dask_executor_on_a_local_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1, protocol="tcp://",
                                  host="127.0.0.1", dashboard_address=None) as cluster:  # loopback
        r = experiments.run_gan(seeds=2, iters=5, executor="dask", scheduler=cluster.scheduler_address, **TINY)
    ref = experiments.run_gan(seeds=2, iters=5, workers=1, **TINY)
    assert [run["modes"] for run in r["runs"]] == [run["modes"] for run in ref["runs"]]
    with pytest.raises(ParameterError, match="scheduler"):
        experiments.run_gan(seeds=1, iters=1, executor="dask", **TINY)


@pytest.mark.parametrize("method", ["msv", "cgd", "acgd", "unrolled", "eg", "ogd"])
def test_other_methods_train(method):
    r = experiments.run_gan(seeds=1, iters=4, method=method, workers=1, options={"k": 2} if method == "unrolled"
                            else None, **TINY)
    rec = r["runs"][0]
    assert rec["grad_evals"] > 0
    if method in ("cgd", "acgd", "unrolled"):
        assert rec["hvp_evals"] > 0
    if method == "msv":
        assert 0 <= rec["accept_rate"] <= 1


def test_digits_run_and_sample_grid(tmp_path):
    r = experiments.run_gan(data="digits01", seeds=1, iters=3, workers=1, **TINY)
    rec = r["runs"][0]
    assert rec["modes"] in (0, 1, 2) and len(rec["samples"][0]["points"][0]) == 64
    assert r["settings"]["dataset"]["source"].startswith("scikit-learn")
    png = experiments.plot_sample_grid(r, tmp_path / "digits.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    g = experiments.run_gan(seeds=2, iters=3, workers=1, **TINY)
    assert experiments.plot_sample_grid(g, tmp_path / "g.png").stat().st_size > 1000


def test_bad_parameters():
    with pytest.raises(ParameterError, match="method"):
        experiments.run_gan(method="nope", seeds=1, iters=1, **TINY)
    with pytest.raises(ParameterError, match="layout"):
        experiments.run_gan(layout="odd", seeds=1, iters=1, **TINY)
    with pytest.raises(ParameterError, match="executor"):
        experiments.run_gan(executor="slurm", seeds=1, iters=1, **TINY)


def test_glgd_identity_approaches_grad_C():
    r = glgd_identity(dims=(1,), steps=(0, 60, 400), seed=0, hidden=32, batch=512, quad_n=40)
    assert r["identity_with_bayes_discriminator"]["relative_error"] < 1e-6
    curve = r["curve"]
    assert curve[-1]["relative_error"] < 0.5 * curve[0]["relative_error"]
    assert curve[-1]["discriminator_error"] < curve[0]["discriminator_error"]
    assert r["cosine"] > 0.95 and r["relative_error"] == curve[-1]["relative_error"]


def test_commands(tmp_path, capsys):
    path = tmp_path / "gan.json"
    assert main(["gan", "--seeds", "2", "--iters", "3", "--scale", "tiny", "--workers", "1", "--no-progress",
                 "--json", str(path)]) == 0
    d = json.loads(path.read_text())
    assert [r["seed"] for r in d["runs"]] == [0, 1] and "share_by_modes" in d["summary"]
    assert main(["gan", "--method", "nope", "--seeds", "1", "--iters", "1", "--no-progress"]) == 2
    g = tmp_path / "glgd.json"
    assert main(["glgd", "--dims", "1", "--steps", "0,50", "--json", str(g)]) == 0
    out = json.loads(g.read_text())
    assert {"relative_error", "cosine", "curve"} <= set(out)


def test_run_gan_progress_counts_iterations(capsys):
    experiments.run_gan(seeds=2, iters=6, workers=1, **dict(TINY, progress=True))
    err = capsys.readouterr().err
    assert "12/12" in err and "2/2 seeds" in err  # a bar over iterations, not over seeds
