#!/usr/bin/env python3
"""Figures from condense files: run files (with their /analysis group) and `condense propagate` output.

    PY=$(tools/python/venv.sh)
    $PY tools/plot_run.py loss run.h5                       # -> run-loss.png
    $PY tools/plot_run.py heatmap run.h5 --layer layer_1 --snapshots 0,5,10 -o heat.pdf
    $PY tools/plot_run.py polar run.h5                      # (θ, A) scatter, one-dimensional inputs
    $PY tools/plot_run.py count run.h5                      # condensed orientations vs step, 2p drawn
    $PY tools/plot_run.py propagate prop.h5 --quantity theta
    $PY tools/plot_run.py all run.h5 --out-dir figures/     # every figure the file supports

Every figure is also a function returning a matplotlib Figure (``loss_figure``, ``heatmap_figure``,
``polar_figure``, ``count_figure``, ``propagation_figure``); ``save(fig, path)`` writes PNG or PDF by suffix.
Layouts: Sources/RunFormat/FORMAT.md. matplotlib's Agg backend: no display needed.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import h5py
import matplotlib

if "ipykernel" not in sys.modules:  # in a notebook keep its inline backend; everywhere else render off-screen
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402,F401
import numpy as np  # noqa: E402

__all__ = ["loss_figure", "heatmap_figure", "polar_figure", "count_figure", "propagation_figure", "save",
           "similarity_matrix", "hidden_layers"]

COSINE_THRESHOLD = 0.95  # condense analyze's default τ, for ordering neurons when a file has no /analysis
HEATMAP_CMAP = "RdBu_r"  # diverging: −1 blue, 0 white, +1 red


# ---------------------------------------------------------------------------------------------------------------
# Reading
def _open(path) -> h5py.File:
    try:
        return h5py.File(path, "r")
    except FileNotFoundError:
        raise SystemExit(f"plot_run: {path}: no such file")
    except OSError as e:
        raise SystemExit(f"plot_run: {path}: not readable as HDF5 ({str(e).splitlines()[0]})")


def hidden_layers(f: h5py.File) -> list[str]:
    """Hidden layer group names, input side first."""
    if "layers" not in f:
        raise SystemExit(f"plot_run: {f.filename}: no /layers group (not a condense run file)")
    order = [str(s) for s in f["layers"].attrs.get("order", sorted(f["layers"]))]
    return [name for name in order if f["layers"][name].attrs.get("kind", "hidden") == "hidden"]


def _steps(f) -> np.ndarray:
    return f["step"][()] if "step" in f else np.arange(f["layers"][hidden_layers(f)[0]]["weights"].shape[0])


def _layer(f, layer):
    if layer not in f["layers"]:
        raise SystemExit(f"plot_run: {f.filename}: no layer '{layer}' (has {', '.join(hidden_layers(f))})")
    return f["layers"][layer]


def _snapshot_list(text: str | None):
    if text is None:
        return None
    try:
        return [int(s) for s in text.split(",")]
    except ValueError:
        raise SystemExit(f"plot_run: --snapshots '{text}': give snapshot indices like 0,5,10")


def _check_snapshots(snapshots, count, path):
    for s in snapshots:
        if not 0 <= s < count:
            raise SystemExit(f"plot_run: {path}: snapshot {s} out of range (the file has {count}: 0…{count - 1})")


def _readout_amplitude(f, layer: str, s: int):
    """|a_j| of each neuron of `layer` when the next layer is the one-output readout, else None."""
    order = [str(n) for n in f["layers"].attrs.get("order", [])]
    if layer not in order or order.index(layer) + 1 >= len(order):
        return None
    nxt = f["layers"][order[order.index(layer) + 1]]
    if nxt.attrs.get("kind") != "readout" or nxt["weights"].shape[1] != 1:
        return None
    return np.abs(nxt["weights"][s, 0, :-1])


def similarity_matrix(weights: np.ndarray, labels: np.ndarray | None = None):
    """Cosine similarity of the rows (input weights), reordered so that clusters are contiguous.

    With ``labels`` (condense's cluster labels, −1 unclustered, < −1 left out) the order is: clustered neurons
    by cluster, then unclustered, then left-out ones (NaN rows). Without, neurons are grouped greedily: the row
    with most neighbours (cos > 0.95) and its neighbours first, and so on. Returns (matrix, order).
    """
    w = np.asarray(weights, dtype=np.float64)
    norms = np.linalg.norm(w, axis=1)
    valid = np.isfinite(w).all(axis=1) & (norms > 0)
    u = np.full_like(w, np.nan)
    u[valid] = w[valid] / norms[valid, None]
    cos = np.clip(u @ u.T, -1, 1)
    if labels is None:
        labels = np.full(len(w), -2)
        remaining = set(np.flatnonzero(valid))
        cluster = 0
        while remaining:
            idx = np.array(sorted(remaining))
            near = cos[np.ix_(idx, idx)] > COSINE_THRESHOLD
            best = int(np.argmax(near.sum(axis=1)))
            members = idx[near[best]]
            labels[members] = cluster if len(members) > 1 else -1
            cluster += len(members) > 1
            remaining -= set(members.tolist())
    labels = np.asarray(labels)
    key = np.where(labels >= 0, labels, np.where(labels == -1, 10 ** 9, 10 ** 9 + 1))
    order = np.lexsort((np.arange(len(w)), key))
    return cos[np.ix_(order, order)], order


# ---------------------------------------------------------------------------------------------------------------
# Figures
def loss_figure(path, figsize=(6.0, 4.0)):
    """Training and test loss at the snapshots (and the per-update loss when stored) against step, log scale."""
    with _open(path) as f:
        steps = _steps(f)
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
        kind = f["train_loss"].attrs.get("loss_kind", "") if "train_loss" in f else ""
        if "loss" in f and f["loss"].shape[0] > 0:
            ax.plot(f["iteration"][()] if "iteration" in f else np.arange(f["loss"].shape[0]), f["loss"][()],
                    color="0.75", lw=0.8, label="per update")
        for name, style in (("train_loss", dict(color="C0", marker="o", ms=3, label="train")),
                            ("test_loss", dict(color="C1", marker="s", ms=3, label="test"))):
            if name in f and np.isfinite(f[name][()]).any():
                ax.plot(steps, f[name][()], **style)
        ax.set_yscale("log")
        ax.set_xlabel("step")
        ax.set_ylabel(f"loss ({kind})" if kind else "loss")
        ax.set_title(Path(str(path)).name)
        ax.legend()
    return fig


def _analyzed_positions(f, stored, needed):
    """Run snapshot index → position in /analysis, when the layer's analysis group holds `needed`; else {}."""
    if stored is None or needed not in stored:
        return {}
    return {int(s): i for i, s in enumerate(f["analysis/snapshot"][()])}


def heatmap_figure(path, layer="layer_1", snapshots=None, panel=3.0):
    """Cosine similarity of a layer's input weights at the chosen snapshots, neurons ordered by cluster.

    From /analysis/<layer>'s stored reordered matrices when it holds the snapshot; otherwise computed from the
    weights (ordered by the stored labels when the snapshot was analyzed, else greedily). ``snapshots`` are run
    snapshot indices; default: those with a stored heatmap, else first, middle and last.
    """
    with _open(path) as f:
        w_set = _layer(f, layer)["weights"]
        count = w_set.shape[0]
        steps = _steps(f)
        stored = f.get(f"analysis/{layer}")
        stored_at = {}
        if stored is not None and "heatmap" in stored:
            stored_at = {int(s): i for i, s in enumerate(stored["heatmap"][()])}
        analyzed = _analyzed_positions(f, stored, "label")
        if snapshots is None:
            snapshots = sorted(stored_at) or sorted({0, (count - 1) // 2, count - 1})
        _check_snapshots(snapshots, count, path)
        n = len(snapshots)
        fig, axes = plt.subplots(1, n, figsize=(panel * n + 0.8, panel + 0.4), constrained_layout=True,
                                 squeeze=False)
        image = None
        for ax, s in zip(axes[0], snapshots):
            if s in stored_at:
                matrix = stored["similarity"][stored_at[s]]
                source = "stored"
            else:
                labels = stored["label"][analyzed[s]] if s in analyzed else None
                matrix, _ = similarity_matrix(w_set[s], labels)
                source = "computed"
            cmap = plt.get_cmap(HEATMAP_CMAP).with_extremes(bad="0.85")
            image = ax.imshow(matrix, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
            ax.set_title(f"step {int(steps[s])}")
            ax.set_xlabel("neuron (by cluster)")
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
            ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
            ax.set_gid(source)
        axes[0][0].set_ylabel("neuron (by cluster)")
        fig.colorbar(image, ax=list(axes[0]), label="cosine similarity", shrink=0.9)
        fig.suptitle(f"{Path(str(path)).name}: {layer}")
    return fig


def polar_figure(path, layer="layer_1", snapshots=None, panel=3.2):
    """For one-dimensional inputs: each neuron's (θ, A), θ = sign(b)·arccos(w/√(w²+b²)) and A = |a|·√(w²+b²),
    one panel per snapshot (default: up to four evenly spaced). From /analysis when stored, else computed."""
    with _open(path) as f:
        g = _layer(f, layer)
        w_set = g["weights"]
        if w_set.shape[2] != 2:
            raise SystemExit(f"plot_run: {path}: {layer} has {w_set.shape[2] - 1} inputs; the (θ, A) figure "
                             "needs one-dimensional input")
        count = w_set.shape[0]
        steps = _steps(f)
        stored = f.get(f"analysis/{layer}")
        analyzed = _analyzed_positions(f, stored, "theta")
        if snapshots is None:
            snapshots = sorted({int(round(i * (count - 1) / 3)) for i in range(4)}) if count > 1 else [0]
        _check_snapshots(snapshots, count, path)
        n = len(snapshots)
        fig, axes = plt.subplots(1, n, figsize=(panel * n, panel), constrained_layout=True, squeeze=False,
                                 sharey=False)
        for ax, s in zip(axes[0], snapshots):
            if s in analyzed:
                theta, amp = stored["theta"][analyzed[s]], stored["amplitude"][analyzed[s]]
            else:
                w, b = w_set[s, :, 0], w_set[s, :, 1]
                r = np.hypot(w, b)
                theta = np.sign(b) * np.arccos(np.clip(w / np.where(r > 0, r, 1), -1, 1))
                a = _readout_amplitude(f, layer, s)
                amp = r * (a if a is not None else 1)
            ax.scatter(theta, amp, s=12, color="C3")
            ax.set_xlim(-math.pi, math.pi)
            ax.set_xticks([-math.pi, -math.pi / 2, 0, math.pi / 2, math.pi], ["−π", "−π/2", "0", "π/2", "π"])
            ax.set_xlabel("θ")
            ax.set_title(f"step {int(steps[s])}")
        axes[0][0].set_ylabel("A")
        fig.suptitle(f"{Path(str(path)).name}: {layer}")
    return fig


def count_figure(path, figsize=(8.0, 4.0)):
    """Condensed orientations of each hidden layer against step (from /analysis), its bound 2p dashed, and its
    initial stage (first condensed snapshot until the count grows) shaded, with the stage's count in the legend;
    hollow markers where the layer as a whole is not condensed (see docs/concepts.md)."""
    with _open(path) as f:
        if "analysis" not in f:
            raise SystemExit(f"plot_run: {path}: no /analysis group: run `condense analyze {path}` first")
        a = f["analysis"]
        steps = a["step"][()]
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
        top, any_loose = 1, False
        for i, layer in enumerate(name for name in hidden_layers(f) if name in a):
            g = a[layer]
            counts = g["condensed_orientations"][()]
            color = f"C{i}"
            ax.plot(steps, counts, marker="o", ms=3, color=color, label=f"{layer}", drawstyle="steps-post")
            if "verdict" in g:  # hollow where the layer as a whole is not condensed
                loose = np.array([str(v) == "not condensed" for v in g["verdict"].asstr()[()]])
                ax.plot(steps[loose], counts[loose], ls="none", marker="o", ms=4, mfc="white", mec=color,
                        label=f"_{layer} not condensed")
                any_loose = any_loose or bool(loose.any())
            start, end = int(g.attrs.get("initial_stage_start", -1)), int(g.attrs.get("initial_stage_end", -1))
            if 0 <= start <= end < len(steps):  # positions in /analysis/snapshot
                ax.axvspan(steps[start], steps[end], color=color, alpha=0.08, lw=0,
                           label=f"{layer} initial stage ({int(g.attrs.get('initial_orientations', 0))})")
            bound = int(g.attrs.get("bound_orientations", -1))
            if bound > 0:
                ax.axhline(bound, color=color, ls="--", lw=1, label=f"{layer} bound 2p = {bound}")
                top = max(top, bound)
            top = max(top, int(counts.max()) if counts.size else 0)
        if any_loose:
            ax.plot([], [], ls="none", marker="o", ms=4, mfc="white", mec="0.3", label="layer not condensed")
        ax.set_ylim(0, top + 1)
        ax.set_xlabel("step")
        ax.set_ylabel("condensed orientations")
        ax.set_title(Path(str(path)).name)
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    return fig


PROPAGATE_QUANTITY_LABELS = {"theta": "angle θ (rad)", "correlation": "correlation", "log_norm": "log ‖h‖",
                             "ln_sin2_theta": "ln sin² θ", "q": "q (mean squared activation)"}


def propagation_figure(path, quantity="theta", figsize=(6.0, 4.0)):
    """`condense propagate` output: a quantity against depth; the simulation (mean ± std over networks, error
    bars) beside each model's prediction (line, ±std band where predicted). Models silent on it are left out."""
    with _open(path) as f:
        if f.attrs.get("format") != "condense-propagate":
            raise SystemExit(f"plot_run: {path}: not a `condense propagate` file (format = "
                             f"{f.attrs.get('format', 'none')!r})")
        quantities = [str(q) for q in f["quantity"].asstr()[()]]
        if quantity not in quantities:
            raise SystemExit(f"plot_run: {path}: no quantity '{quantity}' (has {', '.join(quantities)})")
        q = quantities.index(quantity)
        depth = f["layer"][()]
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
        models = [str(m) for m in f["model"].asstr()[()]] if "model" in f else []
        for i, model in enumerate(models):
            mean = f["prediction_mean"][i, :, q]
            if not np.isfinite(mean).any():
                continue
            line, = ax.plot(depth, mean, color=f"C{i + 1}", marker=".", label=model.replace("_", " "))
            std = f["prediction_std"][i, :, q] if "prediction_std" in f else None
            if std is not None and np.isfinite(std).any():
                ax.fill_between(depth, mean - std, mean + std, color=line.get_color(), alpha=0.2, lw=0)
        if "simulation_mean" in f:
            n = f["network"].shape[0] if "network" in f else None
            ax.errorbar(depth, f["simulation_mean"][:, q], yerr=f["simulation_std"][:, q], fmt="o", ms=4,
                        color="k", capsize=3, label=f"simulation (±std, {n} networks)" if n else "simulation")
        ax.set_xlabel("layer (0 = input)")
        ax.set_ylabel(PROPAGATE_QUANTITY_LABELS.get(quantity, quantity))
        widths = f.attrs.get("widths")
        ax.set_title(f"{f.attrs.get('activation', '')} {f.attrs.get('init', '')}"
                     + (f", widths {list(map(int, widths))}" if widths is not None and len(widths) < 8 else ""))
        ax.legend(fontsize="small")
    return fig


def save(fig, path, dpi=100) -> Path:
    """Writes the figure as PNG or PDF (by suffix) and closes it."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf"):
        raise SystemExit(f"plot_run: {path}: write .png or .pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


# ---------------------------------------------------------------------------------------------------------------
# Command line
def _figures_for(path, args):
    kind = args.figure
    layer = getattr(args, "layer", "layer_1")
    snaps = _snapshot_list(getattr(args, "snapshots", None))
    if kind == "loss":
        return [("loss", loss_figure(path))]
    if kind == "heatmap":
        return [(f"heatmap-{layer}", heatmap_figure(path, layer, snaps))]
    if kind == "polar":
        return [(f"polar-{layer}", polar_figure(path, layer, snaps))]
    if kind == "count":
        return [("count", count_figure(path))]
    if kind == "propagate":
        return [(f"propagate-{args.quantity}", propagation_figure(path, args.quantity))]
    # all
    with _open(path) as f:
        if f.attrs.get("format") == "condense-propagate":
            quantities = [str(q) for q in f["quantity"].asstr()[()]]
            return [(f"propagate-{q}", propagation_figure(path, q)) for q in quantities]
        layers = hidden_layers(f)
        one_d = [l for l in layers if f["layers"][l]["weights"].shape[2] == 2]
        has_analysis = "analysis" in f
    out = [("loss", loss_figure(path))]
    out += [(f"heatmap-{l}", heatmap_figure(path, l)) for l in layers]
    out += [(f"polar-{l}", polar_figure(path, l)) for l in one_d]
    if has_analysis:
        out.append(("count", count_figure(path)))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="plot_run.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="figure", required=True)
    def common(sp):
        sp.add_argument("file", help="run file (or `condense propagate` output)")
        sp.add_argument("-o", "--output", help="output .png or .pdf (default FILE-FIGURE.png next to FILE)")
        sp.add_argument("--dpi", type=int, default=100)
    for name, help_ in (("loss", "train and test loss against step (log scale)"),
                        ("count", "condensed orientations per layer against step, with 2p")):
        common(sub.add_parser(name, help=help_))
    for name, help_ in (("heatmap", "cosine-similarity heatmaps, neurons ordered by cluster"),
                        ("polar", "(θ, A) scatter for one-dimensional input")):
        sp = sub.add_parser(name, help=help_)
        common(sp)
        sp.add_argument("--layer", default="layer_1")
        sp.add_argument("--snapshots", help="run snapshot indices, e.g. 0,5,10")
    sp = sub.add_parser("propagate", help="`condense propagate` output: a quantity against depth")
    common(sp)
    sp.add_argument("--quantity", default="theta", help="theta, correlation, log_norm, ln_sin2_theta or q")
    sp = sub.add_parser("all", help="every figure the file supports, into --out-dir")
    sp.add_argument("file")
    sp.add_argument("--out-dir", default=".")
    sp.add_argument("--format", choices=("png", "pdf"), default="png")
    sp.add_argument("--dpi", type=int, default=100)
    args = p.parse_args(argv)
    src = Path(args.file)
    figures = _figures_for(src, args)
    for name, fig in figures:
        if args.figure == "all":
            target = Path(args.out_dir) / f"{src.stem}-{name}.{args.format}"
        else:
            target = Path(args.output) if args.output else src.with_name(f"{src.stem}-{name}.png")
        print(save(fig, target, dpi=args.dpi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
