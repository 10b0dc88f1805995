"""GAN experiments over many seeds: mode coverage at iteration T in the papers' own form.

:func:`run_gan` trains one GAN per seed and reports, per run, the number of
modes covered at the end (and over time), and the share of runs that
learned 0, 1, 2, ... modes, the form of Mangoubi, Sachdeva & Vishnoi's
claim (blog "Training GANs - From Theory to Practice", 2020: "by the 1500th
iteration GDA learned only one mode in 100% of the runs ... our algorithm
learned all four modes 68% of the runs, and three modes 26%").

Settings (``scale="paper"``, from the authors' notebook): batch 512, Adam
with ``lr_D = 1e-4``, ``lr_G = 1e-3``, ``beta1 = 0.5``, ``eps = 1e-8``; noise
dimension 256; both networks with 2 hidden ReLU layers of 128 units,
orthogonal initialisation with gain 0.8. ``method="gda"`` is one
discriminator Adam step then one generator Adam step (registry ``n_inner``,
``n = 1``); ``method="msv"`` their algorithm (6 discriminator steps, the
accept/reject test skipped every 4th iteration; the blog's rule, see
:class:`~gametheory.neural.optimizers.MSV`); ``"unrolled"`` 6 unrolling steps;
any other name from :func:`~gametheory.neural.optimizers.optimizer_names`
runs that optimizer (Adam-preconditioned where the method allows it).
``scale="small"`` (batch 128, noise 16, hidden 64) and ``scale="tiny"`` (for
tests) shrink the networks.

Seeds run in parallel local processes (``executor="local"``), on an existing
Dask cluster (``executor="dask"``, ``scheduler=ADDRESS``), or all at once as one
vectorised ensemble (``executor="ensemble"``: ``torch.func.vmap`` over the
seeds' stacked parameters; GDA-type methods only). Finished seeds are kept in
``out/cache`` (:class:`gametheory.io.ResultCache`), so an interrupted run
loses nothing finished.

Examples
--------
>>> r = run_gan(seeds=2, iters=20, scale="tiny", progress=False, executor="local", workers=1)
>>> sorted(r) == ["runs", "settings", "summary"] and [run["seed"] for run in r["runs"]]
[0, 1]
"""
from __future__ import annotations

import math
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.func import functional_call

from ..io import ResultCache, atomic_write_json
from ..validation import choice, fail, integer, real_float
from . import data as data_mod
from .tensors import fixed_threads, flatten, resolve_device, unflatten
from .metrics import DigitClassifier, count_switches, digit_report, mode_report
from .models import discriminator, generator, parameter_names
from .optimizers import ADAM_METHODS, make_optimizer, optimizer_names

__all__ = ["run_gan", "train_gan", "plot_sample_grid", "train_ensemble", "SCALES", "METHOD_ALIASES", "summarize", "gan_loss", "ENSEMBLE_METHODS", "GP_WEIGHT"]

SCALES = {
    "paper": {"batch": 512, "noise_dim": 256, "hidden": 128, "layers": 2},
    "small": {"batch": 128, "noise_dim": 16, "hidden": 64, "layers": 2},
    "tiny": {"batch": 32, "noise_dim": 4, "hidden": 8, "layers": 1},
    # Mescheder, Nowozin & Geiger (NeurIPS 2017), mixture of Gaussians: 4 hidden ReLU layers of 16, a 16-d prior
    # (the batch of 512 is their code's, unconfirmed in the paper)
    "numerics": {"batch": 512, "noise_dim": 16, "hidden": 16, "layers": 4},
}
LOSSES = ("ns", "minimax", "wgan", "wgan-gp")
GP_WEIGHT = 10.0  # Gulrajani et al. (NeurIPS 2017)'s lambda, also Gidel et al. (ICLR 2019)'s for WGAN-GP
ADAM = {"lr_x": 1e-3, "lr_y": 1e-4, "betas": (0.5, 0.999), "eps": 1e-8}
# method name -> (optimizer, options); other names map to themselves
METHOD_ALIASES = {
    "gda": ("n_inner", {"n": 1, "order": "alternating", "adam": True}),
    "msv": ("msv", {"n": 6, "skip_every": 4}),
    "unrolled": ("unrolled", {"k": 6, "adam": True}),
}
ENSEMBLE_METHODS = ("gda", "gd", "n_inner", "momentum", "eg", "ogd", "past_eg")
EXECUTORS = ("local", "dask", "ensemble")
MAX_SEEDS = 10_000        # seeds of one run_gan call (documented limits, checked before any work)
MAX_ITERS = 10_000_000
MAX_WORKERS = 1024
FRESH_BATCH = ("n_inner", "msv")  # inner discriminator steps see new batches


