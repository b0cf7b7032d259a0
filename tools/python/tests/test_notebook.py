"""notebooks-data/condense-runs.ipynb runs headless from top to bottom (nbclient) on the committed example files,
and shows what it promises: the layout via h5py, the `condense` package's step-indexed view, its figures, a numpy
loop dumped and analyzed.

Environment: CONDENSE_BIN (the condense binary; the fixture condense_bin sets it for the kernel, which the
notebook's analyze cell reads, falling back to `condense` on PATH and then .build/debug/condense). The kernel is
this interpreter's ipykernel, so it imports the `condense` package if installed, else the notebook adds
tools/python to sys.path. torch, when importable here, runs the PyTorch cell."""
import os
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[3] / "notebooks-data" / "condense-runs.ipynb"


@pytest.fixture(scope="module")
def executed(condense_bin):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["CONDENSE_BIN"] = str(condense_bin)  # the kernel inherits it
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def outputs(nb):
    text, images = [], 0
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.output_type != "error", "".join(o.get("traceback", []))
            if o.output_type == "stream" and o.name == "stdout":
                text.append(o.text)
            if "image/png" in o.get("data", {}):
                images += 1
    return "".join(text), images


def test_notebook_runs_and_shows_layout_figures_and_a_dumped_run(executed):
    text, images = outputs(executed)
    assert "weights (21, 50, 6) dims ('snapshot', 'neuron', 'component')" in text
    assert "components ['w1', 'w2', 'w3', 'w4', 'w5', 'b']" in text
    assert "initial stage: 2 orientations, condensed within bound" in text
    assert "dims ('step', 'neuron', 'component')\nbias {'step': 21, 'neuron': 50}" in text  # the package's view
    assert "at step 100, first 5: [-0.0583  0.0677  0.0532 -0.0685 -0.0526]" in text  # .sel(step=100)
    assert "condensed orientations at steps 0, 50, 100: [0, 2, 2]" in text
    assert ("configuration: {'hidden': '50', 'activation': 'tanh', 'init': 'gaussian(std=0.005)', "
            "'snapshots': 'every:5', 'loss': 'half-sum'}") in text
    assert "tree groups: ['/', '/data', '/layers', '/optimizer', '/analysis', " in text
    # loss, heatmap, count, (θ, A), evolution, output and field of the examples, then the numpy run's count
    assert images == 8
    assert ("layer_1 (tanh, p = 1): initial stage steps 25–300: 2 condensed orientations, 1 line vs bound 2p = 2: "
            "condensed within bound") in text
    try:
        import torch  # noqa: F401  (the kernel is this interpreter, so it sees the same packages)
        assert "with activations ['tanh']" in text
    except ImportError:
        assert "torch is not installed: skipping the PyTorch example" in text


def test_example_files_are_small_and_analyzed():
    files = sorted(NOTEBOOK.parent.glob("*.h5"))
    assert [f.name for f in files] == ["paper-tanh-5d.h5", "tanh-1d.h5", "xtanh-1d.h5"]
    import h5py
    for f in files:
        assert f.stat().st_size < 2 * 1024 * 1024, f
        with h5py.File(f) as h:
            assert h.attrs["status"] == "completed" and "analysis" in h
