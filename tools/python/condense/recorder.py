"""Write your own training run into a condense run file, so that `condense analyze` reads it.

The layout is Sources/RunFormat/FORMAT.md (format ``condense.run``, version 1.2): every hidden neuron's input
weight (incoming weights, then the bias) per snapshot under ``/layers/layer_l/weights``, the readout under
``/layers/readout``, per-snapshot scalars and losses in the root group, optional ``/data/train`` and
``/data/test``; every dataset carries named HDF5 dimension scales, and the file is flushed after each snapshot,
so a killed training loop leaves a valid file.

numpy and h5py only; PyTorch is optional (``RunRecorder.for_torch``).

    from condense import RunRecorder
    rec = RunRecorder("mine.h5", widths=[1, 50, 1], activations="tanh", train=(x, y))
    for step in range(steps + 1):
        if step % 10 == 0:
            rec.snapshot(step, weights=[W1, W2], biases=[b1, None], train_loss=loss)
        ...
    rec.close()

Weights are (out, in) matrices, as in PyTorch and in W x + b; pass ``weight_layout="in_out"`` for JAX/flax
kernels, which are (in, out).
"""

from __future__ import annotations

import json
import math
import sys
import time
from datetime import datetime, timezone
from typing import Iterable, Sequence

import h5py
import numpy as np

__all__ = ["RunRecorder", "TorchRunRecorder", "SnapshotSchedule", "canonical_activation", "multiplicity",
           "FORMAT_VERSION"]

FORMAT_NAME = "condense.run"
FORMAT_VERSION = "1.2"  # the layout of FORMAT.md it writes (1.2: the snapshot dimension is `step`, a copy per layer)
CREATOR = "condense-python 0.1.0"
SNAPSHOT_VARIABLES = ["step", "epoch", "wall_time", "train_loss", "test_loss", "learning_rate", "diverged"]
SNAPSHOT_CHUNK = 256
ITERATION_CHUNK = 4096
# A layer's weights share a chunk between snapshots up to 64 KiB (as `condense train` writes them): one snapshot
# of 64 KiB or more per chunk, else as many as fit.
SHARED_CHUNK_BYTES = 64 << 10


def weights_chunk(width, components):
    """Snapshots per chunk of a layer's `weights` (`condense train`'s rule for uncompressed files)."""
    row = width * components * 8
    return 1 if row >= SHARED_CHUNK_BYTES else SHARED_CHUNK_BYTES // row

# p (order of the first non-zero derivative at 0) of condense's built-in activations, as `condense multiplicity`
# prints it; -1 where it is undefined (not differentiable at 0). Expressions are left to `condense analyze`, which
# works p out from the activation when the file says -1.
_MULTIPLICITY = {"tanh": 1, "sigmoid": 1, "softplus": 1, "silu": 1, "gelu": 1, "linear": 1,
                 "xtanh": 2, "x2tanh": 3, "relu": -1}
# PyTorch module class names (lower-cased) and common spellings -> condense's canonical spec.
_ALIASES = {"tanh": "tanh", "sigmoid": "sigmoid", "softplus": "softplus", "silu": "silu", "swish": "silu",
            "gelu": "gelu", "relu": "relu", "identity": "linear", "linear": "linear", "xtanh": "xtanh",
            "x2tanh": "x2tanh", "leakyrelu": "leaky_relu", "leaky_relu": "leaky_relu"}

_STR = h5py.string_dtype("utf-8")


def canonical_activation(name: str) -> str:
    """condense's spelling of an activation: ``Tanh`` -> ``tanh``, ``LeakyReLU(0.01)`` -> ``leaky_relu(0.01)``.

    Anything else (an expression such as ``x^3*tanh(x)``) is returned unchanged; `condense analyze` parses it.
    """
    text = name.strip()
    head, _, rest = text.partition("(")
    key = head.strip().lower()
    if key not in _ALIASES:
        return text
    canon = _ALIASES[key]
    if canon == "leaky_relu":
        slope = rest.rstrip(")").strip() or "0.01"
        if "=" in slope:
            slope = slope.split("=", 1)[1].strip()
        return f"leaky_relu({float(slope):g})"
    if rest:
        raise ValueError(f"activation '{name}': {canon} takes no parameters")
    return canon


