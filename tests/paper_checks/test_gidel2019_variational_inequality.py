"""Claims of Gidel et al., "A Variational Inequality Perspective on Generative Adversarial Networks" (ICLR 2019)."""
from gametheory.paper_checks import gidel2019_variational_inequality as vi


def test_variational_inequality_claims(checked):
    rows = checked("gidel2019_variational_inequality")
    assert {r["verdict"] for r in rows.values() if r["kind"] != "neural"} == {"confirmed"}
    # the neural claims (tests/paper_checks/test_neural_claims.py) are not run without the neural part
    assert {r["verdict"] for r in rows.values() if r["kind"] == "neural"} <= {"inconclusive"}
    assert rows["gidel2019_variational_inequality.extragradient"]["details"]["eg_converges_for_s_in"] == ["0", "1"]
    assert rows["gidel2019_variational_inequality.omd_bilinear"]["details"]["converges_for_s_in"] == ["0", "sqrt(3)/3"]
    avg = rows["gidel2019_variational_inequality.averaging"]["details"]
    assert avg["average_distance"] < 0.01 < 0.5 < avg["last_iterate_distance"]


def test_past_extragradient_matches_optimism():
    _, iv_ogd, ok1 = vi.bilinear_intervals("ogd")
    _, iv_peg, ok2 = vi.bilinear_intervals("past_eg")
    assert ok1 and ok2 and [i["verdict"] for i in iv_ogd] == [i["verdict"] for i in iv_peg]


def _wgan_result(seeds, eg_settles, trained=None):
    """Pen-and-paper output of wgan_training: GDA covers 3 modes and moves 1.0; EG/OGD cover 3/4 modes and move
    0.1/0.2 where the statement is to hold, else EG moves 2.0 (more than GDA); ``trained[s]`` False: no method
    is near the data (W1 2.0 against the bar 1.0)."""
    trained = trained or {}

    def run(modes, move, ok):
        return {"modes": modes, "movement": move, "w1": 0.3 if ok else 2.0, "trained": ok, "diverged": False}

    rows = []
    for s in seeds:
        ok = trained.get(s, True)
        gd, eg, ogd = run(3, 1.0, ok), run(3, 0.1 if eg_settles[s] else 2.0, ok), run(4, 0.2, ok)
        rows.append({"seed": s, "gd": gd, "eg": eg, "ogd": ogd, "holds": ok and eg_settles[s], "testable": ok})
    return {"settings": {"loss": "wgan-gp", "gp": 10.0, "clip": None, "iters": 1200, "scale": "small", "lr_x": 2e-4,
                         "lr_y": 2e-3, "trained_if_w1_below": 1.0}, "per_seed": rows}


def test_wgan_training_verdict_refutes_and_confirms_pen_and_paper():
    published = "EG and OGD settle where GDA oscillates"
    seeds = list(range(5))
    res = vi.wgan_training_verdict(_wgan_result(seeds, dict.fromkeys(seeds, True)), published)
    assert res.verdict == "confirmed" and "held in 5 of 5 seeds" in res.ours
    assert res.details["movement_sign_tests"]["eg"]["wins"] == 5
    assert res.details["movement_sign_tests"]["eg"]["p_value"] == 1 / 32
    res = vi.wgan_training_verdict(_wgan_result(seeds, {0: True, 1: False, 2: False, 3: False, 4: True}), published)
    assert res.verdict == "refuted" and res.counterexample.startswith("seed 1: GDA 3 modes, W1 0.30, moves 1")
    assert "moves 2" in res.counterexample
    # 4 of 5 is binomial p = 0.1875: no verdict either way
    assert vi.wgan_training_verdict(_wgan_result(seeds, {**dict.fromkeys(seeds, True), 2: False}),
                                    published).verdict == "inconclusive"
    # seeds where no method trained are left out (a generator standing still far from the data is untrained)
    ten = list(range(10))
    res = vi.wgan_training_verdict(_wgan_result(ten, dict.fromkeys(ten, True), trained=dict.fromkeys(range(6), False)),
                                   published)
    assert res.verdict == "inconclusive" and "4 seed(s)" in res.reason
    assert "left out: seeds [0, 1, 2, 3, 4, 5]" in res.ours and res.details["left_out_seeds"] == [0, 1, 2, 3, 4, 5]


def test_wgan_training_claim_runs_the_wgan_gp_experiment(monkeypatch):
    import pytest

    pytest.importorskip("torch")
    from gametheory.claims import CheckContext
    from gametheory.neural import paper_experiments as pe
    from gametheory.paper_checks import _neural

    assert vi._check_neural_wgan_training(CheckContext(scale="quick")).ours == "not run"
    seen = {}

    def fake(seeds, **kw):
        seen.update(kw, seeds=list(seeds))
        return _wgan_result(seeds, dict.fromkeys(seeds, True))

    monkeypatch.setattr(pe, "wgan_training", fake)
    for scale, n, iters in (("default", 5, 1200), ("full", 10, 20000)):
        monkeypatch.setattr(_neural, "_MEMO", {})
        res = vi._check_neural_wgan_training(CheckContext(scale=scale))
        assert res.verdict == "confirmed" and len(seen["seeds"]) == n and seen["iters"] == iters   # no "scaled down"
        assert (seen["loss"], seen["gp"], seen["clip"]) == ("wgan-gp", 10.0, None)
    assert (seen["lr_x"], seen["lr_y"]) == (2e-5, 2e-4)   # Gidel et al.'s step sizes at the full scale
