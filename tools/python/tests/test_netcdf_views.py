"""Every dataset we write opens with named dimensions and coordinates in xarray (h5netcdf), in h5py (``.dims``
resolved to scales) and in ``ncdump -h``: run files from `condense train` (incl. /optimizer for every optimizer
kind), their /analysis group in place and as a separate `-o` file, and files from the Python recorder."""
import shutil
import subprocess
import warnings

import h5py
import numpy as np
import pytest
import xarray as xr

from condense import RunRecorder

NCDUMP = shutil.which("ncdump")


@pytest.fixture(scope="module")
def files(tmp_path_factory, condense, tanh1d_run, deep_run):
    d = tmp_path_factory.mktemp("netcdf")
    out = {"tanh1d (adam, analyzed)": tanh1d_run, "deep (2 layers, analyzed)": deep_run}
    sgd = d / "sgd.h5"
    condense("train", "--steps", "10", "--optimizer", "momentum", "--lr", "0.05", "--batch-size", "20",
             "--snapshots", "every:5", "--hidden", "7", "-q", "-o", sgd)
    out["momentum, mini-batch"] = sgd
    separate = d / "analysis.h5"
    condense("analyze", sgd, "-o", separate)
    out["analysis -o file"] = separate
    rec = d / "recorder.h5"
    rng = np.random.default_rng(0)
    with RunRecorder(rec, [2, 5, 4, 1], ["tanh", "x^3*tanh(x)"], train=(rng.normal(size=(8, 2)), rng.normal(size=(8, 1))),
                     test=(rng.normal(size=(3, 2)), rng.normal(size=(3, 1)))) as r:
        for step in (0, 3):
            r.log_loss(1.0)
            r.snapshot(step, [rng.normal(size=(5, 2)), rng.normal(size=(4, 5)), rng.normal(size=(1, 4))],
                       [rng.normal(size=5), rng.normal(size=4), None], train_loss=1.0)
    condense("analyze", rec)
    out["recorder (analyzed)"] = rec
    return out


def groups_and_datasets(path):
    groups, datasets = ["/"], []
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: (groups if isinstance(o, h5py.Group) else datasets).append("/" + n))
    return groups, datasets


CASES = ["tanh1d (adam, analyzed)", "deep (2 layers, analyzed)", "momentum, mini-batch", "analysis -o file",
         "recorder (analyzed)"]


@pytest.mark.parametrize("case", CASES)
def test_h5py_resolves_every_dimension_to_a_named_scale(files, case):
    problems = []
    with h5py.File(files[case], "r") as f:
        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset) or h5py.h5ds.is_scale(obj.id):
                return
            for i, dim in enumerate(obj.dims):
                scales = list(dim.values())
                if len(scales) != 1:
                    problems.append(f"/{name} dimension {i}: {len(scales)} scales")
                    continue
                scale = scales[0]
                scale_name = scale.name.rsplit("/", 1)[-1]
                if dim.label != scale_name or scale.shape != (obj.shape[i],):
                    problems.append(f"/{name} dimension {i}: label {dim.label!r}, scale {scale.name} {scale.shape}")
        f.visititems(visit)
    assert problems == []


def _open_group(path, group):
    """xr.open_dataset of one group, and the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = xr.open_dataset(path, engine="h5netcdf", group=group, phony_dims="sort")
    others = [str(w.message) for w in caught]
    return ds, others


@pytest.mark.parametrize("case", CASES)
def test_xarray_opens_every_group_with_named_dimensions_and_coordinates(files, case):
    """Per group (xr.open_dataset(group=...)): no phony_dim, and every dimension has a coordinate in the group
    or, as netCDF's scoping allows, in an ancestor group, with the same length."""
    path = files[case]
    groups, _ = groups_and_datasets(path)
    coords = {}
    for group in groups:
        ds, others = _open_group(path, group)
        with ds:
            assert others == [], f"{group}: {others}"
            coords[group] = {d: ds.sizes[d] for d in ds.coords if d in ds.dims}
            phony = [d for d in ds.sizes if str(d).startswith("phony_dim")]
            assert phony == [], f"{group}: {phony} for {[v for v in ds.variables if set(ds[v].dims) & set(phony)]}"
            for name, var in ds.data_vars.items():
                for dim in var.dims:
                    scopes = [group] + [a for a in groups if group.startswith(a.rstrip("/") + "/") or a == "/"]
                    owner = next((g for g in sorted(scopes, key=len, reverse=True) if dim in coords.get(g, {})), None)
                    assert owner is not None, f"{group}/{name}: dimension {dim} has no coordinate in scope"
                    assert coords[owner][dim] == ds.sizes[dim], f"{group}/{name}: {dim} length differs from {owner}'s"


