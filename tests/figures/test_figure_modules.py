"""The figure modules: registry, rendering, index, determinism, CLI, and the claims they draw."""
import json

import numpy as np
import pytest

from gametheory import figures
import gametheory as gt
from gametheory.cli import main

EXPECTED = [f"fig{i:02d}" for i in range(1, 13)]


def test_registry_lists_twelve_documented_modules_in_order():
    mods = figures.registry()
    assert [m.ID for m in mods] == EXPECTED
    for m in mods:
        assert m.CAPTION and m.SOURCE and callable(m.make)
        assert "Regenerates" in m.__doc__ and "igure" in m.SOURCE + m.__doc__  # names its source and figure
    assert [m.ID for m in figures.resolve(["3", "fig11", "fig01_gda_spiral"])] == ["fig03", "fig11", "fig01"]
    with pytest.raises(gt.ParameterError, match="only"):
        figures.resolve(["fig99"])


def test_generate_renders_every_figure_and_writes_the_index(tmp_path):
    entries = figures.generate(out=tmp_path, formats=("png",), progress=False, dpi=30)
    assert [e["id"] for e in entries] == EXPECTED
    for e in entries:
        assert e["files"], e["id"]
        for f in e["files"]:
            assert f.exists() and f.stat().st_size > 1000 and f.read_bytes()[:4] == b"\x89PNG"
    index = json.loads((tmp_path / "index.json").read_text())
    assert [e["id"] for e in index] == EXPECTED
    md = (tmp_path / "index.md").read_text()
    for e in entries:
        assert e["caption"] in md
        for f in e["files"]:
            assert f.name in md and any(f.name in g for g in next(i for i in index if i["id"] == e["id"])["files"])


def test_rendering_is_byte_for_byte_deterministic(tmp_path):
    a = figures.resolve(["fig12"])[0].make(tmp_path / "a", formats=("png", "pdf", "svg"), dpi=30)
    b = figures.resolve(["fig12"])[0].make(tmp_path / "b", formats=("png", "pdf", "svg"), dpi=30)
    assert [p.suffix for p in a] == [".png", ".pdf", ".svg"]
    for p, q in zip(a, b):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_cli_renders_selected_figures(tmp_path, capsys):
    assert main(["figures", "--only", "10", "--out", str(tmp_path), "--format", "png,svg", "--quiet",
                 "--dpi", "30"]) == 0
    assert (tmp_path / "fig10_gan_vs_wgan_critic.png").exists()
    assert (tmp_path / "fig10_gan_vs_wgan_critic.svg").exists()
    assert (tmp_path / "index.md").exists()
    assert main(["figures", "--only", "fig42", "--out", str(tmp_path), "--quiet"]) == 2
    assert main(["figures", "--format", "gif", "--out", str(tmp_path), "--quiet"]) == 2
    capsys.readouterr()
    assert main(["figures", "--list"]) == 0
    assert "fig07" in capsys.readouterr().out


# ---- the claims the figures draw, checked with numbers ----------------------------------------------
def test_fig04_spurious_equilibria_appear_only_for_larger_gamma():
    from gametheory.figures.fig04_consensus_spurious import consensus_zeros

    g = gt.games.cos_sin_field(extent=2)
    zs, spurious = consensus_zeros(g, 0.5, n=121)
    assert len(zs) == 12 and spurious.sum() == 0          # exactly the 6 centers and 6 saddles
    zs, spurious = consensus_zeros(g, 2.0, n=121)
    assert spurious.sum() >= 8
    F = g.field_function()
    for z in zs[spurious]:                                  # zeros of v + gamma J^T v, but v != 0
        assert np.linalg.norm(np.concatenate(F.v(z[:1], z[1:]))) > 1e-3


def test_fig05_averaging_and_extragradient_converge_where_gda_cycles():
    from gametheory.figures.fig05_bilinear_methods import deterministic_runs

    g, runs = deterministic_runs()
    z = np.array([1.0, 0.0])
    d = {k: np.linalg.norm(v[0][-1] - z) for k, v in runs.items()}
    assert d["simultaneous"] > 0.3 and d["alternating"] > 0.3
    assert d["simultaneous, averaged"] < 0.05 and d["extragradient"] < 1e-3


def test_fig09_icr_settings():
    from gametheory.figures.fig09_icr_quadratic import game

    g, m = game(), gt.methods.get("gd")
    assert gt.stability(g, m, eta_x=0.09, eta_y=0.01) == "converges"
    assert gt.stability(g, m, eta_x=0, eta_y=0.01) == "diverges"


def test_fig10_discriminator_gradient_vanishes_critic_does_not():
    from gametheory.figures.fig10_gan_vs_wgan_critic import generator_gradients, optimal_critic

    grads = generator_gradients(np.array([1.0, 6.0]))
    sat = grads["GAN (saturating, log(1 - D*))"]
    assert sat[1] < 1e-6 * sat[0]
    np.testing.assert_allclose(grads["WGAN critic"], 1.0, atol=1e-8)       # computed from the LP critic
    x = np.linspace(-5, 5, 501)
    slope = np.diff(optimal_critic(x, -2.0, 2.0)) / np.diff(x)
    np.testing.assert_allclose(slope, -1.0, atol=1e-9)   # decreasing towards the fakes: 1-Lipschitz and tight


