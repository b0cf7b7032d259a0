"""What the figures share: a run file's contents (read once, weights on demand), neuron orderings and
cosine-similarity matrices (blocked for wide layers), activations and the network's forward pass, and the
axis helpers (integer ticks, log-x with step 0, the initial stage shaded)."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

import h5py
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np

from ..read import CondenseFileError, _visit_run, clean_config, open_h5

COSINE_THRESHOLD = 0.95  # condense analyze's default τ, for grouping neurons when a file has no /analysis
HEATMAP_CMAP = "RdBu_r"  # diverging: −1 blue, 0 white, +1 red
STAGE_ALPHA = 0.10


# ---------------------------------------------------------------------------------------------------------------
# A run file
class Run:
    """A run file's small contents in memory; each layer's weights are read when asked for."""

    def __init__(self, path, analysis=None):
        """``path``: a run file, or an analysis file of ``condense analyze -o`` (then its run, named by the
        analysis' ``source``, gives the weights, and the analysis comes from ``path``)."""
        path = Path(path)
        with open_h5(path) as f:
            kind = str(f.attrs.get("format", ""))
            source = str(f["analysis"].attrs.get("source", "")) if kind == "condense.analysis" and "analysis" in f else ""
        if kind == "condense.analysis":
            candidates = [Path(source), path.parent / source, path.parent / Path(source).name] if source else []
            found = next((c for c in candidates if c.is_file()), None)
            if found is None:
                raise CondenseFileError(f"{path}: the analysis of {source or 'an unnamed run'}, which is not there; "
                                        "keep the run file next to it (its figures need the weights)")
            self.__init__(found, analysis=path)
            return
        self.path = path
        self.name = self.path.name
        with open_h5(path) as f:
            if kind != "condense.run":
                hint = {"condense.sweep_summary": "; a sweep summary: use rd-fit, sw-map or grid",
                        "condense-propagate": "; a propagation file: use propagate"}.get(kind, "")
                raise CondenseFileError(f"{path}: not a condense run file (format {kind or 'missing'!r}){hint}")
            if f.swmr_mode:
                _visit_run(f, lambda _, o: o.refresh() if isinstance(o, h5py.Dataset) else None)
            self.live = bool(f.swmr_mode)
            self.steps = f["step"][()].astype(np.int64)
            self.count = len(self.steps)
            self.status = str(f.attrs.get("status", ""))
            self.config = clean_config(f.attrs["config"]) if "config" in f.attrs else {}
            self.order = [str(s) for s in f["layers"].attrs.get("order", sorted(f["layers"]))]
            self.layer_attrs = {n: dict(f["layers"][n].attrs) for n in self.order}
            self.hidden = [n for n in self.order if self.layer_attrs[n].get("kind", "hidden") == "hidden"]
            self.shapes = {n: f["layers"][n]["weights"].shape[1:] for n in self.order}
            self.scalars = {k: f[k][: self.count] for k in ("train_loss", "test_loss") if k in f}
            self.loss_kind = str(f["train_loss"].attrs.get("loss_kind", "")) if "train_loss" in f else ""
            self.loss = f["loss"][()] if "loss" in f else np.zeros(0)
            self.iteration = f["iteration"][()] if "iteration" in f else np.arange(len(self.loss))
            self.data = {}
            for split in ("train", "test"):
                if f"data/{split}/x" in f:
                    self.data[split] = (f[f"data/{split}/x"][()], f[f"data/{split}/y"][()])
        self.analysis = {}
        self.analyzed = np.zeros(0, dtype=np.int64)
        self.analysis_steps = np.zeros(0, dtype=np.int64)
        self.analysis_path = Path(analysis) if analysis is not None else self.path
        with open_h5(self.analysis_path) as f:
            if "analysis" in f:
                a = f["analysis"]
                self.analyzed = a["snapshot"][()].astype(np.int64)
                # The analysis' own steps: a resume may have cut the run below snapshots analyzed before.
                self.analysis_steps = a["step"][()].astype(np.int64) if "step" in a else self.steps[self.analyzed]
                for layer in self.hidden:
                    if layer in a:
                        self.analysis[layer] = _AnalysisGroup(self.analysis_path, f"analysis/{layer}", a[layer])
        self.position = {int(s): i for i, s in enumerate(self.analyzed)}

    def require_layer(self, layer):
        if layer not in self.hidden:
            raise CondenseFileError(f"{self.path}: no hidden layer '{layer}' (has {', '.join(self.hidden)})")
        return layer

    def weights(self, layer, index=slice(None)) -> np.ndarray:
        """(snapshot, neuron, component) or, for one index, (neuron, component)."""
        with open_h5(self.path) as f:
            ds = f["layers"][layer]["weights"]
            if f.swmr_mode:
                ds.refresh()
            if isinstance(index, slice):
                index = slice(*index.indices(self.count))
            return ds[index]

    def activation(self, layer) -> str:
        return str(self.layer_attrs[layer].get("activation", "?"))

    def multiplicity(self, layer) -> int:
        a = self.analysis.get(layer, {}).get("attrs", {})
        p = int(a.get("multiplicity", self.layer_attrs[layer].get("multiplicity", -1)))
        return p

    def describe(self, layer) -> str:
        """'layer_1 · tanh (p = 1) · 50 neurons'."""
        p = self.multiplicity(layer)
        return (f"{layer} · {self.activation(layer)} ({'p = ' + str(p) if p > 0 else 'p undefined'}) · "
                f"{self.shapes[layer][0]} neurons")

    def snapshot_of_step(self, step) -> int:
        hits = np.flatnonzero(self.steps == int(step))
        if not len(hits):
            near = self.steps[np.argsort(np.abs(self.steps - int(step)))[:3]]
            raise CondenseFileError(f"{self.path}: no snapshot at step {step} (nearest: "
                                    f"{', '.join(map(str, sorted(near.tolist())))})")
        return int(hits[0])

    def resolve(self, steps=None, snapshots=None, default=None) -> list[int]:
        """Snapshot indices from steps (training steps) or snapshots (indices, negative from the end)."""
        if steps is not None and snapshots is not None:
            raise ValueError("give steps or snapshots, not both")
        if steps is not None:
            return [self.snapshot_of_step(s) for s in np.atleast_1d(steps)]
        if snapshots is not None:
            out = []
            for s in np.atleast_1d(snapshots):
                s = int(s)
                if not -self.count <= s < self.count:
                    raise CondenseFileError(f"{self.path}: snapshot {s} out of range (the file has {self.count}: "
                                            f"0…{self.count - 1})")
                out.append(s % self.count)
            return out
        return list(default) if default is not None else [0, (self.count - 1) // 2, self.count - 1]

    def stored(self, layer, key, snapshot):
        """An /analysis value of `layer` at run snapshot `snapshot`, or None when that snapshot was not analyzed."""
        a = self.analysis.get(layer)
        if a is None or key not in a or snapshot not in self.position:
            return None
        return a.row(key, self.position[snapshot])

    def initial_stage(self, layer):
        """(first step, last step, settled count) of the layer's initial stage, or None."""
        a = self.analysis.get(layer)
        if not a:
            return None
        attrs = a["attrs"]
        start, end = int(attrs.get("initial_stage_start", -1)), int(attrs.get("initial_stage_end", -1))
        if not (0 <= start <= end < len(self.analysis_steps)):
            return None
        return int(self.analysis_steps[start]), int(self.analysis_steps[end]), int(attrs.get("initial_orientations", 0))


class _AnalysisGroup(Mapping):
    """One /analysis/<layer> group: its attributes (``["attrs"]``) and datasets, each read on first use, single
    rows (one snapshot's labels of a wide layer) without reading the whole dataset."""

    def __init__(self, path, name, group):
        self._path, self._name = path, name
        self._keys = [k for k, v in group.items() if isinstance(v, h5py.Dataset)] + ["attrs"]
        self._cache = {"attrs": dict(group.attrs)}

    def __getitem__(self, key):
        if key not in self._cache:
            if key not in self._keys:
                raise KeyError(key)
            with open_h5(self._path) as f:
                ds = f[self._name][key]
                self._cache[key] = ds.asstr()[()] if h5py.check_string_dtype(ds.dtype) else ds[()]
        return self._cache[key]

    def row(self, key, position):
        if key in self._cache:
            return self._cache[key][position]
        with open_h5(self._path) as f:
            ds = f[self._name][key]
            return ds.asstr()[position] if h5py.check_string_dtype(ds.dtype) else ds[position]

    def __contains__(self, key):  # Mapping's default would read the dataset
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)


def as_run(source) -> Run:
    return source if isinstance(source, Run) else Run(source)


# ---------------------------------------------------------------------------------------------------------------
# Orderings and similarity
def unit_rows(w: np.ndarray):
    """Rows scaled to unit length; rows that are non-finite or zero are NaN. Returns (units, valid)."""
    w = np.asarray(w, dtype=np.float64)
    norms = np.linalg.norm(w, axis=1)
    valid = np.isfinite(w).all(axis=1) & (norms > 0)
    u = np.full_like(w, np.nan)
    u[valid] = w[valid] / norms[valid, None]
    return u, valid


def greedy_labels(w: np.ndarray, threshold=COSINE_THRESHOLD) -> np.ndarray:
    """Cluster labels without condense analyze: the neuron with most neighbours (cos > threshold) and its
    neighbours form a cluster, and so on; lone neurons −1, invalid ones −2. For files without /analysis."""
    u, valid = unit_rows(w)
    labels = np.full(len(w), -2)
    idx = np.flatnonzero(valid)
    if len(idx) > 6000:
        raise CondenseFileError(f"{len(idx)} neurons: too many to group without condense analyze; "
                                "run `condense analyze` on the file for its cluster labels")
    cos = u[idx] @ u[idx].T
    remaining = np.ones(len(idx), dtype=bool)
    cluster = 0
    while remaining.any():
        near = (cos > threshold) & remaining[None, :] & remaining[:, None]
        best = int(np.argmax(near.sum(axis=1)))
        members = np.flatnonzero(near[best])
        labels[idx[members]] = cluster if len(members) > 1 else -1
        cluster += len(members) > 1
        remaining[members] = False
    return labels


def cluster_order(labels: np.ndarray):
    """Neuron order: clustered neurons by cluster, then unclustered (−1), then left-out (< −1), each in index
    order; and the boundaries (positions where the group changes, plus 0 and n)."""
    labels = np.asarray(labels)
    key = np.where(labels >= 0, labels, np.where(labels == -1, 10 ** 9, 10 ** 9 + 1))
    order = np.lexsort((np.arange(len(labels)), key))
    sorted_key = key[order]
    bounds = [0] + [i for i in range(1, len(order)) if sorted_key[i] != sorted_key[i - 1]] + [len(order)]
    return order, np.asarray(bounds)


def similarity_matrix(weights: np.ndarray, labels: np.ndarray | None = None):
    """Cosine similarity of the rows (input weights) in cluster order: (matrix, order). Without labels, neurons
    are grouped with `greedy_labels`. NaN rows for left-out neurons."""
    labels = greedy_labels(weights) if labels is None else labels
    order, _ = cluster_order(labels)
    u, _ = unit_rows(np.asarray(weights)[order])
    return np.clip(u @ u.T, -1, 1), order


def blocked_similarity(weights: np.ndarray, order: np.ndarray, block: int) -> np.ndarray:
    """Mean cosine similarity between consecutive blocks of `block` neurons in `order` (block = 1: the plain
    matrix). The mean of u_i·u_j over two blocks is (mean of the block's u)·(mean of the other's), so a layer
    of any width costs O(width · inputs), never width². Blocks without a valid neuron are NaN."""
    u, valid = unit_rows(np.asarray(weights)[order])
    if block <= 1:
        return np.clip(u @ u.T, -1, 1)
    n = len(order)
    groups = math.ceil(n / block)
    means = np.full((groups, u.shape[1]), np.nan)
    for g in range(groups):
        rows = slice(g * block, min(n, (g + 1) * block))
        ok = valid[rows]
        if ok.any():
            means[g] = u[rows][ok].mean(axis=0)
    return np.clip(means @ means.T, -1, 1)


# ---------------------------------------------------------------------------------------------------------------
# Activations and the forward pass (for the output and direction-field figures)
def _sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


def _erf(z):
    from math import erf
    return np.vectorize(erf, otypes=[float])(z)


_FUNCTIONS = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos, "tan": np.tan,
              "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "sigmoid": _sigmoid,
              "softplus": lambda z: np.logaddexp(0, z), "abs": np.abs, "relu": lambda z: np.maximum(z, 0),
              "erf": _erf, "atan": np.arctan, "sign": np.sign, "step": lambda z: (z > 0).astype(float)}