@pytest.mark.parametrize("case", ["tanh1d (adam, analyzed)", "deep (2 layers, analyzed)", "recorder (analyzed)"])
def test_xarray_datatree_gives_every_node_its_coordinates(files, case):
    """The whole file as one DataTree: every node's dimensions have coordinates (the layers their own copy of
    `step`, equal to the root's; /analysis its own `analyzed_step`; see test_read.py for an analysis of a subset)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = xr.open_datatree(files[case], engine="h5netcdf", phony_dims="sort")
    with tree:
        nodes = 0
        for node in tree.subtree:
            ds = node.to_dataset(inherit=True)
            for name, var in ds.data_vars.items():
                assert not any(str(d).startswith("phony_dim") for d in var.dims), (node.path, name, var.dims)
                assert all(d in ds.coords for d in var.dims), (node.path, name, var.dims)
            nodes += 1
        assert nodes >= 6
        w = tree["layers/layer_1"].to_dataset()["weights"]
        assert w.dims == ("step", "neuron", "component") and "step" in w.coords
        np.testing.assert_array_equal(w["step"].values, tree["step"].values)


@pytest.mark.skipif(NCDUMP is None, reason="ncdump is not installed (Debian netcdf-bin; tools/install-deps.sh)")
@pytest.mark.parametrize("case", CASES)
def test_ncdump_reads_the_header_with_named_dimensions(files, case):
    r = subprocess.run([NCDUMP, "-h", str(files[case])], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "phony_dim" not in r.stdout, [l for l in r.stdout.splitlines() if "phony" in l]
    if "analysis -o" not in case:
        assert "step = UNLIMITED" in r.stdout
        assert "group: layer_1 {" in r.stdout
        assert "double weights(step, neuron, component)" in r.stdout
    if "analyzed" in case or "analysis -o" in case:
        assert "int64 condensed_orientations(analyzed_step)" in r.stdout
    if "analyzed" in case or "analysis -o" in case:
        assert "double similarity(heatmap_step, row, column)" in r.stdout


def test_xarray_shows_the_documented_shapes(files):
    run = files["tanh1d (adam, analyzed)"]
    with xr.open_dataset(run, engine="h5netcdf", group="layers/layer_1") as ds:
        w = ds["weights"]
        assert w.dims == ("step", "neuron", "component")
        assert list(ds["component"].values) == ["w1", "b"]
        assert w.sel(component="b").shape == (16, 20)
    with xr.open_dataset(run, engine="h5netcdf") as root:
        assert root["train_loss"].dims == ("step",) and root["loss"].dims == ("iteration",)
        assert root["step"].values.tolist() == list(range(0, 301, 20))
        assert root["snapshot"].dims == ("step",) and root["snapshot"].values.tolist() == list(range(16))
    with xr.open_dataset(run, engine="h5netcdf", group="analysis/layer_1") as a:
        assert a["label"].dims == ("analyzed_step", "neuron")
        assert a["cluster_direction"].dims == ("analyzed_step", "cluster", "component")
        assert a["cluster_condensed"].dims == ("analyzed_step", "cluster")
        assert a["heatmap"].dims == ("heatmap_step",)
        assert a["similarity"].sel(heatmap_step=300).dims == ("row", "column")
