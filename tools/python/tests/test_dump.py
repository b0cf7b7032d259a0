"""The dump helper writes files that `condense analyze` reads exactly like those of `condense train`."""
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

from condense import RunRecorder, SnapshotSchedule, canonical_activation

# Attributes whose values legitimately differ between two writers of the same run.
PROVENANCE = {"creator", "command_line", "created_utc", "config"}


def train_numpy_toy(path, activation="tanh", width=30, steps=400, every=20, std=1e-3, lr=2e-3, seed=0,
                    weight_layout="out_in"):
    """1-width-1 network on y = sin 2x + x/2 (40 points of U[-2, 2]), small init, full-batch Adam, numpy only.

    Snapshots every `every` steps through RunRecorder; returns the final training loss.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(40, 1))
    y = np.sin(2 * x) + 0.5 * x
    W = rng.normal(0, std, (width, 1))
    b = rng.normal(0, std, width)
    a = rng.normal(0, std, (1, width))
    sigma, dsigma = {
        "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
        "xtanh": (lambda z: z * np.tanh(z), lambda z: np.tanh(z) + z * (1 - np.tanh(z) ** 2)),
    }[activation]
    params = [W, b, a]
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    n = len(x)
    with RunRecorder(path, widths=[1, width, 1], activations=activation, train=(x, y), seed=seed,
                     weight_layout=weight_layout) as rec:
        for t in range(steps + 1):
            z = x @ W.T + b
            h = sigma(z)
            e = h @ a.T - y
            loss = 0.5 * np.mean(np.sum(e ** 2, axis=1))
            if t % every == 0 or t == steps:
                ws = [W, a] if weight_layout == "out_in" else [W.T, a.T]
                rec.snapshot(t, ws, [b, None], train_loss=loss, learning_rate=lr, epoch=float(t))
            if t == steps:
                return loss
            rec.log_loss(loss)
            grads = [((e @ a) * dsigma(z) / n).T @ x, ((e @ a) * dsigma(z) / n).sum(0), e.T @ h / n]
            for i, (p, g) in enumerate(zip(params, grads)):
                m1[i] = 0.9 * m1[i] + 0.1 * g
                m2[i] = 0.999 * m2[i] + 0.001 * g * g
                p -= lr * (m1[i] / (1 - 0.9 ** (t + 1))) / (np.sqrt(m2[i] / (1 - 0.999 ** (t + 1))) + 1e-8)


@pytest.mark.parametrize("activation, orientations, lines, bound", [("tanh", 2, 1, 2), ("xtanh", 4, 2, 4)])
def test_numpy_toy_condenses_as_the_theory_says(tmp_path, analyze_json, activation, orientations, lines, bound):
    path = tmp_path / f"toy_{activation}.h5"
    final_loss = train_numpy_toy(path, activation)
    assert final_loss < 0.5
    report = analyze_json(path)
    (layer,) = report["layers"]
    assert layer["multiplicity"] == bound // 2
    assert layer["bound"] == bound
    assert layer["snapshots"][0]["verdict"] == "not condensed"  # 30 random directions at initialization
    stage = layer["initial_stage"]
    assert stage["condensed_orientations"] == orientations
    assert stage["condensed_lines"] == lines
    assert stage["verdict"] == "condensed within bound"
    assert [s["step"] for s in layer["snapshots"]] == list(range(0, 401, 20))
    with h5py.File(path, "r") as f:
        assert f.attrs["status"] == "completed"
        assert f["loss"].shape == (400,) and f["iteration"][-1] == 399
        assert f["train_loss"][-1] == pytest.approx(final_loss)


def test_jax_layout_gives_the_same_file_contents(tmp_path):
    train_numpy_toy(tmp_path / "out_in.h5", steps=60)
    train_numpy_toy(tmp_path / "in_out.h5", steps=60, weight_layout="in_out")
    with h5py.File(tmp_path / "out_in.h5") as f, h5py.File(tmp_path / "in_out.h5") as g:
        for name in ("layers/layer_1/weights", "layers/readout/weights", "train_loss", "loss", "step"):
            np.testing.assert_array_equal(f[name][()], g[name][()])


def replay(source, target, **overrides):
    """Reads a condense run with h5py and writes it again through RunRecorder (data, losses, every scalar)."""
    with h5py.File(source, "r") as f:
        order = [str(s) for s in f["layers"].attrs["order"]]
        layers = [f["layers"][name] for name in order]
        hidden = layers[:-1]
        widths = [int(layers[0].attrs["fan_in"])] + [int(g.attrs["width"]) for g in layers]
        data = {}
        for split in ("train", "test"):
            if f.get(f"data/{split}") is not None:
                data[split] = (f[f"data/{split}/x"][()], f[f"data/{split}/y"][()])
        rec = RunRecorder(target, widths, [g.attrs["activation"] for g in hidden],
                          hidden_bias=bool(hidden[0].attrs["has_bias"]),
                          readout_bias=bool(layers[-1].attrs["has_bias"]),
                          output_scale=float(layers[-1].attrs["output_scale"]),
                          residual=[bool(g.attrs["residual"]) for g in hidden],
                          dropout=[float(g.attrs["dropout"]) for g in hidden],
                          loss_kind=str(f["train_loss"].attrs["loss_kind"]), seed=int(f.attrs["seed"]),
                          config=f.attrs.get("config"),
                          train=data.get("train"), test=data.get("test"), **overrides)
        steps = f["step"][()]
        losses = f["loss"][()]
        done = 0
        for s, step in enumerate(steps):
            weights, biases = [], []
            for g in layers:
                w = g["weights"][s]
                weights.append(w[:, :-1])
                biases.append(w[:, -1] if g.attrs["has_bias"] else None)
            rec.snapshot(int(step), weights, biases, train_loss=f["train_loss"][s], test_loss=f["test_loss"][s],
                         epoch=f["epoch"][s], learning_rate=f["learning_rate"][s], wall_time=f["wall_time"][s],
                         step_losses=losses[done:step])
            done = int(step)
        rec.close(str(f.attrs["status"]))


@pytest.mark.parametrize("run", ["tanh1d_run", "deep_run"])
def test_replayed_run_analyzes_exactly_like_condense_train(request, tmp_path, analyze_json, run):
    source = request.getfixturevalue(run)
    target = tmp_path / "replayed.h5"
    replay(source, target)
    ours, theirs = analyze_json(source), analyze_json(target)
    assert ours["layers"] == theirs["layers"]
    assert any(l["initial_stage"] for l in ours["layers"]), "the fixture run should condense somewhere"


def _layout(path, skip=("optimizer", "analysis")):
    """Every group and dataset with what a reader sees of it: dtype, shape, maxshape, chunks, fill value,
    dimension labels and the scale each dimension is attached to, attribute names (values for non-provenance)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if name.split("/")[0] in skip:
                return
            attrs = {}
            for k, v in obj.attrs.items():
                if k in ("DIMENSION_LIST", "REFERENCE_LIST"):
                    continue
                if k in PROVENANCE:
                    v = None
                elif isinstance(v, np.ndarray):
                    v = v.tolist()
                elif isinstance(v, float) and np.isnan(v):
                    v = "nan"
                attrs[k] = (type(v).__name__, v)
            if isinstance(obj, h5py.Dataset):
                dims = [(d.label, [s.name for s in d.values()]) for d in obj.dims]
                fill = obj.fillvalue
                out[name] = ("dataset", str(obj.dtype), obj.shape, obj.maxshape, obj.chunks,
                             "nan" if isinstance(fill, float) and np.isnan(fill) else repr(fill), dims, attrs,
                             h5py.h5ds.is_scale(obj.id))
            else:
                out[name] = ("group", attrs)
        f.visititems(visit)
        root = {k: (None if k in PROVENANCE else v) for k, v in f.attrs.items()}
    return root, out


