"""Reading condense files into xarray: run files, analysis files, sweep summaries, propagation files.

The layouts are Sources/RunFormat/FORMAT.md. Since format 1.2 the files carry what a reader selects by, and
``xr.open_dataset(path, group=..., engine="h5netcdf")`` / ``xr.open_datatree`` read them as they are:

- the run's snapshot dimension is ``step``, indexed by the training steps (``.sel(step=100)``), every group
  with snapshot data carrying its own copy of that coordinate;
- ``/analysis`` has its own dimension, ``analyzed_step`` (the steps of the analyzed snapshots, a subset when
  ``analyze --snapshots`` chose some), with ``snapshot`` (the run-file index) along it; the stored heat maps lie
  on ``heatmap_step``; the initial stage's bounds have ``initial_stage_*_step``;
- the configuration JSON is the options as typed (``"snapshots": "every:10"``, ``"loss": "half-sum"``).

These readers give the same views of files of format 1.0 and 1.1, which store none of that: there they rename
the dimensions, build the coordinates from ``/step`` and clean Swift's encoding of the configuration
(``{"every": {"_0": 10}}`` -> ``"every:10"``, ``halfSum`` -> ``"half-sum"``, see `clean_config`).

Files being written by ``condense train --live`` (HDF5 SWMR) are opened as SWMR readers and read up to the last
complete snapshot (the writer extends ``/step`` last, so a snapshot counts once ``/step`` has it).
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import h5py
import numpy as np
import xarray as xr
from xarray.backends import BackendArray
from xarray.core import indexing

__all__ = ["open_run", "open_analysis", "open_summary", "open_propagation", "open_h5", "clean_config",
           "run_config", "CondenseFileError", "STEP", "ANALYZED"]

STEP = "step"  # the run's snapshot dimension (format 1.2; `snapshot` before), indexed by the training steps
ANALYZED = "analyzed_step"  # the analysis' own snapshot dimension (format 1.2; the package's view of older files)
LAZY_BYTES = 64 * 2 ** 20  # open_run reads larger datasets (the weights of wide, deep, long runs) on access


class CondenseFileError(ValueError):
    """A file that is missing, not HDF5, not the kind of condense file asked for, or being written unreadably.
    The message is one line naming the file."""


# ---------------------------------------------------------------------------------------------------------------
# Opening HDF5 safely
def open_h5(path) -> h5py.File:
    """The file read-only with h5py. A file in SWMR write mode (every ``condense train`` run while it trains, or
    one whose writer was killed) is opened as a SWMR reader, which sees every flushed snapshot; plain readers
    cannot open it. Never clears the file's consistency flags: that would be harmful while a writer is active.
    """
    path = Path(path)
    if path.is_dir():
        raise CondenseFileError(f"{path}: a directory, not a file")
    if not path.exists():
        raise CondenseFileError(f"{path}: no such file")
    try:
        return h5py.File(path, "r")
    except OSError as plain:
        # HDF5's own text suggests h5clear, which would corrupt a file whose writer is still running: drop it.
        first = re.sub(r"\s*\(may use <h5clear file>[^)]*\)", "", str(plain).splitlines()[0])
        try:
            return h5py.File(path, "r", swmr=True)
        except OSError:
            pass
        if not h5py.is_hdf5(path):
            raise CondenseFileError(f"{path}: not an HDF5 file ({first})") from None
        raise CondenseFileError(
            f"{path}: another process is writing it without SWMR ({first}); runs that `condense train` writes are "
            "read while they train, other writers' files (an in-place `condense analyze`, a resumed run of a format "
            "before SWMR) once the writer finishes; if its writer was killed, any condense command on it (`condense "
            f"inspect {path}`) clears the mark, once no writer holds the file") from None


def _kind(f: h5py.File) -> str:
    return str(f.attrs.get("format", ""))


def _require(f: h5py.File, path, kinds, what):
    kind = _kind(f)
    if kind not in kinds:
        found = f"format {kind!r}" if kind else "no format attribute"
        hint = {"condense.sweep_summary": "open it with condense.open_summary",
                "condense-propagate": "open it with condense.open_propagation",
                "condense.analysis": "open it with condense.open_analysis",
                "condense.run": "open it with condense.open_run"}.get(kind, "")
        raise CondenseFileError(f"{path}: not {what} ({found}{'; ' + hint if hint else ''})")
    version = str(f.attrs.get("format_version", "1.0"))
    if not version.startswith("1."):
        raise CondenseFileError(f"{path}: format version {version}; this reader knows 1.x")


# ---------------------------------------------------------------------------------------------------------------
# h5py group -> xarray Dataset
def _values(ds: h5py.Dataset, limit: int | None = None):
    data = ds[:limit] if (limit is not None and ds.ndim >= 1) else ds[()]
    if ds.dtype.kind == "O" or h5py.check_string_dtype(ds.dtype) is not None:
        data = ds.asstr()[:limit] if (limit is not None and ds.ndim >= 1) else ds.asstr()[()]
        data = np.asarray(data, dtype=object).astype(str)
    return data


def _dims(ds: h5py.Dataset, fallback: str) -> tuple[str, ...]:
    names = []
    for i, dim in enumerate(ds.dims):
        label = dim.label
        if not label and len(dim):
            label = dim[0].name.rsplit("/", 1)[-1]
        names.append(label or f"{fallback}_dim{i}")
    return tuple(names)


def _attrs(obj) -> dict:
    out = {}
    for k, v in obj.attrs.items():
        if k in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Netcdf4Dimid", "_Netcdf4Coordinates"):
            continue
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace")
        elif isinstance(v, np.ndarray) and v.dtype.kind in "OS":
            v = [x.decode() if isinstance(x, bytes) else str(x) for x in v.tolist()]
        elif isinstance(v, np.generic):
            v = v.item()
        out[k] = v
    return out


class _LazyDataset(BackendArray):
    """An h5py dataset read on access (basic indexing: one snapshot of a 10 GB weights dataset reads one
    snapshot), its first dimension cut to ``rows`` (the complete snapshots of a file being written)."""

    def __init__(self, ds: h5py.Dataset, rows: int | None):
        self.ds = ds
        self.shape = ((rows,) + ds.shape[1:]) if rows is not None and ds.ndim else ds.shape
        self.dtype = ds.dtype

    def __getitem__(self, key):
        return indexing.explicit_indexing_adapter(key, self.shape, indexing.IndexingSupport.BASIC, self._read)

    def _read(self, key):
        return np.asarray(self.ds[key])


def _group_dataset(g: h5py.Group, snapshots: int | None, rename: dict[str, str], lazy_above: float = math.inf,
                   demote=()) -> xr.Dataset:
    """The datasets of one group (not its subgroups) as one xarray Dataset: dimension scales become
    coordinates (those named in ``demote``: data variables), everything else data variables. Datasets over
    ``step`` (after ``rename``) are cut to ``snapshots`` rows (the complete snapshots of a file being written).
    Numeric datasets above ``lazy_above`` bytes are read on access (the file must stay open)."""
    coords, data = {}, {}
    for name, obj in g.items():
        if not isinstance(obj, h5py.Dataset):
            continue
        scale = h5py.h5ds.is_scale(obj.id)
        dims = tuple(rename.get(d, d) for d in ((name,) if scale else _dims(obj, name)))
        limit = snapshots if (snapshots is not None and dims[:1] == (STEP,)) else None
        lazy = (not scale and obj.dtype.kind in "fiub" and obj.size * obj.dtype.itemsize > lazy_above)
        values = indexing.LazilyIndexedArray(_LazyDataset(obj, limit)) if lazy else _values(obj, limit)
        var = xr.Variable(dims, values, attrs={k: v for k, v in _attrs(obj).items() if k != "_FillValue"})
        if scale and name not in demote:
            coords[rename.get(name, name)] = var
        else:
            data[name] = var
    return xr.Dataset(data, coords=coords, attrs=_attrs(g))


def _stores_steps(f: h5py.File) -> bool:
    """Format 1.2 and later: /step is the scale of the snapshot dimension (named ``step``)."""
    return "step" in f and bool(h5py.h5ds.is_scale(f["step"].id))


def _snapshot_count(f: h5py.File) -> int | None:
    """Complete snapshots: the length of /step (written last of each snapshot), refreshed for SWMR readers."""
    if "step" not in f:
        return None
    if f.swmr_mode:
        for name in ("step", "snapshot"):
            if name in f:
                f[name].refresh()
    return int(f["step"].shape[0])


def _is_aside(name: str) -> bool:
    """A root member that `condense analyze` put aside (FORMAT.md, "/analysis"): ``analysis.replaced-<k>`` (the
    previous analysis, deleted by the next in-place analysis), ``analysis.incoming`` / ``analysis.discarded-<k>``
    (what a killed analysis left, possibly half-written). Readers never open them."""
    return name.startswith("analysis.")


def _visit_run(f: h5py.File, visitor):
    """``visitor(name, object)`` for every object under the root's members except those put aside (which may
    be half-written: not even traversed)."""
    for name in sorted(f):  # in name order, as h5py.Group.visititems visits
        if _is_aside(name):
            continue
        obj = f[name]
        visitor(name, obj)
        if isinstance(obj, h5py.Group):
            obj.visititems(lambda sub, o, top=name: visitor(f"{top}/{sub}", o))


def _refresh_all(f: h5py.File):
    if f.swmr_mode:
        _visit_run(f, lambda _, o: o.refresh() if isinstance(o, h5py.Dataset) else None)


def _analysis_tree_parts(f: h5py.File, prefix: str) -> dict[str, xr.Dataset]:
    """/analysis and its layer groups keyed by tree path, over the analysis' own dimension ``analyzed_step``
    (indexed by the analyzed snapshots' steps) with ``snapshot``, the run-file snapshot index, along it; heat
    maps over ``heatmap_step`` with ``heatmap`` (their run-file snapshot indices) along it; each layer's
    attributes with ``initial_stage_start_step`` / ``initial_stage_end_step``. An analysis written before format
    1.2 (dimensions ``snapshot`` and ``heatmap``, their scales run-file indices) is shown the same way."""
    a = f["analysis"]
    stored = ANALYZED in a  # written since format 1.2
    rename = {} if stored else {"snapshot": ANALYZED, "heatmap": "heatmap_step"}
    top = _group_dataset(a, None, rename, demote=("snapshot",))
    if stored:
        step = top[ANALYZED].values.astype(np.int64)
    else:
        count = top.sizes.get(ANALYZED, 0)
        step = (top["step"].values if "step" in top else np.arange(count)).astype(np.int64)
        top = top.assign_coords({ANALYZED: step})
    # /analysis/step repeats analyzed_step for h5py readers; in a DataTree the run's `step` coordinate takes its
    # place, so it is left out.
    top = top.drop_vars("step", errors="ignore")
    run_snapshot = top["snapshot"].values.astype(np.int64) if "snapshot" in top else np.arange(len(step))
    position_of = {int(s): i for i, s in enumerate(run_snapshot)}

    def steps_of(positions):
        return np.array([step[position_of[int(s)]] if int(s) in position_of else -1 for s in positions],
                        dtype=np.int64)

    parts = {prefix or "/": top}
    for name, g in a.items():
        if not isinstance(g, h5py.Group):
            continue
        ds = _group_dataset(g, None, rename, demote=("heatmap",))
        if not stored:
            if ANALYZED in ds.dims:
                ds = ds.assign_coords({ANALYZED: step})
            if "heatmap" in ds:
                ds = ds.assign_coords(heatmap_step=steps_of(ds["heatmap"].values))
        for key in ("initial_stage_start", "initial_stage_end"):
            if f"{key}_step" not in ds.attrs:
                pos = int(ds.attrs.get(key, -1))
                ds.attrs[f"{key}_step"] = int(step[pos]) if 0 <= pos < len(step) else -1
        parts[f"{prefix}/{name}"] = ds
    return parts


def open_run(path, lazy_above: float = LAZY_BYTES) -> xr.DataTree:
    """A run file (`condense train`, `RunRecorder`) as an xarray DataTree, as ``xr.open_datatree(path,
    engine="h5netcdf")`` gives a file of format 1.2, for files of every format version and while a ``--live``
    run trains.

    Nodes: ``/`` (per-snapshot scalars over ``step``, ``loss`` per update over ``iteration``),
    ``layers/<layer>`` (``weights`` over (step, neuron, component)), ``data/train``, ``data/test``,
    ``optimizer`` and, when analyzed, ``analysis`` and ``analysis/<layer>`` (over ``analyzed_step``). The
    snapshot dimension ``step`` is indexed by the training steps, ``snapshot`` (0, 1, …) lies along it::

        run = condense.open_run("run.h5")
        w = run["layers/layer_1"]["weights"].sel(step=100)          # (neuron, component)
        run["analysis/layer_1"]["condensed_orientations"].sel(analyzed_step=100)

    ``run.attrs["config"]`` is the configuration as options (a dict, see `clean_config`),
    ``run.attrs["config_json"]`` the stored text. A file being written with ``--live`` is read up to its last
    complete snapshot.

    Datasets larger than ``lazy_above`` bytes (default 64 MiB: the weights of wide or long runs) are read when
    indexed, so ``.sel(step=…)`` reads one snapshot; the file then stays open until ``run.close()``. Everything
    else is in memory and the file is closed on return (``lazy_above=math.inf``: all in memory).
    """
    f = open_h5(path)
    try:
        tree = _run_tree(f, path, lazy_above)
    except BaseException:
        f.close()
        raise
    if any(isinstance(v.variable._data, indexing.LazilyIndexedArray)
           for node in tree.subtree for v in node.to_dataset(inherit=False).data_vars.values()):
        tree.set_close(f.close)
    else:
        f.close()
    return tree


def _run_tree(f: h5py.File, path, lazy_above) -> xr.DataTree:
    _require(f, path, ("condense.run",), "a condense run file")
    _refresh_all(f)
    n = _snapshot_count(f)
    stored = _stores_steps(f)
    # Before format 1.2 the snapshot dimension was `snapshot` (its scale 0, 1, …) with `step` along it.
    rename = {} if stored else {"snapshot": STEP}
    parts = {}
    if stored:
        root = _group_dataset(f, n, rename, lazy_above)
    else:
        root = _group_dataset(f, n, rename, lazy_above, demote=("snapshot",))
        if "step" in root:
            root = root.drop_vars("step").assign_coords({STEP: root["step"].values.astype(np.int64)})
    steps = root[STEP].values if STEP in root else None
    attrs = dict(root.attrs)
    if "config" in attrs:
        attrs["config_json"] = attrs["config"]
        attrs["config"] = clean_config(attrs["config"])
    root.attrs = attrs
    parts["/"] = root

    def visit(name, obj):
        if isinstance(obj, h5py.Group) and not name.startswith("analysis"):
            ds = _group_dataset(obj, n, rename, lazy_above)
            if STEP in ds.dims and STEP not in ds.coords and steps is not None:
                ds = ds.assign_coords({STEP: steps})
            parts["/" + name] = ds
    _visit_run(f, visit)
    if "analysis" in f:
        parts.update(_analysis_tree_parts(f, "/analysis"))
    return xr.DataTree.from_dict(parts)


def open_analysis(path) -> xr.DataTree:
    """The ``/analysis`` group of a run file, or of a file written by ``condense analyze -o``, as a DataTree
    rooted at the analysis: ``open_analysis(p)["layer_1"]["condensed_orientations"].sel(analyzed_step=100)``.

    The snapshot dimension is ``analyzed_step`` (indexed by the analyzed snapshots' steps), with ``snapshot``
    (the run-file snapshot index) along it, whether the analysis covers every snapshot or a subset."""
    with open_h5(path) as f:
        _require(f, path, ("condense.run", "condense.analysis"), "a run or analysis file")
        if "analysis" not in f:
            raise CondenseFileError(f"{path}: no /analysis group: run `condense analyze {path}` first")
        _refresh_all(f)
        parts = _analysis_tree_parts(f, "")
        parts["/"].attrs = {**_attrs(f), **parts["/"].attrs}
        if "options" in parts["/"].attrs:
            try:
                parts["/"].attrs["options"] = json.loads(parts["/"].attrs["options"])
            except ValueError:
                pass
    return xr.DataTree.from_dict(parts)


def _summary_file(path) -> Path:
    path = Path(path)
    if path.is_dir():
        if (path / "summary.h5").exists():
            return path / "summary.h5"
        raise CondenseFileError(f"{path}: no summary.h5 in this directory: run `condense sweep collect {path}`")
    return path


def open_summary(path) -> xr.Dataset:
    """A sweep summary (``condense sweep collect``), given as the file or as its sweep (or reproduce)
    directory: one Dataset indexed by the sweep's axes (seeds last, named ``seed``) and ``layer``, loaded into
    memory. Zipped axes' other options are coordinates along their axis."""
    path = _summary_file(path)
    with open_h5(path) as f:
        _require(f, path, ("condense.sweep_summary",), "a sweep summary")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def open_propagation(path) -> xr.Dataset:
    """A ``condense propagate -o FILE.h5`` file as one Dataset over (model, layer, quantity[, network])."""
    with open_h5(path) as f:
        _require(f, path, ("condense-propagate",), "a `condense propagate` file")
        ds = _group_dataset(f, None, {})
    if "config" in ds.attrs:
        try:
            ds.attrs["config"] = json.loads(ds.attrs["config"])
        except ValueError:
            pass
    return ds


# ---------------------------------------------------------------------------------------------------------------
# The configuration, as typed
_LOSS = {"halfSum": "half-sum", "mean": "mean", "crossEntropy": "cross-entropy"}


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def _enum_text(value):
    """Swift's encoding of an enum case with associated values ({"case": {"_0": v}}, {"case": {}}) -> text."""
    if isinstance(value, dict) and len(value) == 1:
        (case, payload), = value.items()
        if payload == {}:
            return case
        if isinstance(payload, dict) and set(payload) == {"_0"}:
            inner = payload["_0"]
            return f"{case}:{','.join(map(str, inner)) if isinstance(inner, list) else inner}"
    return value


def _one_or_list(values):
    values = list(values)
    return values[0] if values and all(v == values[0] for v in values) else values


def clean_config(config) -> dict:
    """condense's stored configuration (JSON text or dict) as the options of ``condense train`` that give it,
    with the values typed on the command line. Files of format 1.2 store it so (every key but ``derived``, the
    widths the data decided, is an option); older ones store Swift's encoding of ``TrainingConfig``, which is
    converted::

        {"snapshots": {"every": {"_0": 10}}, "loss": "halfSum", "architecture": {"hiddenWidths": [50], ...}}
        -> {"snapshots": "every:10", "loss": "half-sum", "hidden": "50", ...}

    Keys it does not know are kept, in kebab-case, with enum cases turned into text. The result re-runs the
    run: ``condense train`` + ``--key value`` for each entry (lists repeat the option)."""
    raw = json.loads(config) if isinstance(config, (str, bytes)) else dict(config)
    if isinstance(raw.get("derived"), dict) and "architecture" not in raw:  # format 1.2: stored as options
        return {k: v for k, v in raw.items() if k != "derived" and v is not None}
    out: dict = {}
    raw = dict(raw)
    arch = raw.pop("architecture", None)
    if isinstance(arch, dict):
        arch = dict(arch)
        if "hiddenWidths" in arch:
            out["hidden"] = ",".join(str(w) for w in arch.pop("hiddenWidths"))
        if "activations" in arch:
            out["activation"] = _one_or_list(arch.pop("activations"))
        arch.pop("inputDim", None)  # the data decide the input and output widths; no option sets them
        arch.pop("outputDim", None)
        for key, name in (("hiddenBias", "hidden-bias"), ("readoutBias", "readout-bias"), ("residual", "residual"),
                          ("outputScale", "alpha")):
            if key in arch:
                out[name] = arch.pop(key)
        if "dropout" in arch:  # one rate, or the comma-separated rates --dropout takes
            rates = _one_or_list(arch.pop("dropout"))
            out["dropout"] = ",".join(map(str, rates)) if isinstance(rates, list) else rates
        for key, value in arch.items():
            out[_kebab(key)] = _enum_text(value)
    for key, name in (("hiddenInit", "init"), ("readoutInit", "readout-init")):
        if key in raw:
            out[name] = raw.pop(key)
    opt = raw.pop("optimizer", None)
    if isinstance(opt, dict):
        opt = dict(opt)
        kind = opt.pop("kind", "sgd")
        if kind == "sgd" and opt.get("nesterov"):
            kind = "nesterov"
        elif kind == "sgd" and opt.get("momentum", 0):
            kind = "momentum"
        out["optimizer"] = kind
        out["lr"] = opt.pop("lr", None)
        keep = ("beta1", "beta2", "eps") if kind == "adam" else ("momentum",) if kind != "sgd" else ()
        for key in keep:
            if key in opt:
                out[key] = opt[key]
        if opt.get("dampening", 0):  # no option sets it; kept so that nothing stored is lost
            out["dampening"] = opt["dampening"]
        out["weight-decay"] = opt.get("weightDecay", 0)
    schedule = raw.pop("learningRateSchedule", None)
    if schedule is not None:
        if isinstance(schedule, dict) and "stepDecay" in schedule:
            s = schedule["stepDecay"]
            out["lr-schedule"] = f"step(every={s.get('every')},factor={s.get('factor')})"
        else:
            out["lr-schedule"] = _enum_text(schedule)
    if "loss" in raw:
        value = raw.pop("loss")
        out["loss"] = _LOSS.get(value, _kebab(str(value)))
    data = raw.pop("data", None)
    if isinstance(data, dict) and "builtin" in data:
        b = data["builtin"]
        for key, name in (("target", "target"), ("n", "n-train"), ("nTest", "n-test"), ("inputDim", "input-dim")):
            if b.get(key) is not None:
                out[name] = b[key]
    elif isinstance(data, dict) and "file" in data:
        b = data["file"]
        for key, name in (("path", "data"), ("testPath", "test-data"), ("xColumns", "x-cols"),
                          ("yColumns", "y-cols")):
            if b.get(key) is not None:
                out[name] = b[key]
    elif isinstance(data, dict) and "dataset" in data:
        b = data["dataset"]
        for key, name in (("name", "dataset"), ("n", "n-train"), ("nTest", "n-test")):
            if b.get(key) is not None:
                out[name] = b[key]
    elif data is not None:
        out["data"] = _enum_text(data)
    preprocessing = raw.pop("preprocessing", None)
    if isinstance(preprocessing, dict):
        for key, name in (("inputs", "input-scaling"), ("labels", "labels"), ("classes", "classes")):
            if preprocessing.get(key) is not None:
                out[name] = preprocessing[key]
    snapshots = raw.pop("snapshots", None)
    if snapshots is not None:
        text = _enum_text(snapshots)
        if isinstance(text, str):
            text = text.replace("logSpaced:", "log:").replace("explicit:", "list:")
            if text.startswith("everyEpochs:"):
                text = "every:" + text[len("everyEpochs:"):] + "epochs"
        out["snapshots"] = text
    for key, name in (("stopLoss", "stop-loss"), ("batchSize", "batch-size"), ("compression", "compress")):
        if key in raw:
            value = raw.pop(key)
            if value is not None:
                out[name] = value
    for key, value in raw.items():
        out[_kebab(key)] = _enum_text(value)
    return {k: v for k, v in out.items() if v is not None}


def run_config(source) -> dict:
    """The cleaned configuration of a run: from a path, an open_run tree, or configuration JSON text."""
    if isinstance(source, xr.DataTree):
        return dict(source.attrs.get("config", {}))
    if isinstance(source, (str, Path)) and Path(str(source)).exists():
        with open_h5(source) as f:
            text = f.attrs.get("config")
        if text is None:
            raise CondenseFileError(f"{source}: no stored configuration (a file written by other code)")
        return clean_config(text)
    return clean_config(source)
