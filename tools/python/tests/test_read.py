"""cpy.open_run / open_analysis / open_summary / open_propagation / clean_config: selection by training step
on every snapshot dimension, the analysis on a dimension of its own (also for a subset, which xr.open_datatree
refuses), the configuration as typed (it re-runs the run), and files being written (SWMR) read safely."""
import json
import shutil
import signal
import subprocess
import sys
import time
import warnings

import h5py
import numpy as np
import pytest
import xarray as xr

import condense as cpy  # the package (`condense` is the fixture that runs the binary)
import condense.plot  # noqa: F401  (cpy.plot below)
from conftest import EXAMPLES
from propagate_file import write_propagate_file


def test_open_run_selects_weights_losses_and_analysis_by_step(tanh1d_run):
    run = cpy.open_run(tanh1d_run)
    with h5py.File(tanh1d_run) as f:
        steps = f["step"][()]
        weights = f["layers/layer_1/weights"][()]
        counts = f["analysis/layer_1/condensed_orientations"][()]
        loss = f["train_loss"][()]
    assert steps.tolist() == list(range(0, 301, 20))
    w = run["layers/layer_1"]["weights"].sel(step=100)
    assert w.dims == ("neuron", "component")
    np.testing.assert_array_equal(w.values, weights[5])
    np.testing.assert_array_equal(run["layers/layer_1"]["weights"].sel(step=[0, 300]).values, weights[[0, 15]])
    assert float(run["train_loss"].sel(step=60)) == loss[3]
    assert run["layers/readout"]["weights"].sel(step=300).dims == ("output", "component")
    assert int(run["analysis/layer_1"]["condensed_orientations"].sel(analyzed_step=280)) == counts[14]
    assert run["analysis/layer_1"]["label"].dtype == np.int64
    assert run["analysis"]["snapshot"].values.tolist() == list(range(16))
    assert run["snapshot"].dims == ("step",) and run["snapshot"].values.tolist() == list(range(16))
    with pytest.raises(KeyError):
        run["layers/layer_1"]["weights"].sel(step=101)


def test_large_datasets_are_read_on_access(tanh1d_run):
    """Above lazy_above bytes a dataset stays in the file until indexed (a wide run's weights do not fit in
    memory); selections read what they need and give the same values."""
    run = cpy.open_run(tanh1d_run, lazy_above=0)
    w = run["layers/layer_1"]["weights"]
    assert not isinstance(w.variable._data, np.ndarray)
    with h5py.File(tanh1d_run) as f:
        weights = f["layers/layer_1/weights"][()]
    np.testing.assert_array_equal(w.sel(step=100).values, weights[5])
    np.testing.assert_array_equal(w.isel(neuron=[3, 1]).sel(step=[0, 300]).values, weights[[0, 15]][:, [3, 1]])
    assert isinstance(run["analysis/layer_1"]["label"].variable._data, np.ndarray)  # rebuilt in memory
    run.close()
    assert isinstance(cpy.open_run(tanh1d_run)["layers/layer_1"]["weights"].variable._data, np.ndarray)