@pytest.mark.parametrize("run", ["tanh1d_run", "deep_run"])
def test_replayed_file_has_the_layout_of_condense_train(request, tmp_path, run):
    source = request.getfixturevalue(run)
    target = tmp_path / "replayed.h5"
    replay(source, target)
    root_a, a = _layout(source)
    root_b, b = _layout(target)
    assert root_a == root_b
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name
    with h5py.File(source) as f, h5py.File(target) as g:
        for name, obj in f.items():
            if isinstance(obj, h5py.Dataset) and name != "wall_time":
                np.testing.assert_array_equal(obj[()], g[name][()], err_msg=name)
        for name in f["layers"]:
            np.testing.assert_array_equal(f[f"layers/{name}/weights"][()], g[f"layers/{name}/weights"][()])


def test_schedules_match_condense_train(tanh1d_run, deep_run):
    with h5py.File(deep_run) as f:
        assert SnapshotSchedule("log:8", 120).steps == f["step"][()].tolist()
    with h5py.File(tanh1d_run) as f:
        assert SnapshotSchedule("every:20", 300).steps == f["step"][()].tolist()
    assert SnapshotSchedule("list:5,3,900", 10).steps == [0, 3, 5, 10]
    assert 40 in SnapshotSchedule("every:20", 300) and 50 not in SnapshotSchedule("every:20", 300)
    for bad in ("every:0", "often", "log:x", "list:-1"):
        with pytest.raises(ValueError):
            SnapshotSchedule(bad, 10)


