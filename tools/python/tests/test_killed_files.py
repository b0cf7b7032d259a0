"""Files a kill left behind, read by every entry point of the package as the committed state.

- A run killed in the middle of a snapshot: the layers' weights and their `step` copies (and the per-snapshot
  scalars) are one row longer than `/step`, which the writer extends last (FORMAT.md). Plain
  `xr.open_datatree` refuses such a file (the layer's `step` is not aligned with the root's) until
  `condense train --resume` cuts it back; `open_run`, `open_analysis`, `plot.Run`, every figure and
  `python -m condense plot all` read the snapshots up to `/step`. Made from a real `condense train` file by
  lengthening those datasets with h5py, as the writer would have (once in plain mode, once by a SWMR writer
  killed with SIGKILL, as a `--live` run is).
- A file of format 1.0 resumed and analyzed again in place: the previous analysis is kept beside the new one as
  `analysis.replaced-1` on the old `snapshot` dimension (31 rows where the run now has 33), so `xr.open_datatree`
  refuses the file; the readers never open `analysis.*` members.
- A killed `condense analyze`: its half-written `analysis.incoming` is not traversed either.
The README's recipe for plain xarray (`xr.open_groups`, cut at `/step`, without `analysis.*`) is run as written.
"""
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest
import xarray as xr

import condense as cpy
from condense import plot
from conftest import EXAMPLES, child_env

SNAPSHOT_DIM = ("step", "snapshot")