def method_spec(method: str, lr_x: float, lr_y: float, options: dict | None = None):
    """``(optimizer name, options)`` for a method of the experiments."""
    if method in METHOD_ALIASES:
        name, opts = METHOD_ALIASES[method]
        opts = dict(opts)
    elif method in optimizer_names():
        name, opts = method, {}
    else:
        fail("method", "gda, msv or one of " + ", ".join(optimizer_names()), method)
    if name in ADAM_METHODS:
        opts.setdefault("adam", True)
    if opts.get("adam") or name == "msv":
        opts.setdefault("betas", ADAM["betas"])
        opts.setdefault("eps", ADAM["eps"])
    opts.update(lr_x=lr_x, lr_y=lr_y)
    opts.update(options or {})
    return name, opts


def gan_loss(gen, disc, real, z, loss: str = "ns", *, gp: float = GP_WEIGHT, alpha=None):
    """The GAN closure ``loss_fn(xs, ys)`` for the optimizers (Goodfellow et al., NeurIPS 2014).

    ``L_y = -E log D(real) - E log(1 - D(G(z)))`` (the discriminator's cross
    entropy, ``D = sigmoid(logit)``); ``loss="ns"``: ``L_x = -E log D(G(z))``
    (non-saturating); ``loss="minimax"``: zero-sum ``f = -L_y`` (returned as
    one tensor); ``loss="wgan"``: the zero-sum Wasserstein game
    ``f = E D(real) - E D(G(z))`` with ``D`` the critic's raw output
    (Arjovsky, Chintala & Bottou, ICML 2017; :func:`run_gan`'s ``clip``
    keeps the critic's weights in a box); ``loss="wgan-gp"``: WGAN with the
    gradient penalty of Gulrajani et al. (NeurIPS 2017), a general-sum pair
    ``L_x = -E D(G(z))``, ``L_y = E D(G(z)) - E D(real) + gp E (|grad D(x_hat)| - 1)^2``
    at ``x_hat = alpha real + (1 - alpha) G(z)`` (``G(z)`` detached in the
    penalty, ``alpha ~ U[0, 1]`` per sample: ``alpha``, a ``(batch, 1)``
    tensor or a callable returning one; ``None`` draws it from torch's global
    generator). The penalty's gradient is taken with ``create_graph=True``,
    so the optimizers' gradients (and consensus' ``J^T v``) see through it.
    ``real``, ``z`` (and ``alpha``) may be callables returning a new batch
    at each evaluation.

    >>> import torch
    >>> from gametheory.neural.models import discriminator, generator
    >>> g, d = generator(2, 4, 2, 1, seed=0), discriminator(2, 4, 1)
    >>> real, z = torch.zeros(3, 2), torch.zeros(3, 2)
    >>> L_x, L_y = gan_loss(g, d, real, z, "wgan-gp", gp=0.0)(list(g.parameters()), list(d.parameters()))
    >>> bool(torch.isclose(L_x, -d(g(z)).mean())), bool(torch.isclose(L_y, d(g(z)).mean() - d(real).mean()))
    (True, True)
    """
    choice("loss", loss, LOSSES)
    ng, nd = parameter_names(gen), parameter_names(disc)

    def loss_fn(xs, ys):
        r = real() if callable(real) else real
        zz = z() if callable(z) else z
        fake = functional_call(gen, dict(zip(ng, xs)), (zz,))
        pd = dict(zip(nd, ys))
        lr, lf = functional_call(disc, pd, (r,)), functional_call(disc, pd, (fake,))
        if loss == "wgan":
            return lr.mean() - lf.mean()
        if loss == "wgan-gp":
            return -lf.mean(), lf.mean() - lr.mean() + gp * _gradient_penalty(disc, pd, r, fake, alpha)
        L_y = F.softplus(-lr).mean() + F.softplus(lf).mean()
        if loss == "minimax":
            return -L_y
        return F.softplus(-lf).mean(), L_y

    return loss_fn