def test_every_snapshot_is_flushed_while_the_recorder_is_open(tmp_path, condense_bin):
    path = tmp_path / "live.h5"
    rng = np.random.default_rng(1)
    rec = RunRecorder(path, [2, 6, 1], "tanh")
    for step in (0, 5):
        rec.snapshot(step, [rng.normal(size=(6, 2)), rng.normal(size=(1, 6))], [rng.normal(size=6), None])
    env = dict(os.environ, HDF5_USE_FILE_LOCKING="FALSE")
    script = ("import sys, h5py; f = h5py.File(sys.argv[1], 'r'); "
              "print(f['step'][()].tolist(), f['layers/layer_1/weights'].shape, f.attrs['status'])")
    r = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[0, 5] (2, 6, 3) running"
    r = subprocess.run([str(condense_bin), "analyze", str(path), "--json", "--no-write"], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert '"step" : 5' in r.stdout
    rec.close()


def test_bad_input_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "bad.h5"
    rec = RunRecorder(path, [3, 4, 2], ["Tanh"], readout_bias=True)
    good_w, good_b = [np.ones((4, 3)), np.ones((2, 4))], [np.ones(4), np.ones(2)]
    with pytest.raises(ValueError, match=r"layer_1: weights have shape \(3, 4\), expected \(4, 3\)"):
        rec.snapshot(0, [np.ones((3, 4)), np.ones((2, 4))], good_b)
    with pytest.raises(ValueError, match="readout: bias has 3 entries, expected 2"):
        rec.snapshot(0, good_w, [np.ones(4), np.ones(3)])
    with pytest.raises(ValueError, match="got 1 weight matrices for 2 layers"):
        rec.snapshot(0, good_w[:1], good_b[:1])
    rec.snapshot(0, good_w, good_b)
    with pytest.raises(ValueError, match="steps must increase: got 0 after 0"):
        rec.snapshot(0, good_w, good_b)
    rec.close()
    with h5py.File(path) as f:
        assert f["step"][()].tolist() == [0]  # refused snapshots wrote nothing
        np.testing.assert_array_equal(f["layers/readout/weights"][0], np.ones((2, 5)))
    with pytest.raises(FileExistsError):
        RunRecorder(path, [3, 4, 2], "tanh")
    with pytest.raises(ValueError, match="2 activations for 1 hidden layers"):
        RunRecorder(tmp_path / "x.h5", [3, 4, 2], ["tanh", "relu"])
    with pytest.raises(ValueError, match="loss_kind"):
        RunRecorder(tmp_path / "y.h5", [3, 4, 2], "tanh", loss_kind="sum")


def test_an_exception_in_the_loop_marks_the_file_failed(tmp_path):
    path = tmp_path / "crash.h5"
    with pytest.raises(RuntimeError):
        with RunRecorder(path, [1, 3, 1], "tanh") as rec:
            rec.snapshot(0, [np.ones((3, 1)), np.ones((1, 3))], [np.zeros(3), None])
            raise RuntimeError("loss went to nan")
    with h5py.File(path) as f:
        assert (f.attrs["status"], f.attrs["status_message"]) == ("failed", "RuntimeError: loss went to nan")
        assert f["step"].shape == (1,)


def test_activation_names_map_to_condense_specs():
    assert canonical_activation("Tanh") == "tanh"
    assert canonical_activation("LeakyReLU(negative_slope=0.2)") == "leaky_relu(0.2)"
    assert canonical_activation("Identity") == "linear"
    assert canonical_activation("x^3*tanh(x)") == "x^3*tanh(x)"
