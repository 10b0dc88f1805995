"""GAN experiments: local, resumable, parallel, ensemble and Dask runs; divergence; the gan and glgd commands."""
import json
import subprocess
import sys
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gametheory.cli import main  # noqa: E402
from gametheory.neural import experiments  # noqa: E402
from gametheory.neural.glgd import glgd_identity  # noqa: E402
from gametheory.validation import ParameterError  # noqa: E402
TINY = dict(scale="tiny", progress=False, n_eval=200, evals=3)


def test_import_gametheory_does_not_import_torch():
    out = subprocess.run([sys.executable, "-c", "import sys, gametheory; print('torch' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


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


# ---- faults: a diverging run is reported as diverged; nothing leaks into the process ------------------------
@pytest.mark.parametrize("executor", ["local", "ensemble"])
def test_a_diverging_run_is_flagged_with_its_step_and_left_out_of_the_means(executor):
    r = experiments.run_gan(seeds=2, iters=12, lr_x=1e6, lr_y=1e6, executor=executor, workers=1, **TINY)
    for run in r["runs"]:
        assert run["diverged"] is True and 1 <= run["diverged_at"] <= 12 and run["modes"] is None
        assert all(np.all(np.isfinite(s["points"])) for s in run["samples"])   # no NaN samples reported
    s = r["summary"]
    assert s["diverged"] and s["n_diverged"] == 2 and s["n_finished"] == 0 and s["mean_modes"] is None
    assert set(s["diverged_at"]) == {"0", "1"}
    ok = experiments.run_gan(seeds=1, iters=12, executor=executor, workers=1, **TINY)
    assert ok["runs"][0]["diverged"] is False and ok["runs"][0]["diverged_at"] is None
    assert ok["summary"]["n_finished"] == 1 and not ok["summary"]["diverged"]


def test_means_are_over_the_finished_runs_with_the_count():
    runs = [{"seed": 0, "modes": 4, "high_quality": 1.0, "kl": 0.0},
            {"seed": 1, "diverged": True, "diverged_at": 3, "modes": None, "high_quality": None, "kl": None}]
    s = experiments.summarize(runs, 4)
    assert s["mean_modes"] == 4 and s["share_by_modes"]["4"] == 1.0 and s["n_finished"] == 1
    assert s["n_diverged"] == 1 and s["diverged_at"] == {"1": 3}


def test_training_restores_the_torch_thread_count():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        experiments.train_gan(0, experiments._settings("gaussians4", "gda", 3, "faithful", "tiny", "ns", 1e-3, 1e-4,
                                                       100, 1, None, None), "cpu", threads=1)
        assert torch.get_num_threads() == 2
        glgd_identity(dims=(1,), steps=(0, 2), seed=0, batch=32, hidden=8)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("kwargs, name", [({"workers": 0}, "workers"), ({"seeds": 10**9}, "seeds"),
                                          ({"seeds": "1/2"}, "seeds"), ({"iters": 10**12}, "iters"),
                                          ({"blowup": float("nan")}, "blowup"), ({"lr_x": "fast"}, "lr_x")])
def test_absurd_gan_settings_are_refused_up_front(kwargs, name):
    import time

    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match=f"'{name}'"):
        experiments.run_gan(**{"seeds": 1, "iters": 2, **TINY, **kwargs})
    assert time.perf_counter() - t0 < 1.0


def test_wgan_loss_pen_and_paper_and_weight_clipping(monkeypatch, tmp_path):
    from gametheory.neural.models import discriminator, generator

    g, d = generator(2, 4, 2, 1, seed=0), discriminator(2, 4, 1, seed=1)
    real, z = torch.randn(5, 2), torch.randn(5, 2)
    f = experiments.gan_loss(g, d, real, z, "wgan")(list(g.parameters()), list(d.parameters()))
    with torch.no_grad():
        assert float(f) == pytest.approx(float(d(real).mean() - d(g(z)).mean()), rel=1e-6)
    r = experiments.run_gan(data="ring8", seeds=1, iters=3, method="gd", loss="wgan", clip=0.01, workers=1,
                            **TINY)
    assert r["settings"]["clip"] == 0.01 and not r["runs"][0]["diverged"]
    # every step clamps the critic's weights to the box
    st = experiments._settings("ring8", "gd", 3, "faithful", "tiny", "wgan", 1e-3, 1e-4, 200, 3, None, None,
                               clip=0.01)
    from gametheory.neural import data as data_mod
    seen = []
    orig = torch.Tensor.clamp_
    monkeypatch.setattr(torch.Tensor, "clamp_", lambda self, lo, hi: seen.append((lo, hi)) or orig(self, lo, hi))
    experiments.train_gan(0, st)
    monkeypatch.undo()
    assert seen and set(seen) == {(-0.01, 0.01)}
    assert data_mod.load("ring8").n_modes == 8
    path = tmp_path / "w.json"
    assert main(["gan", "--data", "ring8", "--loss", "wgan", "--clip", "0.01", "--batch", "16", "--seeds", "1",
                 "--iters", "2", "--scale", "tiny", "--workers", "1", "--no-progress", "--json", str(path)]) == 0
    st = json.loads(path.read_text())["settings"]
    assert (st["loss"], st["clip"], st["batch"]) == ("wgan", 0.01, 16)
    with pytest.raises(ParameterError, match="clip"):
        experiments.run_gan(seeds=1, iters=1, loss="wgan", clip=-1.0, **TINY)
    with pytest.raises(ParameterError, match="executor"):
        experiments.run_gan(seeds=1, iters=1, loss="wgan", clip=0.01, executor="ensemble", **TINY)


def test_wgan_gp_loss_pen_and_paper_and_a_run():
    from gametheory.neural.models import discriminator, generator

    # a linear critic D(x) = w . x + b has grad_x D = w everywhere: the penalty is exactly (|w| - 1)^2
    g, d = generator(2, 4, 2, 1, seed=0), torch.nn.Sequential(torch.nn.Linear(2, 1))
    with torch.no_grad():
        d[0].weight.copy_(torch.tensor([[3.0, 4.0]]))
        d[0].bias.fill_(0.5)
    real, z = torch.randn(6, 2), torch.randn(6, 2)
    L_x, L_y = experiments.gan_loss(g, d, real, z, "wgan-gp", gp=10.0, alpha=torch.rand(6, 1))(
        list(g.parameters()), list(d.parameters()))
    with torch.no_grad():
        dr, df = d(real).mean(), d(g(z)).mean()
    assert float(L_x) == pytest.approx(float(-df), rel=1e-6)
    assert float(L_y) == pytest.approx(float(df - dr + 10.0 * (5.0 - 1.0) ** 2), rel=1e-6)
    # a nonlinear critic: the penalty's gradient reaches the critic's weights (double backward)
    d2 = discriminator(2, 4, 1, seed=1)
    loss = experiments.gan_loss(g, d2, real, z, "wgan-gp", gp=1.0, alpha=torch.full((6, 1), 0.5))
    ys = [p.detach().requires_grad_(True) for p in d2.parameters()]
    xs = [p.detach() for p in g.parameters()]
    gy = torch.autograd.grad(loss(xs, ys)[1], ys)
    gy0 = torch.autograd.grad(experiments.gan_loss(g, d2, real, z, "wgan-gp", gp=0.0)(xs, ys)[1], ys)
    assert any(not torch.allclose(a, b) for a, b in zip(gy, gy0))
    r = experiments.run_gan(data="ring8", seeds=[3], iters=3, method="eg", loss="wgan-gp", gp=10.0, workers=1,
                            **TINY)
    assert r["settings"]["loss"] == "wgan-gp" and r["settings"]["gp"] == 10.0 and not r["runs"][0]["diverged"]
    again = experiments.run_gan(data="ring8", seeds=[3], iters=3, method="eg", loss="wgan-gp", workers=1, **TINY)
    assert again["runs"][0]["samples"] == r["runs"][0]["samples"]   # the penalty's weights are seeded too
    assert "gp" not in experiments.run_gan(data="ring8", seeds=1, iters=1, loss="wgan", workers=1, **TINY)["settings"]
    with pytest.raises(ParameterError, match="gp"):
        experiments.run_gan(seeds=1, iters=1, loss="wgan-gp", gp=-1.0, **TINY)
    with pytest.raises(ParameterError, match="executor"):
        experiments.run_gan(seeds=1, iters=1, loss="wgan-gp", method="gd", executor="ensemble", **TINY)