def _gradient_penalty(disc, pd, real, fake, alpha=None):
    """``E (|grad_x D(x_hat)| - 1)^2`` at ``x_hat = alpha real + (1 - alpha) fake`` (Gulrajani et al. 2017)."""
    a = alpha() if callable(alpha) else alpha
    if a is None:
        a = torch.rand(real.shape[0], 1, dtype=real.dtype, device=real.device)
    x_hat = (a * real + (1 - a) * fake.detach()).detach().requires_grad_(True)
    out = functional_call(disc, pd, (x_hat,))
    (g,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
    return ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()


def _settings(data, method, iters, layout, scale, loss, lr_x, lr_y, n_eval, evals, options, mnist_path,
              blowup=1e6, clip=None, batch=None, gp=GP_WEIGHT):
    choice("data", data, data_mod.DATASETS)
    choice("layout", layout, data_mod.LAYOUTS)
    choice("scale", scale, tuple(SCALES))
    choice("loss", loss, LOSSES)
    method_spec(method, lr_x, lr_y, options)  # validates the name
    return {"data": data, "method": method, "iters": integer("iters", iters, minimum=1, maximum=MAX_ITERS),
            "layout": layout,
            "scale": scale, "loss": loss, "lr_x": real_float("lr_x", lr_x), "lr_y": real_float("lr_y", lr_y),
            "n_eval": integer("n_eval", n_eval, minimum=10, maximum=10**6),
            "evals": integer("evals", evals, minimum=1, maximum=10_000),
            "options": dict(options or {}), "mnist_path": None if mnist_path is None else str(mnist_path),
            "blowup": _positive("blowup", blowup), "clip": None if clip is None else _positive("clip", clip),
            **SCALES[scale], **({} if batch is None else {"batch": integer("batch", batch, minimum=1,
                                                                           maximum=10**6)}),
            # the penalty weight only where it is used (the other losses' settings, and cache keys, unchanged)
            **({"gp": _nonnegative("gp", gp)} if loss == "wgan-gp" else {})}


def _nonnegative(name, value) -> float:
    x = real_float(name, value)
    if not x >= 0:
        fail(name, "a number >= 0", value)
    return x


def _positive(name, value) -> float:
    x = real_float(name, value)
    if not x > 0:
        fail(name, "a positive number", value)
    return x


class _Batches:
    """Batches of real data and noise for one seed, from its own generator (same order in every path)."""

    def __init__(self, dataset, seed, batch, noise_dim, device):
        self.dataset, self.batch, self.noise_dim, self.device = dataset, batch, noise_dim, device
        self.gen = torch.Generator().manual_seed(int(seed) + 7919)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        real = self.dataset.sample(self.batch, self.gen)
        z = torch.randn(self.batch, self.noise_dim, generator=self.gen)
        return real.to(self.device), z.to(self.device)

    def alpha(self):
        """The gradient penalty's interpolation weights ``U[0, 1]``, ``(batch, 1)``, from the same stream."""
        return torch.rand(self.batch, 1, generator=self.gen).to(self.device)


def _models(seed, dataset, st, device):
    out = "tanh" if st["data"] == "digits01" else None
    g = generator(st["noise_dim"], st["hidden"], dataset.dim, st["layers"], out=out, seed=seed).to(device)
    d = discriminator(dataset.dim, st["hidden"], st["layers"]).to(device)
    return g, d


def _evaluate(samples, dataset, classifier):
    if classifier is not None:
        return digit_report(samples, classifier)
    return mode_report(samples, dataset)


def _eval_points(iters, evals):
    return sorted({max(1, round(iters * (j + 1) / evals)) for j in range(evals)})


def train_gan(seed: int, settings: dict, device="cpu", threads: int | None = None, on_iter=None) -> dict:
    """Train one GAN (one seed) with ``settings`` (see :func:`run_gan`) and return its record.

    ``threads`` sets ``torch.set_num_threads`` for the run and restores the
    previous count afterwards (the local executor uses 1 per process: for
    networks this small, several intra-op threads only contend; and a fixed
    count keeps the numbers independent of the machine and of what ran
    before). ``on_iter(it)``, if given, is called after each iteration
    (progress bars).
    """
    with fixed_threads(threads):
        return _train_gan(seed, settings, device, on_iter)


def _train_gan(seed, settings, device, on_iter=None):
    device = resolve_device(device)
    st = settings
    dataset = data_mod.load(st["data"], st["layout"], st["mnist_path"])
    classifier = DigitClassifier(dataset) if st["data"] == "digits01" else None
    g, d = _models(seed, dataset, st, device)
    name, opts = method_spec(st["method"], st["lr_x"], st["lr_y"], st["options"])
    if name == "msv":
        opts.setdefault("seed", seed)
    opt = make_optimizer(name, list(g.parameters()), list(d.parameters()), **opts)
    batches = _Batches(dataset, seed, st["batch"], st["noise_dim"], device)
    z_eval = torch.randn(st["n_eval"], st["noise_dim"], generator=torch.Generator().manual_seed(seed + 10 ** 6))
    z_eval = z_eval.to(device)
    points = set(_eval_points(st["iters"], st["evals"]))
    history, samples, rep, diverged_at = [], [], None, None
    params = list(g.parameters()) + list(d.parameters())
    t0 = time.perf_counter()
    for it in range(1, st["iters"] + 1):
        if name in FRESH_BATCH:
            loss_fn = _fresh_closure(g, d, batches, st["loss"], st.get("gp", GP_WEIGHT))
        else:
            real, z = batches()
            alpha = batches.alpha() if st["loss"] == "wgan-gp" else None
            loss_fn = gan_loss(g, d, real, z, st["loss"], gp=st.get("gp", GP_WEIGHT), alpha=alpha)
        if name == "msv":
            real, z = batches()
            L = gan_loss(g, d, real, z, "ns")
            opt.step(loss_fn, value_fn=lambda xs, ys, L=L: -L(xs, ys)[1])
        else:
            opt.step(loss_fn)
        if st.get("clip"):  # weight clipping of the critic (Arjovsky et al. 2017), after every step
            with torch.no_grad():
                for p in d.parameters():
                    p.clamp_(-st["clip"], st["clip"])
        if on_iter is not None:
            on_iter(it)
        if _blew_up(params, st["blowup"]):
            diverged_at = it
            break
        if it in points:
            with torch.no_grad():
                fake = g(z_eval)
            rep = _evaluate(fake, dataset, classifier)
            history.append({"iter": it, "modes": rep["modes"], "dominant": rep["dominant"],
                            "high_quality": rep["high_quality"], "kl": rep["kl"]})
            keep = 16 if classifier is not None else 256
            samples.append({"iter": it, "points": [[round(v, 4) for v in row] for row in fake[:keep].tolist()]})
    rec = _record(seed, history, rep, diverged_at, samples, opt.totals, time.perf_counter() - t0, device.type)
    if name == "msv":
        rec["accept_rate"] = opt.accepted / (diverged_at or st["iters"])
    return rec


def _blew_up(params, blowup) -> bool:
    """A parameter is non-finite or larger than ``blowup`` in size (one reduction per tensor, one sync)."""
    worst = float(torch.stack([p.detach().abs().amax() for p in params]).max())
    return not math.isfinite(worst) or worst > blowup


def _record(seed, history, rep, diverged_at, samples, totals, seconds, device, **extra):
    """One run's record; a diverged run has no final modes (None), its flag and the step it blew up at."""
    final = history[-1] if history and diverged_at is None else None
    rec = {"seed": int(seed), "diverged": diverged_at is not None, "diverged_at": diverged_at,
           "modes": final["modes"] if final else None, "high_quality": final["high_quality"] if final else None,
           "kl": final["kl"] if final else None, "covered": rep["covered"] if final else None,
           "histogram": rep["histogram"] if final else None,
           "dominant_over_time": [h["dominant"] for h in history],
           "switches": count_switches([h["dominant"] for h in history]), "history": history, "samples": samples,
           "grad_evals": totals.grad_evals, "hvp_evals": totals.hvp_evals, "cg_iterations": totals.cg_iterations,
           "cg_truncated": totals.cg_truncated,
           "seconds": round(seconds, 3), "device": device, **extra}
    return rec


def _fresh_closure(g, d, batches, loss, gp=GP_WEIGHT):
    """A closure drawing a new batch at every evaluation (inner discriminator steps of n_inner / MSV)."""
    state = {}

    def real():
        state["rz"] = batches()
        return state["rz"][0]

    def z():
        return state["rz"][1]

    alpha = batches.alpha if loss == "wgan-gp" else None
    return gan_loss(g, d, real, z, loss, gp=gp, alpha=alpha)


def _worker(args):
    seed, settings, device, threads, queue, every = args
    report = None
    if queue is not None:  # progress for the parent's bar: (seed, iterations since the last message)
        def report(it):
            if it % every == 0:
                queue.put((seed, every))
    return train_gan(seed, settings, device, threads, on_iter=report)


def _progress_every(iters: int) -> int:
    """How many iterations between two progress messages (about 100 per run)."""
    return max(1, iters // 100)


def summarize(runs, n_modes: int) -> dict:
    """The share of runs per number of modes covered (the papers' form), and means, over the finished runs.

    A run that diverged (``"diverged": true``) has no final modes: it is
    counted in ``n_diverged`` (with the step each blew up at in
    ``diverged_at``), and the shares and means are over the ``n_finished``
    runs that finished. ``cg_truncated``: conjugate-gradient solves (CGD,
    ACGD) that ``cg_max_iter`` cut short, over all runs.

    >>> summarize([{"modes": 1, "high_quality": 0.5, "kl": 1.0}, {"modes": 4, "high_quality": 0.9, "kl": 0.1},
    ...            {"seed": 7, "diverged": True, "diverged_at": 12, "modes": None}], 4)
    ... # doctest: +NORMALIZE_WHITESPACE
    {'n_runs': 3, 'n_finished': 2, 'n_diverged': 1, 'diverged': True, 'diverged_at': {'7': 12},
     'share_by_modes': {'0': 0.0, '1': 0.5, '2': 0.0, '3': 0.0, '4': 0.5}, 'mean_modes': 2.5,
     'mean_high_quality': 0.7, 'mean_kl': 0.55, 'cg_truncated': 0}
    """
    done = [r for r in runs if not r.get("diverged")]
    blew = [r for r in runs if r.get("diverged")]
    n = len(done)
    share = {str(k): (sum(r["modes"] == k for r in done) / n if n else 0.0) for k in range(n_modes + 1)}
    hq = [r["high_quality"] for r in done if r.get("high_quality") is not None]
    kl = [r["kl"] for r in done if r.get("kl") is not None]
    return {"n_runs": len(runs), "n_finished": n, "n_diverged": len(blew), "diverged": bool(blew),
            "diverged_at": {str(r.get("seed")): r.get("diverged_at") for r in blew},
            "share_by_modes": share, "mean_modes": (sum(r["modes"] for r in done) / n) if n else None,
            "mean_high_quality": round(sum(hq) / len(hq), 6) if hq else None,
            "mean_kl": round(sum(kl) / len(kl), 6) if kl else None,
            "cg_truncated": sum(int(r.get("cg_truncated") or 0) for r in runs)}


def run_gan(data: str = "gaussians4", method: str = "gda", seeds=4, iters: int = 300, out=None, device="auto",
            executor: str = "local", scheduler=None, progress: bool = True, *, layout: str = "faithful",
            scale: str = "paper", loss: str = "ns", lr_x: float = ADAM["lr_x"], lr_y: float = ADAM["lr_y"],
            workers: int | None = None, n_eval: int = 2000, evals: int = 10, options: dict | None = None,
            mnist_path=None, blowup: float = 1e6, clip: float | None = None, batch: int | None = None,
            gp: float = GP_WEIGHT) -> dict:
    """Train a GAN for each seed and summarise the modes covered at the last iteration.

    Parameters
    ----------
    data : ``"gaussians4"``, ``"ring8"``, ``"grid25"`` or ``"digits01"``.
    method : ``"gda"``, ``"msv"``, or an optimizer name (see the module docstring).
    seeds : int or iterable of int
        ``n`` means seeds ``0 .. n-1`` (at most :data:`MAX_SEEDS` seeds).
    iters : int
        Generator iterations (the papers' T; theirs is 1500; at most :data:`MAX_ITERS`).
    out : path, optional
        Folder for the per-seed cache (``out/cache``) and ``out/gan.json``.
    device : ``"auto"`` (CUDA when present, else CPU), ``"cpu"``, ``"cuda"``.
    executor : ``"local"`` (process pool), ``"dask"`` (needs ``scheduler``,
        an address such as ``"tcp://127.0.0.1:8786"``) or ``"ensemble"``
        (all seeds at once with ``torch.func.vmap``).
    layout : ``"faithful"`` (0.4/0.2/0.2/0.2, the authors' notebook) or ``"clean"``.
    scale : ``"paper"``, ``"small"``, ``"tiny"`` (network and batch sizes) or
        ``"numerics"`` (Mescheder et al.'s mixture networks, see :data:`SCALES`).
    loss : ``"ns"`` (non-saturating generator loss), ``"minimax"``, ``"wgan"`` or ``"wgan-gp"`` (see
        :func:`gan_loss`).
    gp : float
        The gradient penalty's weight with ``loss="wgan-gp"`` (Gulrajani et
        al.'s 10, :data:`GP_WEIGHT`); not with the ensemble executor.
    clip : float, optional
        Clip the critic's weights to ``[-clip, clip]`` after every step
        (WGAN, Arjovsky et al. 2017: 0.01); not with the ensemble executor.
    batch : int, optional
        The batch size instead of the scale's.
    workers : int, optional
        Local processes, 1 to :data:`MAX_WORKERS` (default: one per CPU core,
        at most one per seed).
    options : dict, optional
        Extra optimizer options (e.g. ``{"n": 3}``).
    blowup : float
        A run *diverges* when a parameter becomes non-finite or larger than
        this in size (initial weights are of order 1); it stops there.

    Returns
    -------
    dict with ``"runs"`` (one record per seed: ``seed``, ``diverged``,
    ``diverged_at``, ``modes`` (None for a diverged run), ``high_quality``,
    ``kl``, ``history``, ``samples`` ...), ``"summary"`` (:func:`summarize`:
    shares and means over the finished runs, with ``n_finished`` and
    ``n_diverged``) and ``"settings"`` (with the data layout used).
    """
    choice("executor", executor, EXECUTORS)
    st = _settings(data, method, iters, layout, scale, loss, lr_x, lr_y, n_eval, evals, options, mnist_path, blowup,
                   clip, batch, gp)
    if isinstance(seeds, str) or not hasattr(seeds, "__iter__"):
        seed_list = list(range(integer("seeds", seeds, minimum=1, maximum=MAX_SEEDS)))
    else:
        seed_list = [integer("seeds", s, maximum=2**63 - 1) for s in seeds]
        if len(seed_list) > MAX_SEEDS:
            fail("seeds", f"at most {MAX_SEEDS} seeds", len(seed_list))
    if not seed_list:
        fail("seeds", "at least one seed")
    if workers is not None:
        workers = integer("workers", workers, minimum=1, maximum=MAX_WORKERS)
    dev = resolve_device(device)
    dataset = data_mod.load(data, layout, mnist_path)
    cache = ResultCache(Path(out) / "cache") if out is not None else None
    key = dict(st, device=dev.type, executor="ensemble" if executor == "ensemble" else "process")
    done = {}
    if cache is not None:
        for s in seed_list:
            hit = cache.get("gan_seed", dict(key, seed=s), valid=lambda r, s=s: isinstance(r, dict) and r.get("seed") == s
                            and "diverged" in r and isinstance(r.get("history"), list))
            if hit is not None:
                done[s] = hit
    pending = [s for s in seed_list if s not in done]
    bar = None
    iters_n = st["iters"]
    sent = dict.fromkeys(pending, 0)  # iterations shown on the bar, per pending seed
    if progress:  # counted in iterations (runs take minutes: a bar over seeds would sit still)
        from tqdm.auto import tqdm

        bar = tqdm(total=len(seed_list) * iters_n, initial=len(done) * iters_n, desc=f"gan {data} {method}",
                   unit="it", postfix=f"{len(done)}/{len(seed_list)} seeds")

    def advance(seed, n):
        if bar is not None and seed in sent:
            n = min(n, iters_n - sent[seed])
            sent[seed] += n
            bar.update(n)

    def finished(rec):
        done[rec["seed"]] = rec
        if cache is not None:
            cache.put("gan_seed", dict(key, seed=rec["seed"]), rec)
        advance(rec["seed"], iters_n)
        if bar is not None:
            bar.set_postfix_str(f"{sum(s in done for s in seed_list)}/{len(seed_list)} seeds")

    try:
        if pending and executor == "ensemble":
            every = _progress_every(iters_n)
            tick = None if bar is None else (lambda it: it % every == 0 and [advance(s, every) for s in pending])
            for rec in train_ensemble(pending, st, dev, on_iter=tick):
                finished(rec)
        elif pending and executor == "dask":
            _run_dask(pending, st, dev, scheduler, finished)
        elif pending:
            n_workers = workers if workers is not None else min(len(pending), os.cpu_count() or 1)
            threads = 1  # small networks: one intra-op thread per process is fastest (and no oversubscription)
            every = _progress_every(iters_n)
            if n_workers == 1:
                for s in pending:
                    if bar is None:
                        finished(train_gan(s, st, dev.type, threads))
                    else:
                        finished(train_gan(s, st, dev.type, threads,
                                           on_iter=lambda it, s=s: it % every == 0 and advance(s, every)))
            else:
                import multiprocessing as mp
                import queue as queue_mod

                ctx = mp.get_context("spawn")
                manager = ctx.Manager() if bar is not None else None
                q = manager.Queue() if manager is not None else None

                def drain():
                    while q is not None:
                        try:
                            advance(*q.get_nowait())
                        except queue_mod.Empty:
                            return

                try:
                    with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
                        running = {pool.submit(_worker, (s, st, dev.type, threads, q, every)) for s in pending}
                        while running:
                            ready, running = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
                            drain()
                            for fut in ready:
                                finished(fut.result())
                finally:
                    if manager is not None:
                        manager.shutdown()
    finally:
        if bar is not None:
            bar.close()
    runs = [done[s] for s in seed_list]
    settings = dict(st, device=dev.type, executor=executor, seeds=seed_list, dataset=dataset.describe())
    result = {"settings": settings, "runs": runs, "summary": summarize(runs, dataset.n_modes)}
    if out is not None:
        atomic_write_json(Path(out) / "gan.json", result)
    return result


def _run_dask(pending, st, dev, scheduler, finished):
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:  # pragma: no cover
        fail("executor", "'local' (dask.distributed is not installed: pip install gametheory[dask])", "dask")
    if scheduler is None:
        fail("scheduler", "the address of a running Dask scheduler, e.g. tcp://127.0.0.1:8786")
    with Client(scheduler) as client:
        futs = [client.submit(train_gan, s, st, dev.type, None, pure=False) for s in pending]
        for fut, rec in dask_completed(futs, with_results=True):
            finished(rec)


# ----------------------------------------------------------- the vmap ensemble
class _EnsembleField:
    """The GAN field for ``N`` seeds at once: ``x`` (N, n_x), ``y`` (N, n_y), per-seed batches.

    ``v_x`` is ``vmap(grad(L_x))`` over the seeds (``torch.func``), so the
    registry rules (elementwise in the seeds) run unchanged on the stacks.
    """

    def __init__(self, g, d, x_shapes, y_shapes, sources, loss, fresh):
        self.g, self.d = g, d
        self.ng, self.nd = parameter_names(g), parameter_names(d)
        self.x_shapes, self.y_shapes = x_shapes, y_shapes
        self.nx = sum(math.prod(sh) for sh in x_shapes)
        self.ny = sum(math.prod(sh) for sh in y_shapes)
        self.sources, self.loss, self.fresh = sources, loss, fresh
        self.grad_evals = 0
        self._key, self._val, self._batch = None, None, None
        from torch.func import grad, vmap

        self._vgx = vmap(grad(lambda x, y, r, z: self._losses(x, y, r, z)[0], argnums=0))
        self._vgy = vmap(grad(lambda x, y, r, z: self._losses(x, y, r, z)[1], argnums=1))

    def _losses(self, x, y, r, z):
        xs, ys = unflatten(x, self.x_shapes), unflatten(y, self.y_shapes)
        fake = functional_call(self.g, dict(zip(self.ng, xs)), (z,))
        pd = dict(zip(self.nd, ys))
        lr, lf = functional_call(self.d, pd, (r,)), functional_call(self.d, pd, (fake,))
        if self.loss == "wgan":
            L_y = lf.mean() - lr.mean()
            return -L_y, L_y
        L_y = F.softplus(-lr).mean() + F.softplus(lf).mean()
        L_x = -L_y if self.loss == "minimax" else F.softplus(-lf).mean()
        return L_x, L_y

    def new_step(self):
        if not self.fresh:
            self._batch = self._draw()

    def _draw(self):
        pairs = [s() for s in self.sources]
        return torch.stack([p[0] for p in pairs]), torch.stack([p[1] for p in pairs])

    def _point(self, x, y):
        if self._key is None or self._key[0] is not x or self._key[1] is not y:
            self._key, self._val = (x, y), {"batch": self._draw() if self.fresh else self._batch}
        return self._val

    def v_x(self, x, y):
        e = self._point(x, y)
        if "gx" not in e:
            e["gx"] = self._vgx(x, y, *e["batch"]).detach()
            self.grad_evals += len(x)
        return e["gx"]

    def v_y(self, x, y):
        e = self._point(x, y)
        if "gy" not in e:
            e["gy"] = self._vgy(x, y, *e["batch"]).detach()
            self.grad_evals += len(x)
        return e["gy"]


def train_ensemble(seeds, settings: dict, device="cpu", on_iter=None):
    """Train one GAN per seed, all at once: parameters stacked over seeds, gradients by ``torch.func.vmap``.

    Same initialisation and the same batch streams as :func:`train_gan`, and
    the registry rule (run on the stacks) with Adam moments per seed, so the
    records agree with the sequential path up to floating-point reduction
    order. Methods: :data:`ENSEMBLE_METHODS`. ``on_iter(it)`` is called after
    each iteration.
    """
    from .linops import TorchOps
    from .optimizers import GameOptimizer

    st = settings
    if st["method"] not in ENSEMBLE_METHODS:
        fail("executor", f"'local' or 'dask' for {st['method']!r} (the vmap ensemble runs "
             + ", ".join(ENSEMBLE_METHODS) + ")", "ensemble")
    if st.get("clip"):
        fail("executor", "'local' or 'dask' with clip (the vmap ensemble does not clip weights)", "ensemble")
    if st["loss"] == "wgan-gp":
        fail("executor", "'local' or 'dask' with loss 'wgan-gp' (the vmap ensemble has no gradient penalty)",
             "ensemble")
    device = resolve_device(device)
    dataset = data_mod.load(st["data"], st["layout"], st["mnist_path"])
    classifier = DigitClassifier(dataset) if st["data"] == "digits01" else None
    models = [_models(s, dataset, st, device) for s in seeds]
    X = torch.stack([flatten(g.parameters()) for g, _ in models])
    Y = torch.stack([flatten(d.parameters()) for _, d in models])
    g0, d0 = models[0]
    x_shapes = [tuple(p.shape) for p in g0.parameters()]
    y_shapes = [tuple(p.shape) for p in d0.parameters()]
    name, opts = method_spec(st["method"], st["lr_x"], st["lr_y"], st["options"])
    # an optimizer object only for its checked parameters, rule and Adam state (on the stacks)
    holder = GameOptimizer([X.clone()], [Y.clone()], name, **opts)
    sources = [_Batches(dataset, s, st["batch"], st["noise_dim"], device) for s in seeds]
    field = _EnsembleField(g0, d0, x_shapes, y_shapes, sources, st["loss"], fresh=name in FRESH_BATCH)
    from .optimizers import _AdamField

    f = _AdamField(field, holder) if holder.adam else field
    z_eval = torch.stack([torch.randn(st["n_eval"], st["noise_dim"],
                                      generator=torch.Generator().manual_seed(s + 10 ** 6)) for s in seeds]).to(device)
    points = set(_eval_points(st["iters"], st["evals"]))
    hist = {s: [] for s in seeds}
    samples = {s: [] for s in seeds}
    reps, diverged_at = {}, {}
    t0 = time.perf_counter()
    state = None
    with torch.no_grad():
        for it in range(1, st["iters"] + 1):
            field.new_step()
            if state is None:
                state = holder.method.initial_state(X, Y, f, holder.p, TorchOps)
            else:
                state = dict(state, x=X, y=Y)
            state = holder.method.step(state, f, holder.p, TorchOps)
            X, Y = state["x"], state["y"]
            if on_iter is not None:
                on_iter(it)
            worst = torch.maximum(X.abs().amax(dim=1), Y.abs().amax(dim=1))  # per seed (NaN stays NaN)
            for i in torch.nonzero(~(torch.isfinite(worst) & (worst <= st["blowup"]))).flatten().tolist():
                diverged_at.setdefault(seeds[i], it)   # its row keeps running (rows are independent), unread
            if it in points:
                for i, s in enumerate(seeds):
                    if s in diverged_at:
                        continue
                    fake = functional_call(g0, dict(zip(parameter_names(g0), unflatten(X[i], x_shapes))),
                                           (z_eval[i],))
                    rep = reps[s] = _evaluate(fake, dataset, classifier)
                    hist[s].append({"iter": it, "modes": rep["modes"], "dominant": rep["dominant"],
                                    "high_quality": rep["high_quality"], "kl": rep["kl"]})
                    keep = 16 if classifier is not None else 256
                    samples[s].append({"iter": it, "points": [[round(v, 4) for v in row]
                                                              for row in fake[:keep].tolist()]})
    seconds = round(time.perf_counter() - t0, 3)
    out = []
    from .optimizers import StepStats

    for s in seeds:
        totals = StepStats(grad_evals=field.grad_evals // len(seeds))
        out.append(_record(s, hist[s], reps.get(s), diverged_at.get(s), samples[s], totals, seconds / len(seeds),
                           device.type, ensemble=len(seeds)))
    return out


def plot_sample_grid(result: dict, path, seeds=None, max_seeds: int = 4):
    """Sample grids over time: one row per seed, one column per evaluation (Agg backend; written atomically).

    Mixtures: generated points over the mode centres; digits: the first
    generated image of each evaluation.
    """
    import io as _io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from ..io import atomic_write_bytes

    runs = [r for r in result["runs"] if seeds is None or r["seed"] in seeds][:max_seeds]
    if not runs:
        fail("seeds", "seeds present in the result", seeds)
    ds = result["settings"]["dataset"]
    cols = len(runs[0]["samples"])
    fig, axes = plt.subplots(len(runs), cols, figsize=(1.6 * cols, 1.6 * len(runs)), squeeze=False)
    for i, run in enumerate(runs):
        for j, snap in enumerate(run["samples"]):
            ax = axes[i][j]
            pts = np.array(snap["points"])
            if "means" in ds:
                means = np.array(ds["means"])
                ax.scatter(means[:, 0], means[:, 1], c="red", s=12, marker="x")
                ax.scatter(pts[:, 0], pts[:, 1], s=2, alpha=0.5)
                lim = 1.3 * max(1.0, float(np.abs(means).max()))
                ax.set_xlim(-lim, lim)
                ax.set_ylim(-lim, lim)
            else:
                side = int(round(np.sqrt(pts.shape[1])))
                ax.imshow(pts[0].reshape(side, side), cmap="gray")
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(f"iter {snap['iter']}", fontsize=7)
            if j == 0:
                ax.set_ylabel(f"seed {run['seed']}", fontsize=7)
    st = result["settings"]
    fig.suptitle(f"{st['data']} ({ds.get('layout', ds.get('source'))}), {st['method']}", fontsize=8)
    buf = _io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return atomic_write_bytes(path, buf.getvalue())