def _lengthen(path, swmr=False):
    """Every dataset on the snapshot dimension except /step gets one more row (NaN, or 7 for integers), as a kill
    between the layers' writes and /step leaves the file. With ``swmr`` done by a SWMR writer that is then
    killed, so the file stays marked as open for writing."""
    code = textwrap.dedent(f"""
        import os, signal, h5py, numpy as np
        f = h5py.File({str(path)!r}, "a", libver="latest")
        if {swmr}:
            f.swmr_mode = True
        n = f["step"].shape[0]
        grown = []
        def grow(name, o):
            if (isinstance(o, h5py.Dataset) and name != "step" and name.split("/")[0] not in ("analysis", "optimizer", "data")
                    and o.ndim and o.shape[0] == n and o.maxshape[0] is None):
                o.resize(n + 1, axis=0)
                o[n] = 7 if o.dtype.kind in "iu" else np.nan
                grown.append(name)
        f.visititems(grow)
        for name in ("iteration", "loss"):  # the torn snapshot's per-update losses, appended before its weights
            f[name].resize(f[name].shape[0] + 1, axis=0)
        f.flush()
        print(",".join(grown), flush=True)
        if {swmr}:
            os.kill(os.getpid(), signal.SIGKILL)
        f.close()
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == (-signal.SIGKILL if swmr else 0), r.stderr
    return r.stdout.strip().split(",")


@pytest.fixture(scope="module")
def committed(tmp_path_factory, condense):
    """A two-layer run (11 snapshots), analyzed, written with --live (so that a SWMR writer may reopen it)."""
    path = tmp_path_factory.mktemp("killed") / "base.h5"
    condense("train", "--target", "teacher", "--input-dim", "2", "--hidden", "8,6", "--steps", "100",
             "--snapshots", "every:10", "--n-train", "30", "--n-test", "10", "--seed", "2", "--live", "-q", "-o", path)
    condense("analyze", path)
    return path


@pytest.mark.parametrize("swmr", [False, True], ids=["plain", "swmr-writer-killed"])
def test_a_snapshot_torn_by_a_kill_is_left_out_everywhere(committed, tmp_path, swmr, condense):
    torn = tmp_path / "torn.h5"
    shutil.copy(committed, torn)
    grown = _lengthen(torn, swmr=swmr)
    fresh = shutil.copy(torn, tmp_path / "resumed.h5")  # resumed below (xarray keeps the files it opened locked)
    assert {"layers/layer_1/weights", "layers/layer_1/step", "train_loss"} <= set(grown)
    with h5py.File(committed) as f:
        steps = f["step"][()]
        weights = f["layers/layer_1/weights"][()]
        loss = f["train_loss"][()]
    if not swmr:
        with pytest.raises(ValueError, match="not aligned"):
            xr.open_datatree(torn, engine="h5netcdf")

    run = cpy.open_run(torn)
    assert run["layers/layer_1"]["step"].values.tolist() == steps.tolist()
    np.testing.assert_array_equal(run["layers/layer_1"]["weights"].values, weights)
    np.testing.assert_array_equal(run["train_loss"].values, loss)
    np.testing.assert_array_equal(run["layers/readout"]["weights"].sel(step=100).shape, (1, 7))
    lazy = cpy.open_run(torn, lazy_above=0)  # the weights read on access, cut the same way
    np.testing.assert_array_equal(lazy["layers/layer_2"]["weights"].sel(step=steps[-1]).values,
                                  run["layers/layer_2"]["weights"].values[-1])
    lazy.close()
    analysis = cpy.open_analysis(torn)
    assert analysis["analyzed_step"].values.tolist() == steps.tolist()

    r = plot.Run(torn)
    assert r.count == len(steps) and r.weights("layer_1").shape == weights.shape
    fig = plot.count(r)
    assert all(len(line.get_xdata()) <= len(steps) for line in fig.axes[0].get_lines())
    out = tmp_path / "figures"
    cli = subprocess.run([sys.executable, "-m", "condense", "plot", "all", torn, "--out-dir", out],
                         capture_output=True, text=True, env=child_env())
    assert cli.returncode == 0, cli.stderr
    assert {p.name for p in out.iterdir()} >= {"torn-loss.png", "torn-heatmap-layer_1.png", "torn-count.png",
                                                "torn-layers.png", "torn-evolution.png"}
    if not swmr:
        tree = _readme_recipe(torn)
        np.testing.assert_array_equal(tree["layers/layer_1"]["weights"].values, weights)
    # `train --resume` cuts the torn row off and goes on: plain xarray reads the file again.
    condense("train", "--resume", fresh, "--steps", "120", "-q")
    with xr.open_datatree(fresh, engine="h5netcdf") as resumed:
        assert resumed["layers/layer_1"]["step"].values.tolist() == steps.tolist() + [110, 120]
        np.testing.assert_array_equal(resumed["layers/layer_1"]["weights"].values[:len(steps)], weights)


def _readme_recipe(path):
    """tools/python/README.md, "Files a kill or a re-analysis left", as written there."""
    groups = xr.open_groups(path, engine="h5netcdf")          # every group, without the alignment check
    with h5py.File(path, "r") as f:
        n = f["step"].shape[0]                                  # the committed snapshots
    dim = "step" if "step" in groups["/"].dims else "snapshot"  # format 1.2 / 1.0 and 1.1
    return xr.DataTree.from_dict({name: ds.isel({dim: slice(0, n)}) if dim in ds.dims else ds
                                  for name, ds in groups.items() if not name.startswith("/analysis.")})


def test_an_old_run_analyzed_again_in_place_reads_without_the_replaced_analysis(tmp_path, condense):
    path = tmp_path / "old.h5"
    shutil.copy(EXAMPLES / "tanh-1d.h5", path)
    condense("train", "--resume", path, "--steps", "320", "-q")
    condense("analyze", path)
    with h5py.File(path) as f:
        assert f.attrs["format_version"] == "1.0" and "analysis.replaced-1" in f
        assert f["analysis.replaced-1/snapshot"].shape == (31,) and f["step"].shape == (33,)
    with pytest.raises(ValueError, match="analysis.replaced-1"):
        xr.open_datatree(path, engine="h5netcdf")
    run = cpy.open_run(path)
    assert sorted(run.children) == ["analysis", "data", "layers", "optimizer"]
    assert run["analysis"]["analyzed_step"].values.tolist() == list(range(0, 330, 10))
    assert run["analysis/layer_1"]["kept"].sel(analyzed_step=320).item() == 50
    a = cpy.open_analysis(path)
    assert a["layer_1"]["condensed_orientations"].sizes["analyzed_step"] == 33
    r = plot.Run(path)
    assert r.analysis_steps.tolist() == list(range(0, 330, 10))
    out = tmp_path / "figures"
    cli = subprocess.run([sys.executable, "-m", "condense", "plot", "all", path, "--out-dir", out],
                         capture_output=True, text=True, env=child_env())
    assert cli.returncode == 0, cli.stderr
    assert (out / "old-count.png").exists()
    tree = _readme_recipe(path)
    assert "analysis.replaced-1" not in tree.children and tree["analysis"].dims["snapshot"] == 33


def test_a_killed_analysis_is_left_aside(tmp_path, condense, condense_bin):
    path = tmp_path / "killed-analysis.h5"
    condense("train", "--target", "teacher", "--input-dim", "2", "--hidden", "8", "--steps", "100",
             "--snapshots", "every:10", "--n-train", "30", "--seed", "2", "-q", "-o", path)
    condense("analyze", path)
    r = subprocess.run([str(condense_bin), "analyze", path, "--snapshots", "0,5"],
                       env={**os.environ, "CONDENSE_KILL_AFTER_ANALYZED": "1"}, capture_output=True, text=True)
    assert r.returncode == -signal.SIGKILL
    # The killed analyze held the file without SWMR, so HDF5's "open for writing" mark stays: the package says, in
    # one line, that a condense command clears it (never h5clear, harmful were a writer alive); inspect does.
    with pytest.raises(cpy.CondenseFileError) as refused:
        cpy.open_run(path)
    assert f"condense inspect {path}" in str(refused.value) and "h5clear" not in str(refused.value)
    condense("inspect", path)
    with h5py.File(path, "r") as f:
        assert "analysis.incoming" in f
    run = cpy.open_run(path)
    assert "analysis.incoming" not in run.children
    assert run["analysis"]["analyzed_step"].values.tolist() == list(range(0, 110, 10))
    assert plot.Run(path).analysis_steps.tolist() == list(range(0, 110, 10))