@pytest.mark.parametrize("seed", range(4))
def test_fig10_lp_critic_is_the_kantorovich_optimum(seed):
    """Against SciPy's primal W1 on random laws whose CDFs cross: a slope that ignores either law fails."""
    from scipy.stats import wasserstein_distance

    from gametheory.figures.fig10_gan_vs_wgan_critic import optimal_critic_lp

    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, 40))
    a, b = rng.dirichlet(np.ones(40)), rng.dirichlet(np.ones(40))
    c = optimal_critic_lp(x, a, b)
    assert abs(c.distance - wasserstein_distance(x, x, a, b)) < 1e-9
    assert abs(c.values @ (a - b) - c.distance) < 1e-12 and np.all(np.abs(c.slopes) <= 1 + 1e-9)
    F = np.cumsum(a - b)[:-1]                               # F_r - F_g on each cell
    decided = np.abs(F) > 1e-8
    assert len(set(np.sign(F[decided]))) == 2               # the CDFs cross: no constant slope is optimal
    np.testing.assert_allclose(c.slopes[decided], -np.sign(F[decided]), atol=1e-9)


def test_fig10_wgan_generator_gradient_points_the_fakes_at_the_reals():
    """Per-sample gradient of -E f(x~) is -f'(x~): fakes wider than the reals are pushed inwards on both sides."""
    from gametheory.figures.fig10_gan_vs_wgan_critic import _cell_masses, optimal_critic_lp

    x = np.linspace(-6, 6, 601)
    c = optimal_critic_lp(x, _cell_masses(x, 0.0, 1.0), _cell_masses(x, 0.0, 2.0))
    grad = -c.slopes                                        # d/dx of the generator loss -f
    mid = (x[1:] + x[:-1]) / 2
    inner = (np.abs(mid) > 0.1) & (np.abs(mid) < 4)
    np.testing.assert_allclose(grad[inner], np.sign(mid[inner]), atol=1e-9)


def test_fig11_regularized_dirac_gans_converge_and_unregularized_do_not():
    from gametheory.figures.fig11_dirac_gan import runs

    final = {title: {o: np.linalg.norm(r.final) for o, r in tr.items()} for title, *_, tr in runs()}
    assert final["GAN"]["simultaneous"] > 1.0 and final["GAN"]["alternating"] > 0.5
    assert final["WGAN (clipping at 1)"]["alternating"] > 0.5
    for title in ("consensus optimization (1.0)", "instance noise (std 0.7)", "R1 penalty (0.3)",
                  "R1 penalty (1.0, critical)"):
        assert max(final[title].values()) < 1e-3, title


def test_fig12_glgd_decreases_c():
    from gametheory.figures.fig12_glgd import cost, glgd, setup

    y, pr, pg = setup()
    C = np.array([cost(R, pr) for R in glgd(pr, pg)])
    assert np.all(np.diff(C) < 0) and C[-1] < 1.1 * 2 * np.log(2) < C[0]
    for R in glgd(pr, pg)[::50]:
        assert abs(np.sum(pr * R) - 1) < 1e-12 and R.min() >= 0


@pytest.mark.parametrize("rule", ["vertex", "spread", "random"])
def test_fig12_alternating_minimization_minimises_the_generator_loss_against_the_discriminator(rule):
    """Each R_t attains min g(R, f*(R_{t-1})) over R >= 0, E[R] = 1, solved here by HiGHS on its own."""
    from scipy.optimize import linprog

    from gametheory.figures.fig12_glgd import alternating_minimization, setup

    y, pr, pg = setup()
    A = alternating_minimization(pr, pg, iters=6, rule=rule)
    for prev, R in zip(A, A[1:]):
        f = 1 / (1 + prev)                                   # the Bayes discriminator of the previous round
        lp = linprog(pr * -np.log(f), A_eq=[pr], b_eq=[1.0], bounds=[(0, None)] * len(pr), method="highs")
        assert abs(pr @ R - 1) < 1e-12 and R.min() >= 0
        assert abs(np.sum(pr * R * -np.log(f)) - lp.fun) <= 1e-12 * max(1.0, abs(lp.fun))
        assert set(np.flatnonzero(R > 0)) <= set(np.flatnonzero(f == f.max()))   # only the favourite points


def test_fig12_alternating_minimization_never_converges_whatever_the_tie_break():
    from gametheory.figures.fig12_glgd import alternating_minimization, cost, glgd, setup

    y, pr, pg = setup()
    vertex = [cost(R, pr) for R in alternating_minimization(pr, pg, iters=20)]
    spread = [cost(R, pr) for R in alternating_minimization(pr, pg, iters=20, rule="spread")]
    assert min(vertex[1:]) > 2 * cost(glgd(pr, pg)[-1], pr)            # the slides' choice: collapse
    assert min(spread[1:]) - 2 * np.log(2) < 0.01 < max(spread[10:]) - 2 * np.log(2)   # close, then a point again
    assert all(c > 2 * np.log(2) for c in vertex + spread)            # never p_g = p_r
