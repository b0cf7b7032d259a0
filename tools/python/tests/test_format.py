"""Run-file format 1.2 read with plain xarray/h5netcdf (no condense package): the snapshot dimension is `step`,
indexed by the training steps in every group that has snapshot data, /analysis has its own `analyzed_step`, the
configuration is the options as typed, clusters carry their condensed flag. And files of format 1.0 (the example
runs) give the package the same view, and stay 1.0 files when resumed."""
import json
import shutil
import warnings

import h5py
import numpy as np
import xarray as xr

import condense as cpy
from condense import RunRecorder
from conftest import EXAMPLES


def test_plain_xarray_selects_a_new_file_by_step(tanh1d_run):
    with h5py.File(tanh1d_run) as f:
        assert f.attrs["format_version"] == "1.2"
        weights = f["layers/layer_1/weights"][()]
        readout = f["layers/readout/weights"][()]
        loss = f["train_loss"][()]
        counts = f["analysis/layer_1/condensed_orientations"][()]
    with xr.open_dataset(tanh1d_run, group="layers/layer_1", engine="h5netcdf") as ds:
        np.testing.assert_array_equal(ds["weights"].sel(step=100).values, weights[5])
        np.testing.assert_array_equal(ds["weights"].sel(step=[0, 300]).values, weights[[0, 15]])
    with xr.open_dataset(tanh1d_run, group="layers/readout", engine="h5netcdf") as ds:
        np.testing.assert_array_equal(ds["weights"].sel(step=300).values, readout[15])
    with xr.open_dataset(tanh1d_run, engine="h5netcdf") as root:
        assert float(root["train_loss"].sel(step=60)) == loss[3]
        assert root.indexes["step"].tolist() == list(range(0, 301, 20))
    with xr.open_dataset(tanh1d_run, group="analysis/layer_1", engine="h5netcdf") as a:
        assert int(a["condensed_orientations"].sel(analyzed_step=280)) == counts[14]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with xr.open_datatree(tanh1d_run, engine="h5netcdf") as tree:
            np.testing.assert_array_equal(tree["layers/layer_1"]["weights"].sel(step=100).values, weights[5])
            assert int(tree["analysis/layer_1"]["condensed_orientations"].sel(analyzed_step=280)) == counts[14]


def test_the_stored_configuration_is_the_options_as_typed(tanh1d_run):
    with h5py.File(tanh1d_run) as f:
        stored = json.loads(f.attrs["config"])
    assert stored["snapshots"] == "every:20" and stored["loss"] == "half-sum" and stored["target"] == "sin1d"
    assert stored["hidden"] == "20" and stored["activation"] == "tanh" and stored["optimizer"] == "adam"
    assert stored["derived"] == {"inputs": 1, "outputs": 1}
    assert all(not isinstance(v, dict) for k, v in stored.items() if k != "derived")  # no Swift enum encodings
    assert cpy.run_config(tanh1d_run) == {k: v for k, v in stored.items() if k != "derived"}


def test_recorder_files_select_by_step_in_plain_xarray(tmp_path):
    path = tmp_path / "rec.h5"
    rng = np.random.default_rng(1)
    shots = {}
    with RunRecorder(path, [2, 4, 1], "tanh") as rec:
        for step in (0, 3, 9):
            w = [rng.normal(size=(4, 2)), rng.normal(size=(1, 4))]
            shots[step] = w
            rec.snapshot(step, w, [rng.normal(size=4), None], train_loss=1.0)
    with xr.open_dataset(path, group="layers/layer_1", engine="h5netcdf") as ds:
        np.testing.assert_array_equal(ds["weights"].sel(step=3).values[:, :2], shots[3][0])
    with xr.open_dataset(path, engine="h5netcdf") as root:
        assert root.indexes["step"].tolist() == [0, 3, 9] and root["snapshot"].values.tolist() == [0, 1, 2]
    assert cpy.open_run(path)["layers/readout"]["weights"].sel(step=9).shape == (1, 5)


def test_cluster_flags_match_analyze_json(tanh1d_run, analyze_json):
    report = analyze_json(tanh1d_run)
    with h5py.File(tanh1d_run) as f:
        flags = f["analysis/layer_1/cluster_condensed"][()]
        lines = f["analysis/layer_1/cluster_line"][()]
    for i, snapshot in enumerate(report["layers"][0]["snapshots"]):
        clusters = snapshot["clusters"][:32]
        assert flags[i].tolist() == [int(c["condensed"]) for c in clusters] + [0] * (32 - len(clusters))
        assert lines[i].tolist() == [c["line"] for c in clusters] + [-1] * (32 - len(clusters))


