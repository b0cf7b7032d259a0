"""The activation × seed grid's labels fit whatever the sweep's values: long `hidden` lists (deep nets, 1000-wide
layers) are abbreviated (runs of equal widths as k × w) and, when still too long, wrapped or set smaller, checked on
the rendered text's extent (matplotlib's renderer), not on the string."""
import json

import matplotlib.pyplot as plt
import pytest

from condense import plot
from condense.plot._common import compact_value

DEEP, WIDE, MIXED = "50,50,50,50,50", "1000,1000,1000", "120,100,90,80,70,60,50,40,30,20,10"


@pytest.fixture(scope="module")
def long_sweep(tmp_path_factory, condense):
    """1-…-1 on sin1d over hidden (five 50s, three 1000s, eleven distinct widths) × activation (tanh, xtanh),
    one seed, 20 steps: only the labels matter here."""
    d = tmp_path_factory.mktemp("sweeps")
    spec = d / "long.json"
    spec.write_text(json.dumps({"name": "long", "options": {"target": "sin1d", "steps": 20, "snapshots": "every:10",
                                                            "n-test": 0},
                                "axes": [{"option": "hidden", "values": [DEEP, WIDE, MIXED]},
                                         {"option": "activation", "values": ["tanh", "xtanh"]}], "seeds": 1}))
    sweep = d / "long"
    condense("sweep", "plan", spec, "-o", sweep)
    condense("sweep", "run", sweep, "--jobs", "2")
    condense("sweep", "collect", sweep)
    return sweep


def test_compact_value_writes_runs_of_widths_once():
    assert compact_value(DEEP) == "5 × 50"
    assert compact_value("784,100,100,10") == "784, 2 × 100, 10"
    assert compact_value(WIDE) == "3 × 1000"
    assert compact_value("50") == "50" and compact_value("tanh") == "tanh" and compact_value(0.25) == "0.25"


def _fits(fig, tmp_path, name):
    """Saves the figure (the final layout), then asserts every row label lies within its row's height and inside
    the figure, and the title within the figure's width. Returns the row labels' texts."""
    fig.savefig(tmp_path / f"{name}.png", dpi=80)
    renderer = fig.canvas.get_renderer()
    figure = fig.bbox
    title = fig._suptitle.get_window_extent(renderer)
    assert title.x0 >= figure.x0 - 1 and title.x1 <= figure.x1 + 1, fig._suptitle.get_text()
    texts = []
    for ax in _first_column(fig):
        label = ax.yaxis.label
        box, room = label.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert box.height <= room.height + 1, (label.get_text(), box.height, room.height)
        assert box.x0 >= figure.x0 - 1 and box.y0 >= figure.y0 - 1 and box.y1 <= figure.y1 + 1, label.get_text()
        texts.append(label.get_text())
    return texts


def _first_column(fig):
    axes = [ax for ax in fig.axes if ax.get_images() and ax.get_label() != "<colorbar>"]
    left = min(ax.get_position().x0 for ax in axes)
    return [ax for ax in axes if abs(ax.get_position().x0 - left) < 1e-6]


def test_long_hidden_lists_as_rows_fit_their_rows(long_sweep, tmp_path):
    fig = plot.grid(long_sweep, rows="hidden", select={"activation": "tanh"})
    texts = _fits(fig, tmp_path, "rows")
    assert len(texts) == 3
    assert texts[0].startswith("hidden = 5 × 50") and texts[1].startswith("hidden = 3 × 1000")
    # Eleven distinct widths cannot be abbreviated: wrapped after commas, every width still there, in order.
    assert "\n" in texts[2].split("(p =")[0]
    assert [int(w) for w in texts[2].split("(p =")[0].replace("hidden =", "").replace("\n", "").split(",")] == \
        [int(w) for w in MIXED.split(",")]
    plt.close(fig)


def test_a_fixed_long_hidden_list_fits_the_title(long_sweep, tmp_path):
    fig = plot.grid(long_sweep, rows="activation", select={"hidden": MIXED}, panel=1.6)
    texts = _fits(fig, tmp_path, "title")
    assert texts[0].startswith("tanh") and texts[1].startswith("xtanh")
    title = fig._suptitle.get_text().replace("\n", " ")
    assert "hidden = 120, 100, 90" in title.replace(",  ", ", ")
    plt.close(fig)