_BUILTIN = {"tanh": "tanh(x)", "sigmoid": "sigmoid(x)", "softplus": "softplus(x)", "silu": "x*sigmoid(x)",
            "gelu": "x*(1+erf(x/sqrt(2)))/2", "xtanh": "x*tanh(x)", "x2tanh": "x^2*tanh(x)", "linear": "x",
            "relu": "relu(x)"}
# (p, leading Taylor coefficient c) with σ(z) − σ(0) ≈ c z^p, as `condense multiplicity` prints them.
TAYLOR = {"tanh": (1, 1.0), "sigmoid": (1, 0.25), "softplus": (1, 0.5), "silu": (1, 0.5), "gelu": (1, 0.5),
          "xtanh": (2, 1.0), "x2tanh": (3, 1.0), "linear": (1, 1.0)}


def activation_function(spec: str):
    """σ as a numpy function from condense's canonical spec (built-ins, leaky_relu(s), expr:… in x)."""
    spec = spec.strip()
    if spec.startswith("leaky_relu"):
        slope = float(spec[spec.index("(") + 1: spec.rindex(")")]) if "(" in spec else 0.01
        return lambda z: np.where(z > 0, z, slope * z)
    text = _BUILTIN.get(spec, spec[5:] if spec.startswith("expr:") else spec)
    code = compile(text.replace("^", "**"), f"<activation {spec}>", "eval")
    allowed = set(_FUNCTIONS) | {"x", "pi", "e"}
    unknown = [n for n in code.co_names if n not in allowed]
    if unknown:
        raise ValueError(f"activation '{spec}': unknown name(s) {', '.join(unknown)}")

    def sigma(z):
        with np.errstate(all="ignore"):
            return np.asarray(eval(code, {"__builtins__": {}}, {**_FUNCTIONS, "x": z, "pi": np.pi, "e": np.e}),
                              dtype=np.float64) * np.ones_like(z)
    return sigma