def multiplicity(activation: str) -> int:
    """p of a canonical activation spec as condense states it (-1: undefined or left to `condense analyze`)."""
    if activation.startswith("leaky_relu("):
        return -1
    return _MULTIPLICITY.get(activation, -1)


class SnapshotSchedule:
    """condense's snapshot schedules: ``every:K``, ``log:N`` (N log-spaced steps over 1…total) or ``list:0,5,9``.

    Step 0 and the last step are always included, exactly as ``condense train --snapshots``.
    """

    def __init__(self, spec: str, total_steps: int):
        kind, sep, arg = spec.partition(":")
        if not sep:
            raise ValueError(f'snapshot schedule "{spec}" not understood: use every:K, log:N or list:0,5,100')
        total = max(int(total_steps), 0)
        steps = {0, total}
        kind = kind.strip().lower()
        try:
            if kind == "every":
                k = int(arg)
                if k < 1:
                    raise ValueError(f"every:K needs K >= 1 (got {k})")
                steps.update(range(0, total + 1, k))
            elif kind == "log":
                n = int(arg)
                if n < 1:
                    raise ValueError(f"log:N needs N >= 1 (got {n})")
                if total >= 1 and n >= 2:
                    top = math.log(total)
                    for i in range(n):
                        t = _round_half_away(math.exp(top * i / (n - 1)))
                        steps.add(min(max(t, 1), total))
            elif kind == "list":
                listed = [int(s) for s in arg.split(",")]
                if any(s < 0 for s in listed):
                    raise ValueError(f"list: steps must be >= 0 (got {min(listed)})")
                steps.update(s for s in listed if s <= total)
            else:
                raise ValueError(f'snapshot schedule "{spec}" not understood: use every:K, log:N or list:0,5,100')
        except ValueError as e:
            if "not understood" in str(e) or "needs" in str(e) or "must" in str(e):
                raise
            raise ValueError(f'snapshot schedule "{spec}" needs whole numbers: use every:K, log:N or list:0,5,100')
        self.steps = sorted(steps)
        self._set = set(self.steps)

    def __contains__(self, step: int) -> bool:
        return step in self._set

    def __iter__(self):
        return iter(self.steps)


def _round_half_away(x: float) -> int:
    # Swift's .rounded() (schoolbook rounding), not Python's banker's round().
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