def _dims(tree):
    """Per node, its snapshot dimensions (the old example's analysis predates schema 2's other dimensions)."""
    snapshot_like = {"step", "snapshot", "analyzed_step", "analyzed_snapshot"}
    return {node.path: sorted(snapshot_like & set(map(str, node.to_dataset().dims))) for node in tree.subtree}


def test_a_format_1_0_file_gives_the_same_view(tanh1d_run):
    old = cpy.open_run(EXAMPLES / "tanh-1d.h5")
    with h5py.File(EXAMPLES / "tanh-1d.h5") as f:
        assert f.attrs["format_version"] == "1.0"
        steps = f["step"][()].tolist()
        weights = f["layers/layer_1/weights"][()]
        counts = f["analysis/layer_1/condensed_orientations"][()]
    np.testing.assert_array_equal(old["layers/layer_1"]["weights"].sel(step=100).values, weights[steps.index(100)])
    assert int(old["analysis/layer_1"]["condensed_orientations"].sel(analyzed_step=100)) == counts[steps.index(100)]
    assert old["snapshot"].values.tolist() == list(range(len(steps)))
    assert old["analysis/layer_1"]["heatmap"].dims == ("heatmap_step",)
    assert old["analysis/layer_1"]["similarity"].sel(heatmap_step=300).dims == ("row", "column")
    assert old.attrs["config"]["snapshots"] == "every:10" and old.attrs["config"]["loss"] == "half-sum"
    new = cpy.open_run(tanh1d_run)
    old_dims, new_dims = _dims(old), _dims(new)
    for node in ("/", "/layers/layer_1", "/layers/readout", "/analysis", "/analysis/layer_1"):
        assert old_dims[node] == new_dims[node], node
    assert set(old.attrs["config"]) <= set(new.attrs["config"]) | {"n-test"}


def test_resuming_a_format_1_0_file_keeps_its_layout(tmp_path, condense):
    """A resume appends in the file's own layout and keeps its configuration encoding, so the file stays what
    its format_version says; the new snapshots read like the old ones."""
    path = tmp_path / "old.h5"
    shutil.copy(EXAMPLES / "tanh-1d.h5", path)
    with h5py.File(path) as f:
        legacy = f.attrs["config"]
    condense("train", "--resume", path, "--steps", "320", "-q")
    with h5py.File(path) as f:
        assert f.attrs["format_version"] == "1.0"
        assert json.loads(f.attrs["config"])["architecture"] == json.loads(legacy)["architecture"]
        assert json.loads(f.attrs["config"])["steps"] == 320
        assert f["step"][-3:].tolist() == [300, 310, 320] and not h5py.h5ds.is_scale(f["step"].id)
        assert f["layers/layer_1/weights"].shape[0] == f["step"].shape[0]
        last = f["layers/layer_1/weights"][-1]
    run = cpy.open_run(path)
    np.testing.assert_array_equal(run["layers/layer_1"]["weights"].sel(step=320).values, last)
    # Analyzed again in place: a 1.2 analysis in a 1.0 run file, read by the package and by plain xarray (not
    # as one DataTree: the replaced old analysis, kept beside it, shares the old `snapshot` dimension).
    condense("analyze", path, "--snapshots", "0,10,32")
    run = cpy.open_run(path)
    assert run["analysis/layer_1"]["kept"].sel(analyzed_step=320).item() == 50
    assert run["analysis"]["snapshot"].values.tolist() == [0, 10, 32]
    with xr.open_dataset(path, group="analysis/layer_1", engine="h5netcdf") as a:
        assert a["kept"].sel(analyzed_step=[0, 100, 320]).values.tolist() == [50] * 3


def test_from_a_format_1_0_file_stores_what_clean_config_made_of_it(tmp_path, condense):
    """`train --from` an old file decodes Swift's encoding and stores the options; the package's conversion of
    the old encoding gives the same options (but the new step total)."""
    new = tmp_path / "new.h5"
    condense("train", "--from", EXAMPLES / "tanh-1d.h5", "--steps", "20", "-q", "-o", new)
    with h5py.File(EXAMPLES / "tanh-1d.h5") as f:
        old = cpy.clean_config(f.attrs["config"])
    with h5py.File(new) as f:
        assert f.attrs["format_version"] == "1.2"
        stored = json.loads(f.attrs["config"])
    assert stored.pop("derived") == {"inputs": 1, "outputs": 1}
    assert stored == {**old, "steps": 20}