def derivative(sigma, z, h=1e-5):
    return (sigma(z + h) - sigma(z - h)) / (2 * h)


def forward(run: Run, snapshot: int, x: np.ndarray):
    """The network's output at `snapshot` for inputs x (n, inputs), as condense's trainer computes it
    (FORMAT.md: x^l = σ(W^l (x^{l−1}, 1)) (+ x^{l−1} when residual); f = (1/α) W_out (x^L, 1))."""
    h = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    for layer in run.hidden:
        w = run.weights(layer, snapshot)
        z = h @ w[:, :-1].T + w[:, -1]
        out = activation_function(run.activation(layer))(z)
        if int(run.layer_attrs[layer].get("residual", 0)) and out.shape == h.shape and layer != run.hidden[0]:
            out = out + h
        h = out
    readout = run.order[-1]
    w = run.weights(readout, snapshot)
    alpha = float(run.layer_attrs[readout].get("output_scale", 1.0))
    return (h @ w[:, :-1].T + w[:, -1]) / alpha


# ---------------------------------------------------------------------------------------------------------------
# Axes
def integer_ticks(axis, nbins=6):
    axis.set_major_locator(mticker.MaxNLocator(nbins=nbins, integer=True))


def step_axis(ax, steps, logx=False):
    """x = training step; with logx a symmetric-log axis, linear below the first positive step, so step 0
    stays on the axis and the early snapshots (the initial stage) get room."""
    ax.set_xlabel("step")
    positive = np.asarray(steps)[np.asarray(steps) > 0]
    if logx and len(positive):
        ax.set_xscale("symlog", linthresh=float(positive.min()), linscale=0.3)
        ax.set_xlim(left=0)
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    else:
        integer_ticks(ax.xaxis)