def test_an_analysis_of_a_subset_has_its_own_dimension(tanh1d_run, tmp_path, condense):
    """`analyze --snapshots` on a subset in place: /analysis lies on its own `analyzed_step`, so plain
    xr.open_datatree opens the file (it refused files of format 1.1), and so do open_run and open_analysis."""
    path = tmp_path / "subset.h5"
    shutil.copy(tanh1d_run, path)
    condense("analyze", path, "--snapshots", "0,5,10,15")
    with h5py.File(path) as f:
        stored = f["analysis/layer_1/condensed_orientations"][()]
        heat = f["analysis/layer_1/heatmap"][()]
        start = int(f["analysis/layer_1"].attrs["initial_stage_start"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with xr.open_datatree(path, engine="h5netcdf") as tree:
            counts = tree["analysis/layer_1"]["condensed_orientations"]
            assert counts.dims == ("analyzed_step",) and counts["analyzed_step"].values.tolist() == [0, 100, 200, 300]
            assert int(counts.sel(analyzed_step=200)) == stored[2]
            assert tree["layers/layer_1"]["weights"].sel(step=200).shape == (20, 2)
    run = cpy.open_run(path)
    counts = run["analysis/layer_1"]["condensed_orientations"]
    assert counts.dims == ("analyzed_step",) and counts.sizes["analyzed_step"] == 4
    assert run["analysis"]["snapshot"].values.tolist() == [0, 5, 10, 15]
    with pytest.raises(KeyError):
        counts.sel(analyzed_step=40)  # not analyzed
    analysis = cpy.open_analysis(path)
    a = analysis["layer_1"]
    assert a["label"].dims == ("analyzed_step", "neuron")
    assert a["analyzed_step"].values.tolist() == [0, 100, 200, 300]
    assert analysis["snapshot"].values.tolist() == [0, 5, 10, 15]
    np.testing.assert_array_equal(a["condensed_orientations"].sel(analyzed_step=[0, 100, 200, 300]).values, stored)
    assert a["heatmap_step"].values.tolist() == [int(a["analyzed_step"].values[[0, 5, 10, 15].index(h)]) for h in heat]
    assert a.attrs["initial_stage_start_step"] == int(a["analyzed_step"].values[start])
    assert a["similarity"].sel(heatmap_step=300).dims == ("row", "column")
    assert a["cluster_condensed"].sel(analyzed_step=300).sum() == a["condensed_orientations"].sel(analyzed_step=300)


def test_open_analysis_reads_a_separate_analysis_file(tanh1d_run, tmp_path, condense):
    out = tmp_path / "analysis.h5"
    condense("analyze", tanh1d_run, "-o", out, "--snapshots", "2,4")
    a = cpy.open_analysis(out)
    assert a["layer_1"]["kept"].dims == ("analyzed_step",)
    assert a["layer_1"]["kept"].sel(analyzed_step=80).item() == 20
    assert a.attrs["format"] == "condense.analysis" and a.attrs["options"]["cosine_threshold"] == 0.95
    with pytest.raises(cpy.CondenseFileError, match="not a condense run file.*open_analysis"):
        cpy.open_run(out)


def test_clean_config_is_what_a_user_types_and_reruns_the_run(tmp_path, condense):
    """Swift's encoding becomes option names and values; `condense train` with them stores the same config."""
    first = tmp_path / "a.h5"
    condense("train", "--hidden", "6,4", "--activation", "tanh", "--activation", "xtanh", "--steps", "12",
             "--snapshots", "log:4", "--optimizer", "momentum", "--momentum", "0.5", "--lr", "0.01",
             "--lr-schedule", "step(every=5,factor=0.5)", "--loss", "mean", "--target", "teacher",
             "--input-dim", "3", "--n-train", "10", "--n-test", "0", "--batch-size", "5", "--seed", "4",
             "--init-std", "0.01", "-q", "-o", first)
    run = cpy.open_run(first)
    config = run.attrs["config"]
    assert json.loads(run.attrs["config_json"])["snapshots"] == "log:4"  # stored as typed (format 1.2)
    assert config["snapshots"] == "log:4" and config["loss"] == "mean"
    assert config["hidden"] == "6,4" and config["activation"] == ["tanh", "xtanh"]
    assert config["optimizer"] == "momentum" and config["momentum"] == 0.5
    assert config["lr-schedule"] == "step(every=5,factor=0.5)"
    assert config["target"] == "teacher" and config["input-dim"] == 3 and config["n-train"] == 10
    assert config["batch-size"] == 5 and config["seed"] == 4
    assert cpy.run_config(first) == config == cpy.run_config(run)
    args = []
    for key, value in config.items():
        if isinstance(value, bool):
            args.append(f"--{key}" if value else f"--no-{key}")
        else:
            for v in value if isinstance(value, list) else [value]:
                args += [f"--{key}", str(v)]
    second = tmp_path / "b.h5"
    condense("train", *args, "-q", "-o", second)
    with h5py.File(first) as a, h5py.File(second) as b:
        assert json.loads(a.attrs["config"]) == json.loads(b.attrs["config"])
    every = cpy.clean_config(h5py.File(EXAMPLES / "tanh-1d.h5").attrs["config"])
    assert every["snapshots"] == "every:10" and every["loss"] == "half-sum" and every["lr-schedule"] == "constant"
    assert cpy.clean_config({"snapshots": {"explicit": {"_0": [0, 5, 9]}}, "somethingNew": {"caseA": {}}}) == {
        "snapshots": "list:0,5,9", "something-new": "caseA"}


def test_open_summary_and_propagation(grid_sweep, tmp_path):
    ds = cpy.open_summary(grid_sweep)  # the directory or its summary.h5
    assert dict(ds["run_id"].sizes) == {"activation": 2, "seed": 2}
    assert ds["final_orientations"].sel(activation="xtanh", seed=1, layer="layer_1").item() >= 0
    assert (ds["status"].values == "done").all()
    assert cpy.open_summary(grid_sweep / "summary.h5")["run_id"].equals(ds["run_id"])
    prop = tmp_path / "prop.h5"
    truth = write_propagate_file(prop)
    p = cpy.open_propagation(prop)
    np.testing.assert_array_equal(p["prediction_mean"].sel(model="finite_width", quantity="theta").values,
                                  truth["prediction_mean"][0, :, 2])
    with pytest.raises(cpy.CondenseFileError, match="not a sweep summary.*open_propagation"):
        cpy.open_summary(prop)
    with pytest.raises(cpy.CondenseFileError, match="no summary.h5 in this directory"):
        cpy.open_summary(tmp_path)
    with pytest.raises(cpy.CondenseFileError, match="no such file"):
        cpy.open_run(tmp_path / "none.h5")
    (tmp_path / "text.h5").write_text("not hdf5")
    with pytest.raises(cpy.CondenseFileError, match="not an HDF5 file"):
        cpy.open_run(tmp_path / "text.h5")


def _wait_for_snapshots(path, proc, count, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the training process ended early: {proc.stderr.read()}")
        if path.exists():
            try:
                with cpy.open_h5(path) as f:
                    if "step" in f and f["step"].shape[0] >= count:
                        return
            except cpy.CondenseFileError:
                pass
        time.sleep(0.1)
    pytest.fail(f"{path}: fewer than {count} snapshots after {timeout} s")


def test_a_live_run_is_read_while_it_trains(tmp_path, condense_bin):
    """`condense train --live`: open_run (h5py SWMR reader) sees the flushed snapshots, whole, while the writer
    runs; the figures draw from it; a run started without --live is read alike (every run is SWMR)."""
    path = tmp_path / "live.h5"
    proc = subprocess.Popen([str(condense_bin), "train", "--live", "--hidden", "100", "--steps", "200000",
                             "--snapshots", "every:200", "--threads", "1", "-q", "-o", str(path)],
                            stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_snapshots(path, proc, 3)
        run = cpy.open_run(path)
        n = run.sizes["step"]
        assert n >= 3 and run.attrs["status"] == "running"
        assert run["layers/layer_1"]["weights"].sizes["step"] == n
        assert run["step"].values.tolist() == list(range(0, 200 * n, 200))
        assert run["layers/layer_1"]["weights"].sel(step=200).shape == (100, 6)
        fig = cpy.plot.loss(path)
        assert fig.axes[0].get_title().endswith("(still training)")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    # Every run is written in SWMR mode, with or without --live: one started without it is read the same way.
    plain = tmp_path / "plain.h5"
    proc = subprocess.Popen([str(condense_bin), "train", "--hidden", "100", "--steps", "200000", "--snapshots",
                             "every:200", "--threads", "1", "-q", "-o", str(plain)],
                            stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_snapshots(plain, proc, 3)
        run = cpy.open_run(plain)
        n = run.sizes["step"]
        assert n >= 3 and run.attrs["status"] == "running"
        assert run["layers/layer_1"]["weights"].sizes["step"] == n
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


def test_a_file_another_process_holds_without_swmr_gives_one_line(tmp_path):
    """A writer that holds the file open without SWMR (here h5py in another process) locks readers out: open_run
    says so in one line and never suggests h5clear, which would corrupt a file whose writer is alive."""
    path = tmp_path / "held.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3.0)
    holder = subprocess.Popen([sys.executable, "-c", "import h5py, sys, time\n"
                               f"f = h5py.File({str(path)!r}, 'a')\nprint('open', flush=True)\ntime.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        try:
            cpy.open_run(path)
            pytest.skip("this file system lets readers open a file being written (no HDF5 file locking)")
        except cpy.CondenseFileError as e:
            message = str(e)
            assert "another process is writing it without SWMR" in message
            assert "h5clear" not in message and "\n" not in message
    finally:
        holder.kill()
        holder.wait(timeout=30)