class RunRecorder:
    """Records snapshots of a fully connected network into a condense run file.

    Parameters
    ----------
    path: the file to create (refused if it exists, unless ``overwrite``).
    widths: ``[input, hidden_1, …, hidden_L, output]``.
    activations: one activation for every hidden layer, or one per hidden layer (condense's names, PyTorch class
        names such as ``Tanh``, or an expression in x such as ``x^3*tanh(x)``).
    hidden_bias, readout_bias: whether those layers have biases (a disabled bias is stored as a zero column).
    output_scale: α, when the network outputs (1/α)·W_out h.
    residual, dropout: per hidden layer (bools / rates), for the record.
    train, test: optional ``(x, y)`` arrays, (n, input) and (n, output); stored under /data. `condense analyze`
        uses the training data for the p = 1 predicted direction.
    loss_kind: ``half_sum`` (1/(2n)·Σ‖f−y‖², the papers') or ``mean`` (PyTorch MSELoss).
    seed, config, command_line: optional provenance (``config`` as a dict or JSON text; it is stored as given).
    weight_layout: ``out_in`` (PyTorch, W x) or ``in_out`` (JAX/flax kernels, x W).
    """

    def __init__(self, path, widths: Sequence[int], activations, *, hidden_bias: bool = True,
                 readout_bias: bool = False, output_scale: float = 1.0, residual=False, dropout=0.0,
                 train=None, test=None, loss_kind: str = "half_sum", seed: int | None = None, config=None,
                 command_line: str | None = None, weight_layout: str = "out_in", overwrite: bool = False,
                 creator: str = CREATOR):
        widths = [int(w) for w in widths]
        if len(widths) < 3 or any(w < 1 for w in widths):
            raise ValueError(f"widths must be [input, hidden..., output] with every width >= 1 (got {widths})")
        depth = len(widths) - 2
        if isinstance(activations, str):
            activations = [activations] * depth
        activations = [canonical_activation(a) for a in activations]
        if len(activations) != depth:
            raise ValueError(f"{len(activations)} activations for {depth} hidden layers")
        if loss_kind not in ("half_sum", "mean"):
            raise ValueError(f"loss_kind must be 'half_sum' or 'mean' (got {loss_kind!r})")
        if weight_layout not in ("out_in", "in_out"):
            raise ValueError(f"weight_layout must be 'out_in' or 'in_out' (got {weight_layout!r})")
        residual = _per_layer(residual, depth, "residual")
        dropout = _per_layer(dropout, depth, "dropout")
        self.path = str(path)
        self.widths = widths
        self.activations = activations
        self.weight_layout = weight_layout
        self.layer_names = [f"layer_{l + 1}" for l in range(depth)] + ["readout"]
        self._has_bias = [bool(hidden_bias)] * depth + [bool(readout_bias)]
        self._pending_losses: list[float] = []
        self._last_step = -1
        self._start = time.monotonic()
        self.snapshot_count = 0
        self.iteration_count = 0

        f = h5py.File(self.path, "w" if overwrite else "w-")
        self._file = f
        f.attrs["format"] = FORMAT_NAME
        f.attrs["format_version"] = FORMAT_VERSION
        f.attrs["creator"] = creator
        f.attrs["command_line"] = " ".join(sys.argv) if command_line is None else command_line
        if config is not None:
            f.attrs["config"] = config if isinstance(config, str) else json.dumps(config)
        if seed is not None:
            f.attrs["seed"] = np.int64(seed)
        f.attrs["status"] = "running"
        f.attrs["status_message"] = ""
        f.attrs["created_utc"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

        # Format 1.2: the snapshot dimension is `step`, whose scale is /step (the training steps), so netCDF readers
        # select by step; /snapshot (0, 1, …) is a variable along it. Each layer group has its own copy of the steps
        # as the scale of its weights (a reader opening one group sees only that group's coordinates).
        step = _index(f, "step", SNAPSHOT_CHUNK)
        snapshot = _growing(f, "snapshot", (), np.int64, SNAPSHOT_CHUNK)
        _attach(snapshot, 0, step)
        self._scalars = {"step": step}
        for name in SNAPSHOT_VARIABLES[1:]:
            dtype = np.uint8 if name == "diverged" else np.float64
            ds = _growing(f, name, (), dtype, SNAPSHOT_CHUNK)
            _attach(ds, 0, step)
            if name.endswith("loss"):
                ds.attrs["loss_kind"] = loss_kind
            self._scalars[name] = ds
        iteration = _index(f, "iteration", ITERATION_CHUNK)
        self._loss = _growing(f, "loss", (), np.float64, ITERATION_CHUNK)
        _attach(self._loss, 0, iteration)
        self._loss.attrs["loss_kind"] = loss_kind
        self._index = {"snapshot": snapshot, "iteration": iteration}

        layers = f.create_group("layers")
        layers.attrs.create("order", self.layer_names, dtype=_STR)
        self._weights = []
        self._layer_steps = []
        for l, name in enumerate(self.layer_names):
            hidden = l < depth
            fan_in, width = widths[l], widths[l + 1]
            g = layers.create_group(name)
            g.attrs["kind"] = "hidden" if hidden else "readout"
            g.attrs["index"] = np.int64(l + 1)
            g.attrs["fan_in"] = np.int64(fan_in)
            g.attrs["width"] = np.int64(width)
            g.attrs["has_bias"] = np.uint8(self._has_bias[l])
            if hidden:
                g.attrs["activation"] = activations[l]
                g.attrs["multiplicity"] = np.int64(multiplicity(activations[l]))
                g.attrs["residual"] = np.uint8(bool(residual[l]))
                g.attrs["dropout"] = np.float64(dropout[l])
            else:
                g.attrs["output_scale"] = np.float64(output_scale)
            row_dim = "neuron" if hidden else "output"
            rows = _scale(g, row_dim, np.arange(width, dtype=np.int64))
            comps = _scale(g, "component", [f"w{i + 1}" for i in range(fan_in)] + ["b"])
            w = _growing(g, "weights", (width, fan_in + 1), np.float64, weights_chunk(width, fan_in + 1))
            layer_step = _index(g, "step", SNAPSHOT_CHUNK)
            self._layer_steps.append(layer_step)
            _attach(w, 0, layer_step)
            _attach(w, 1, rows)
            _attach(w, 2, comps)
            self._weights.append(w)
        if train is not None or test is not None:
            data = f.create_group("data")
            for split, xy in (("train", train), ("test", test)):
                if xy is not None:
                    self._write_data(data.create_group(split), *xy)
        f.flush()

    # ----------------------------------------------------------------------------------------------------------
    @classmethod
    def for_torch(cls, path, model, activations=None, **kwargs) -> "TorchRunRecorder":
        """A recorder for a PyTorch model: its ``nn.Linear`` layers in module order, the last one the readout.

        ``activations`` default to the activation module that follows each hidden ``nn.Linear`` inside the model
        (``nn.Sequential(Linear, Tanh, Linear)``); pass them explicitly (one or one per hidden layer) when the
        model applies functions in ``forward``. Call ``rec.snapshot(step, train_loss=...)`` with no weights.
        """
        return TorchRunRecorder(path, model, activations, **kwargs)

    # ----------------------------------------------------------------------------------------------------------
    def log_loss(self, value: float) -> None:
        """The loss of one optimizer update (call once per step); stored as /loss at the next snapshot."""
        self._pending_losses.append(float(value))

    def snapshot(self, step: int, weights: Sequence, biases: Sequence | None = None, *,
                 train_loss: float = math.nan, test_loss: float = math.nan, epoch: float = math.nan,
                 learning_rate: float = math.nan, wall_time: float | None = None,
                 step_losses: Iterable[float] | None = None, diverged: bool = False) -> None:
        """Appends one snapshot and flushes the file.

        ``weights``: one matrix per layer (hidden layers, then the readout), (out, in) unless the recorder was
        made with ``weight_layout="in_out"``; any array-like (numpy, JAX, torch on the CPU via ``.numpy()``).
        ``biases``: one vector per layer, ``None`` for a layer without bias (or ``biases=None`` for none at all).
        ``step``: optimizer updates done so far (0 = initialization); strictly increasing.
        ``step_losses``: per-update losses since the previous snapshot (else those given to ``log_loss``).
        """
        self._require_open()
        step = int(step)
        if step <= self._last_step:
            raise ValueError(f"snapshot steps must increase: got {step} after {self._last_step}")
        n_layers = len(self.layer_names)
        if len(weights) != n_layers:
            raise ValueError(f"got {len(weights)} weight matrices for {n_layers} layers (hidden layers + readout)")
        biases = [None] * n_layers if biases is None else list(biases)
        if len(biases) != n_layers:
            raise ValueError(f"got {len(biases)} biases for {n_layers} layers (use None for a layer without bias)")
        rows = [self._input_weights(l, w, b) for l, (w, b) in enumerate(zip(weights, biases))]

        losses = self._pending_losses if step_losses is None else [float(v) for v in step_losses]
        if losses:
            start = self.iteration_count
            _append(self._index["iteration"], np.arange(start, start + len(losses), dtype=np.int64))
            _append(self._loss, np.asarray(losses, dtype=np.float64))
            self.iteration_count += len(losses)
        self._pending_losses = []
        # As condense's writer: the snapshot index, the weights with each layer's copy of the step, the scalars,
        # and /step last (readers count snapshots by it, so a torn write never shows half a snapshot).
        _append(self._index["snapshot"], np.array([self.snapshot_count], dtype=np.int64))
        for ds, layer_step, r in zip(self._weights, self._layer_steps, rows):
            _append(ds, r[None])
            _append(layer_step, np.array([step], dtype=np.int64))
        elapsed = time.monotonic() - self._start if wall_time is None else float(wall_time)
        values = {"epoch": epoch, "wall_time": elapsed, "train_loss": train_loss, "test_loss": test_loss,
                  "learning_rate": learning_rate, "diverged": 1 if diverged else 0}
        for name, v in values.items():
            _append(self._scalars[name], np.array([v], dtype=self._scalars[name].dtype))
        _append(self._scalars["step"], np.array([step], dtype=np.int64))
        self.snapshot_count += 1
        self._last_step = step
        self._file.flush()

    def set_status(self, status: str, message: str = "") -> None:
        """Root ``status`` (running, completed, stopped, interrupted, diverged, failed) and a one-line message."""
        allowed = ("running", "completed", "stopped", "interrupted", "diverged", "failed")
        if status not in allowed:
            raise ValueError(f"status must be one of {', '.join(allowed)} (got {status!r})")
        self._require_open()
        self._file.attrs["status"] = status
        self._file.attrs["status_message"] = message
        self._file.flush()

    def close(self, status: str = "completed", message: str = "") -> None:
        """Writes the final status and closes the file (idempotent)."""
        if self._file is None:
            return
        self.set_status(status, message)
        self._file.close()
        self._file = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.close("completed")
        elif issubclass(kind, KeyboardInterrupt):
            self.close("interrupted", "KeyboardInterrupt")
        else:
            self.close("failed", f"{kind.__name__}: {value}".splitlines()[0] if str(value) else kind.__name__)
        return False

    # ----------------------------------------------------------------------------------------------------------
    def _require_open(self):
        if self._file is None:
            raise ValueError(f"{self.path}: the recorder is closed")

    def _input_weights(self, l: int, w, b) -> np.ndarray:
        """(width, fan_in + 1): each row one neuron's incoming weights, then its bias."""
        name, fan_in, width = self.layer_names[l], self.widths[l], self.widths[l + 1]
        given = _array(w)
        want = (width, fan_in) if self.weight_layout == "out_in" else (fan_in, width)
        if given.shape != want:
            raise ValueError(f"{name}: weights have shape {given.shape}, expected {want} ({self.weight_layout})")
        w = given.T if self.weight_layout == "in_out" else given
        out = np.zeros((width, fan_in + 1), dtype=np.float64)
        out[:, :fan_in] = w
        if b is not None:
            if not self._has_bias[l]:
                raise ValueError(f"{name}: a bias was given but the recorder was made without one for this layer")
            b = _array(b).reshape(-1)
            if b.shape != (width,):
                raise ValueError(f"{name}: bias has {b.size} entries, expected {width}")
            out[:, fan_in] = b
        return out

    def _write_data(self, g, x, y):
        x = _array(x)
        y = _array(y)
        x = x.reshape(len(x), -1)
        y = y.reshape(len(y), -1)
        if x.shape[1] != self.widths[0] or y.shape[1] != self.widths[-1] or len(x) != len(y):
            raise ValueError(f"data x {x.shape} / y {y.shape} do not fit widths {self.widths}")
        sample = _scale(g, "sample", np.arange(len(x), dtype=np.int64))
        inputs = _scale(g, "input", [f"x{i + 1}" for i in range(x.shape[1])])
        outputs = _scale(g, "output", [f"y{i + 1}" for i in range(y.shape[1])])
        for name, values, second in (("x", x, inputs), ("y", y, outputs)):
            ds = g.create_dataset(name, data=values, fillvalue=np.nan)
            ds.attrs["_FillValue"] = np.float64(np.nan)
            _attach(ds, 0, sample)
            _attach(ds, 1, second)


class TorchRunRecorder(RunRecorder):
    """`RunRecorder` bound to a PyTorch model; ``snapshot`` reads the weights from its ``nn.Linear`` layers."""

    def __init__(self, path, model, activations=None, **kwargs):
        import torch.nn as nn  # only here: the module works without torch

        modules = list(model.modules())
        linears = [m for m in modules if isinstance(m, nn.Linear)]
        if len(linears) < 2:
            raise ValueError(f"the model has {len(linears)} nn.Linear layers; need at least one hidden and a readout")
        if activations is None:
            activations = []
            for lin in linears[:-1]:
                following = modules[modules.index(lin) + 1:]
                act = next((m for m in following if not isinstance(m, (nn.Linear, nn.Dropout, nn.Sequential))), None)
                if act is None or isinstance(act, nn.Linear):
                    raise ValueError("cannot tell the activation after an nn.Linear: pass activations=[...]")
                activations.append(_torch_activation(act))
        widths = [linears[0].in_features] + [lin.out_features for lin in linears]
        for a, b in zip(linears, linears[1:]):
            if b.in_features != a.out_features:
                raise ValueError(f"nn.Linear layers do not chain: {a.out_features} outputs into {b.in_features} inputs")
        kwargs.setdefault("hidden_bias", all(lin.bias is not None for lin in linears[:-1]))
        kwargs.setdefault("readout_bias", linears[-1].bias is not None)
        super().__init__(path, widths, activations, **kwargs)
        self.linears = linears

    def snapshot(self, step: int, weights=None, biases=None, **kwargs) -> None:
        if weights is None:
            weights = [lin.weight.detach().cpu().double().numpy() for lin in self.linears]
            biases = [None if lin.bias is None else lin.bias.detach().cpu().double().numpy() for lin in self.linears]
        super().snapshot(step, weights, biases, **kwargs)


def _torch_activation(module) -> str:
    name = type(module).__name__
    if name == "LeakyReLU":
        return f"leaky_relu({module.negative_slope:g})"
    if name == "Softplus" and getattr(module, "beta", 1) != 1:
        raise ValueError("Softplus with beta != 1: pass activations explicitly, e.g. 'log(1+exp(2*x))/2'")
    if name == "GELU" and getattr(module, "approximate", "none") != "none":
        raise ValueError("GELU(approximate='tanh') is not condense's gelu: pass activations explicitly")
    canon = canonical_activation(name)
    if canon == name:
        raise ValueError(f"activation module {name} has no condense name: pass activations=[...]")
    return canon


def _per_layer(value, depth, what):
    if isinstance(value, (list, tuple)):
        if len(value) != depth:
            raise ValueError(f"{len(value)} {what} values for {depth} hidden layers")
        return list(value)
    return [value] * depth


def _array(a) -> np.ndarray:
    if hasattr(a, "detach"):  # a torch tensor
        a = a.detach().cpu().numpy()
    return np.asarray(a, dtype=np.float64)


def _index(g, name, chunk):
    ds = g.create_dataset(name, shape=(0,), maxshape=(None,), chunks=(chunk,), dtype=np.int64)
    ds.make_scale(name)
    return ds


def _scale(g, name, values):
    if isinstance(values, list):  # labels: variable-length UTF-8 strings
        ds = g.create_dataset(name, data=np.array(values, dtype=object), dtype=_STR)
    else:
        ds = g.create_dataset(name, data=values)
    ds.make_scale(name)
    return ds


def _growing(g, name, inner, dtype, chunk):
    shape = (0,) + tuple(inner)
    kwargs = {}
    if dtype == np.float64:
        kwargs["fillvalue"] = np.nan
    ds = g.create_dataset(name, shape=shape, maxshape=(None,) + tuple(inner), chunks=(chunk,) + tuple(inner),
                          dtype=dtype, **kwargs)
    if dtype == np.float64:
        ds.attrs["_FillValue"] = np.float64(np.nan)
    return ds


def _attach(ds, dim, scale):
    ds.dims[dim].attach_scale(scale)
    ds.dims[dim].label = scale.name.rsplit("/", 1)[-1]


def _append(ds, rows):
    n = ds.shape[0]
    ds.resize(n + rows.shape[0], axis=0)
    ds[n:] = rows