def shade_stage(ax, stage, color="0.5", label=None):
    """The initial stage (first, last step) as a shaded band."""
    if stage is None:
        return None
    return ax.axvspan(stage[0], stage[1], color=color, alpha=STAGE_ALPHA, lw=0, label=label)


def log_y(ax):
    """Log y, called after the data are drawn: over less than two decades ticks at 1, 2, 5 × 10^k written as
    plain numbers (0.2, 0.5, 1); over more, labelled decades."""
    ax.set_yscale("log")
    lo, hi = ax.get_ylim()
    if lo > 0 and hi / lo < 100:
        ax.yaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1, 2, 5)))
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(mticker.NullFormatter())
    else:
        ax.yaxis.set_major_locator(mticker.LogLocator(base=10, numticks=8))
        ax.yaxis.set_major_formatter(mticker.LogFormatterSciNotation())
        ax.yaxis.set_minor_formatter(mticker.NullFormatter())


def plain_log_ticks(axis, values):
    """Ticks of a log axis at the given values (e.g. the widths of a sweep), written as plain numbers."""
    axis.set_major_locator(mticker.FixedLocator(sorted(set(float(v) for v in values))))
    axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(mticker.NullFormatter())


def p_text(p: int) -> str:
    return f"p = {p}" if p > 0 else "p undefined"


