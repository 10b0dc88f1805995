"""Plotting helpers: byte-for-byte reproducible files, checked formats and dpi, method directions."""
import numpy as np
import pytest

import gametheory as gt
from gametheory.plotting import (MAX_DPI, check_dpi, method_direction, pyplot, quiver_field, save_figure,
                                 unit_circle)
from gametheory.validation import ParameterError


def _figure():
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1, 2], [0, 1, 0])
    unit_circle(ax)
    return fig


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_the_same_figure_gives_the_same_bytes(tmp_path, fmt):
    (a,) = save_figure(_figure(), tmp_path / "a", "f", formats=(fmt,))
    (b,) = save_figure(_figure(), tmp_path / "b", "f", formats=fmt)
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 100
    assert not list(tmp_path.rglob("*.tmp"))  # written atomically: no temporary file left


def test_formats_and_dpi_are_checked_before_drawing(tmp_path):
    with pytest.raises(ParameterError, match="'formats'"):
        save_figure(_figure(), tmp_path, "f", formats=("jpeg",))
    with pytest.raises(ParameterError, match="'formats'"):
        save_figure(_figure(), tmp_path, "f", formats=())
    with pytest.raises(ParameterError, match="'dpi'"):
        check_dpi(MAX_DPI + 1)
    assert check_dpi(None) is None and check_dpi(72) == 72
    assert not list(tmp_path.iterdir())
    (small,) = save_figure(_figure(), tmp_path, "lo", dpi=20)
    (big,) = save_figure(_figure(), tmp_path, "hi", dpi=200)
    assert big.stat().st_size > small.stat().st_size


def test_method_direction_is_the_descent_field_for_gd_and_adds_consensus_for_consensus():
    X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 3))
    g = gt.games.bilinear([[1]])  # f = x y: v = (y, -x)
    U, V = method_direction(g, gt.methods.get("gd"), X, Y)
    assert np.allclose(U, Y) and np.allclose(V, -X)
    # consensus: v + gamma J^T v = (y, -x) + gamma (x, y)
    U, V = method_direction(g, gt.methods.get("consensus"), X, Y, gamma=0.5)
    assert np.allclose(U, Y + 0.5 * X) and np.allclose(V, -X + 0.5 * Y)
    with pytest.raises(ParameterError, match="'game'"):
        method_direction(gt.games.bilinear([[1, 0], [0, 1]]), gt.methods.get("gd"), X, Y)


def test_quiver_draws_the_motion_as_unit_arrows():
    plt = pyplot()
    fig, ax = plt.subplots()
    X, Y = np.meshgrid([1.0, 2.0], [0.0])
    q = quiver_field(ax, X, Y, np.array([[3.0, 0.0]]), np.array([[4.0, 2.0]]))
    assert np.allclose(q.U, [-0.6, 0.0]) and np.allclose(q.V, [-0.8, -1.0])
    plt.close(fig)