def new_figure(rows, cols, panel=(3.2, 3.0), extra=(0.0, 0.0), **kw):
    fig, axes = plt.subplots(rows, cols, figsize=(panel[0] * cols + extra[0], panel[1] * rows + extra[1]),
                             squeeze=False, constrained_layout=True, **kw)
    return fig, axes


# ---------------------------------------------------------------------------------------------------------------
# Labels that fit
_WIDTH_LIST = re.compile(r"^\s*\d+(\s*,\s*\d+)+\s*$")


def compact_value(value) -> str:
    """An option value as a short label: a list of layer widths with runs written ``k × w``
    ("50,50,50,50,50" → "5 × 50", "784,100,100,10" → "784, 2 × 100, 10"); numbers as %g; anything else as text."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    text = str(value)
    if not _WIDTH_LIST.match(text):
        return text
    widths = [w.strip() for w in text.split(",")]
    runs: list[list] = []
    for w in widths:
        if runs and runs[-1][0] == w:
            runs[-1][1] += 1
        else:
            runs.append([w, 1])
    return ", ".join(w if k == 1 else f"{k} × {w}" for w, k in runs)


def _wrapped(text: str, chars: int) -> str:
    """Each line of ``text`` broken after commas or spaces into lines of at most ``chars`` characters (longer
    words stay whole)."""
    out = []
    for line in text.split("\n"):
        words = re.split(r"(?<=[, ])", line)
        current = ""
        for word in words:
            if current and len(current) + len(word.rstrip()) > chars:
                out.append(current.rstrip())
                current = word.lstrip()
            else:
                current += word
        out.append(current.rstrip())
    return "\n".join(out)


def fit_text(fig, artist, limit_px, along="width", min_size=5.0):
    """Re-wraps a text artist (a label or title), then shrinks its font, until its extent ``along`` its reading
    direction (``width`` for horizontal text, ``height`` for a vertical y label) is at most ``limit_px`` pixels
    in ``fig``'s renderer. Returns the artist."""
    renderer = fig.canvas.get_renderer()
    original = artist.get_text()

    def extent():
        box = artist.get_window_extent(renderer)
        return box.width if along == "width" else box.height

    if extent() <= limit_px or not original:
        return artist
    longest = max(len(line) for line in original.split("\n"))
    for chars in range(longest - 1, 7, -1):
        artist.set_text(_wrapped(original, chars))
        if extent() <= limit_px:
            return artist
    size = artist.get_fontsize()
    while extent() > limit_px and size > min_size:
        size = max(min_size, size * 0.9)
        artist.set_fontsize(size)
    return artist
