"""Figures of one run file: loss, cosine-similarity heat maps (one layer, or every layer as P1 Fig. 3),
condensed orientations against step, (θ, A) per neuron, and the evolution of the layer measures."""
from __future__ import annotations

import math

import matplotlib.patches as mpatches
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from ..read import CondenseFileError
from ._common import (HEATMAP_CMAP, STAGE_ALPHA, as_run, blocked_similarity, cluster_order, greedy_labels,
                      integer_ticks, log_y, new_figure, p_text, shade_stage, step_axis)

__all__ = ["loss", "heatmap", "layers", "count", "polar", "evolution", "neuron_order"]


# ---------------------------------------------------------------------------------------------------------------
def loss(run, logx=False, figsize=(6.0, 4.0)):
    """Training and test loss at the snapshots and the per-update loss (grey) against step, log y; the first
    layer's initial stage shaded."""
    run = as_run(run)
    fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    if len(run.loss):
        ax.plot(run.iteration, run.loss, color="0.7", lw=0.8, label="per update")
    train, test = run.scalars.get("train_loss"), run.scalars.get("test_loss")
    # A test set made of the training points (the built-in 1-D targets' grid) has the same losses: one line,
    # said so, rather than a train line hidden under the test line.
    same = train is not None and test is not None and np.array_equal(train, test, equal_nan=True)
    for values, style in ((train, dict(color="C0", marker="o", ms=3, label="train = test (same points)" if same else "train")),
                          (None if same else test, dict(color="C1", marker="s", ms=3, label="test"))):
        if values is not None and np.isfinite(values).any():
            ax.plot(run.steps, values, **style)
    stage = run.initial_stage(run.hidden[0]) if run.hidden else None
    shade_stage(ax, stage, label=f"initial stage of {run.hidden[0]}" if stage else None)
    log_y(ax)
    step_axis(ax, run.steps, logx)
    ax.set_ylabel(f"loss ({run.loss_kind.replace('_', '-')})" if run.loss_kind else "loss")
    ax.set_title(run.name + (" (still training)" if run.status == "running" else ""))
    ax.legend(fontsize="small")
    return fig


# ---------------------------------------------------------------------------------------------------------------
def _labels(run, layer, snapshot, weights):
    """The stored cluster labels of the snapshot when analyzed, else computed from the weights."""
    stored = run.stored(layer, "label", snapshot)
    return (np.asarray(stored), "stored") if stored is not None else (greedy_labels(weights), "computed")


def neuron_order(run, layer, snapshot):
    """(order, boundaries, source) of a layer's neurons at a snapshot: by orientation cluster (condense's labels
    when analyzed, else grouped here), then unclustered, then left-out neurons. Boundaries are the positions
    where one group ends."""
    run = as_run(run)
    w = run.weights(layer, snapshot)
    labels, source = _labels(run, layer, snapshot, w)
    order, bounds = cluster_order(labels)
    return order, bounds, source


def _heat_panel(ax, run, layer, snapshot, order, bounds, block, show_bounds=True):
    w = run.weights(layer, snapshot)
    matrix = blocked_similarity(w, order, block)
    n = len(order)
    cmap = plt.get_cmap(HEATMAP_CMAP).with_extremes(bad="0.85")
    image = ax.imshow(matrix, cmap=cmap, vmin=-1, vmax=1, interpolation="nearest", extent=(0, n, n, 0))
    if show_bounds:
        for b in bounds[1:-1]:  # cluster boundaries of the shared order, thin and dark
            ax.axhline(b, color="k", lw=0.6, alpha=0.7)
            ax.axvline(b, color="k", lw=0.6, alpha=0.7)
    integer_ticks(ax.xaxis, 4)
    integer_ticks(ax.yaxis, 4)
    count = run.stored(layer, "condensed_orientations", snapshot)
    title = f"step {int(run.steps[snapshot])}"
    if count is not None:
        title += f": {int(count)} condensed"
    ax.set_title(title, fontsize="medium")
    return image


def _block_size(width, max_neurons):
    return max(1, math.ceil(width / max_neurons)) if max_neurons else 1


def heatmap(run, layer="layer_1", steps=None, snapshots=None, order_step=None, max_neurons=400, panel=3.0):
    """Cosine similarity of a layer's input weights at several snapshots, in **one neuron order** shared by
    every panel (the clusters of the last panel, or of ``order_step``), with its cluster boundaries drawn.

    ``steps`` (training steps) or ``snapshots`` (indices) choose the panels; default: the snapshots whose
    matrices `condense analyze` stored, else first, middle and last. Wider layers than ``max_neurons`` are
    shown as the mean similarity of blocks of consecutive neurons in that order (title says the block size),
    which keeps 1000+ neurons readable without moiré. Titles: layer, activation, p, width, and per panel the
    condensed orientations counted by the analysis."""
    run = as_run(run)
    run.require_layer(layer)
    default = None
    stored = run.analysis.get(layer, {}).get("heatmap")
    if stored is not None and len(stored):
        default = [int(s) for s in stored]
    chosen = run.resolve(steps, snapshots, default)
    reference = run.snapshot_of_step(order_step) if order_step is not None else chosen[-1]
    order, bounds, source = neuron_order(run, layer, reference)
    width = len(order)
    block = _block_size(width, max_neurons)
    fig, axes = new_figure(1, len(chosen), panel=(panel, panel + 0.35), extra=(0.9, 0.3))
    image = None
    for ax, s in zip(axes[0], chosen):
        image = _heat_panel(ax, run, layer, s, order, bounds, block)
        ax.set_xlabel("neuron (cluster order)")
    axes[0][0].set_ylabel("neuron (cluster order)")
    fig.colorbar(image, ax=list(axes[0]), label="cosine similarity", shrink=0.85)
    bound = run.analysis.get(layer, {}).get("attrs", {}).get("bound_orientations", -1)
    extra = [f"bound 2p = {int(bound)}"] if int(bound) > 0 else []
    extra.append(f"order of step {int(run.steps[reference])}" + ("" if source == "stored" else " (grouped here)"))
    if block > 1:
        extra.append(f"block mean of {block} neurons")
    fig.suptitle(f"{run.name}: {run.describe(layer)}\n" + " · ".join(extra), fontsize="medium")
    fig._condense = {"order": order, "bounds": bounds, "block": block, "snapshots": chosen, "source": source}
    return fig


def layers(run, steps=None, snapshots=None, max_neurons=300, panel=2.4):
    """Every hidden layer's heat maps at the same snapshots (P1 Fig. 3): one row per layer, neurons of each row
    in the order of its last panel, one shared colour scale."""
    run = as_run(run)
    chosen = run.resolve(steps, snapshots)
    rows = len(run.hidden)
    fig, axes = new_figure(rows, len(chosen), panel=(panel, panel), extra=(1.0, 0.5))
    image = None
    info = {}
    for r, layer in enumerate(run.hidden):
        order, bounds, _ = neuron_order(run, layer, chosen[-1])
        block = _block_size(len(order), max_neurons)
        for c, s in enumerate(chosen):
            image = _heat_panel(axes[r][c], run, layer, s, order, bounds, block)
            if r:
                axes[r][c].set_title(axes[r][c].get_title().split(":")[-1].strip()
                                     if ":" in axes[r][c].get_title() else "", fontsize="small")
        p = run.multiplicity(layer)
        axes[r][0].set_ylabel(f"{layer}\n{run.activation(layer)} ({p_text(p)})\n{len(order)} neurons"
                              + (f", blocks of {block}" if block > 1 else ""))
        info[layer] = {"order": order, "bounds": bounds, "block": block}
    fig.colorbar(image, ax=axes.ravel().tolist(), label="cosine similarity", shrink=0.8)
    fig.suptitle(f"{run.name}: input-weight similarity per layer (columns: steps "
                 f"{', '.join(str(int(run.steps[s])) for s in chosen)})", fontsize="medium")
    fig._condense = {"layers": info, "snapshots": chosen}
    return fig


# ---------------------------------------------------------------------------------------------------------------
def count(run, logx=False, figsize=(7.5, 4.0)):
    """Condensed orientations of each hidden layer against step (from /analysis), with integer ticks; each
    layer's initial stage shaded in its colour; one dashed bound line 2p per distinct p; hollow markers where
    the layer as a whole is not condensed. ``logx``: symmetric-log step axis for long runs."""
    run = as_run(run)
    if not run.analysis:
        raise CondenseFileError(f"{run.path}: no /analysis group: run `condense analyze {run.path}` first")
    fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    steps = run.analysis_steps
    top, any_loose, handles = 1, False, []
    bounds = {}
    analyzed = [l for l in run.hidden if l in run.analysis]
    several = len(analyzed) > 1
    for i, layer in enumerate(analyzed):
        a = run.analysis[layer]
        counts = a["condensed_orientations"]
        color = f"C{i}"
        stage = run.initial_stage(layer)
        label = f"{layer} ({run.activation(layer)})"
        if stage:
            label += f": initial {stage[2]}"
        # Layers often share a count: earlier layers drawn wider underneath, so every line stays visible.
        width = 1.2 + 1.6 * (len(analyzed) - 1 - i) if several else 1.5
        line, = ax.plot(steps, counts, marker="o", ms=2.5 + width, color=color, label=label, lw=width,
                        drawstyle="steps-post", zorder=2 + i)
        handles.append(line)
        if "verdict" in a:
            loose = np.array([str(v) == "not condensed" for v in a["verdict"]])
            ax.plot(steps[loose], counts[loose], ls="none", marker="o", ms=2.5 + width, mfc="white", mec=color,
                    label=f"_{layer} not condensed", zorder=2 + i)
            any_loose = any_loose or bool(loose.any())
        if several and stage:  # one bar per layer along the top: full-height bands of several layers would blend
            ax.axvspan(stage[0], stage[1], ymin=1 - 0.035 * (i + 1), ymax=1 - 0.035 * i, color=color, alpha=0.55,
                       lw=0, label=f"_{layer} initial stage")
        else:
            shade_stage(ax, stage, color=color, label=f"_{layer} initial stage")
        bound = int(a["attrs"].get("bound_orientations", -1))
        if bound > 0:
            bounds.setdefault(bound, []).append(layer)
            top = max(top, bound)
        top = max(top, int(counts.max()) if counts.size else 0)
    for k, (bound, members) in enumerate(sorted(bounds.items())):
        line = ax.axhline(bound, color="0.25", ls=(0, (4, 2 + 2 * k)), lw=1.1,
                          label=f"bound 2p = {bound} (p = {bound // 2}: {', '.join(members)})")
        handles.append(line)
    if any(run.initial_stage(l) for l in run.analysis):
        handles.append(mpatches.Patch(color="0.5", alpha=0.55 if several else STAGE_ALPHA * 2.5,
                                      label="initial stage (bars at the top)" if several else "initial stage (shaded)"))
    if any_loose:
        handles.append(Line2D([], [], ls="none", marker="o", ms=4.5, mfc="white", mec="0.3",
                              label="layer not condensed"))
    ax.set_ylim(0, top + 1 + 0.15 * len(analyzed) * several)  # room for the stage bars
    integer_ticks(ax.yaxis)
    step_axis(ax, steps, logx)
    ax.set_ylabel("condensed orientations")
    ax.set_title(run.name)
    ax.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    return fig


# ---------------------------------------------------------------------------------------------------------------
def _theta_amplitude(run, layer, s):
    """θ = atan2(b, w) and A = |a|·‖(w, b)‖ of a layer with one-dimensional input (stored when analyzed)."""
    theta, amp = run.stored(layer, "theta", s), run.stored(layer, "amplitude", s)
    if theta is not None and amp is not None:
        return np.asarray(theta), np.asarray(amp)
    w = run.weights(layer, s)
    r = np.hypot(w[:, 0], w[:, 1])
    theta = np.sign(w[:, 1]) * np.arccos(np.clip(w[:, 0] / np.where(r > 0, r, 1), -1, 1))
    nxt = run.order[run.order.index(layer) + 1]
    a = np.linalg.norm(run.weights(nxt, s)[:, :-1], axis=0)
    return theta, r * a


def _require_1d(run, layer, what):
    if run.shapes[layer][1] != 2:
        raise CondenseFileError(f"{run.path}: {layer} has {run.shapes[layer][1] - 1} inputs; {what} needs "
                                "one-dimensional input")


def _shown_clusters(run, layer, snapshot, labels):
    """Labels to colour by: with the analysis' count k of condensed orientations, its k largest clusters (the
    others, chance clusters included, become −1: grey); without an analysis, every group of 2 or more."""
    labels = np.asarray(labels).copy()
    count = run.stored(layer, "condensed_orientations", snapshot)
    if count is None:
        return labels
    clustered = labels[labels >= 0]
    sizes = np.bincount(clustered) if len(clustered) else np.zeros(0, dtype=int)
    keep = set(np.argsort(-sizes, kind="stable")[: int(count)].tolist())
    labels[(labels >= 0) & ~np.isin(labels, list(keep))] = -1
    return labels


def _cluster_colors(labels):
    """Colour per neuron: its orientation's (tab10 by cluster index), grey unclustered, light grey left out."""
    cmap = plt.get_cmap("tab10")
    colors = np.empty((len(labels), 4))
    for i, l in enumerate(labels):
        colors[i] = cmap(int(l) % 10) if l >= 0 else ((0.55, 0.55, 0.55, 1) if l == -1 else (0.85, 0.85, 0.85, 1))
    return colors


def polar(run, layer="layer_1", steps=None, snapshots=None, panel=3.2):
    """One-dimensional input: each neuron's (θ, A), θ = sign(b)·arccos(w/‖(w, b)‖), A = |a|·‖(w, b)‖, coloured
    by its orientation cluster at that snapshot (grey: in none). Default: four evenly spaced snapshots."""
    run = as_run(run)
    run.require_layer(layer)
    _require_1d(run, layer, "the (θ, A) figure")
    default = sorted({int(round(i * (run.count - 1) / 3)) for i in range(4)})
    chosen = run.resolve(steps, snapshots, default)
    fig, axes = new_figure(1, len(chosen), panel=(panel, panel), extra=(0, 0.4))
    for ax, s in zip(axes[0], chosen):
        theta, amp = _theta_amplitude(run, layer, s)
        labels, _ = _labels(run, layer, s, run.weights(layer, s))
        labels = _shown_clusters(run, layer, s, labels)
        ax.scatter(theta, amp, s=14 if len(theta) <= 300 else 6, c=_cluster_colors(labels), edgecolors="none")
        ax.set_xlim(-math.pi, math.pi)
        ax.set_xticks([-math.pi, -math.pi / 2, 0, math.pi / 2, math.pi], ["−π", "−π/2", "0", "π/2", "π"])
        ax.set_xlabel("θ (orientation of (w, b))")
        clusters = len(set(int(l) for l in labels if l >= 0))
        condensed = run.stored(layer, "condensed_orientations", s)
        ax.set_title(f"step {int(run.steps[s])}: " + (f"{int(condensed)} condensed" if condensed is not None
                                                        else f"{clusters} clusters"), fontsize="medium")
    axes[0][0].set_ylabel("A = |a|·‖(w, b)‖")
    fig.suptitle(f"{run.name}: {run.describe(layer)}\ncolour: condensed orientation (the analysis' count of "
                 "largest clusters; without analysis every group), grey: none", fontsize="medium")
    return fig


# ---------------------------------------------------------------------------------------------------------------
def evolution(run, logx=False, figsize=(9.0, 6.2)):
    """Four panels over training: m_eff/m, RD = ‖W(t)−W(0)‖/‖W(0)‖ (log), |cos| between the p = 1 predicted
    direction v = Σ eᵢ(xᵢ, 1) and the dominant line, and θ(t) of every neuron of the first layer when its input
    is one-dimensional (coloured by its final cluster), else the covered share. One line per layer."""
    run = as_run(run)
    if not run.analysis:
        raise CondenseFileError(f"{run.path}: no /analysis group: run `condense analyze {run.path}` first")
    steps = run.analysis_steps
    fig, axes = plt.subplots(2, 2, figsize=figsize, constrained_layout=True, sharex=True)
    (a_eff, a_rd), (a_cos, a_theta) = axes
    analyzed = [l for l in run.hidden if l in run.analysis]
    for i, layer in enumerate(analyzed):
        a = run.analysis[layer]
        kw = dict(color=f"C{i}", marker=".", ms=3, label=layer)
        a_eff.plot(steps, a["effective_ratio"], **kw)
        rd = np.asarray(a["relative_distance"], dtype=float)
        a_rd.plot(steps[rd > 0], rd[rd > 0], **kw)
        cos = np.asarray(a.get("predicted_cosine", np.full(len(steps), np.nan)), dtype=float)
        if np.isfinite(cos).any():
            a_cos.plot(steps, cos, **kw)
    a_eff.set_ylabel("m_eff / m")
    ratios = np.concatenate([np.asarray(run.analysis[l]["effective_ratio"], dtype=float) for l in analyzed])
    top = float(np.nanmax(ratios, initial=0)) if np.isfinite(ratios).any() else 1.0
    # 0…1, unless every value is small (a wide layer on few orientations: 2/1500) and would lie on the axis.
    a_eff.set_ylim(0, 1.05 if top >= 0.1 else 1.25 * top or 1.0)
    a_rd.set_ylabel("RD = ‖W(t) − W(0)‖ / ‖W(0)‖")
    log_y(a_rd)
    a_cos.set_ylabel("|cos(v, dominant line)|")
    a_cos.set_ylim(0, 1.02)
    if not a_cos.get_lines():
        a_cos.text(0.5, 0.5, "no p = 1 layer with data", ha="center", va="center", transform=a_cos.transAxes,
                   color="0.4")
    first = run.hidden[0]
    if run.shapes[first][1] == 2:
        theta = np.array([_theta_amplitude(run, first, s)[0] for s in range(run.count)])
        final, _ = _labels(run, first, run.count - 1, run.weights(first, run.count - 1))
        colors = _cluster_colors(_shown_clusters(run, first, run.count - 1, final))
        width = theta.shape[1]
        shown = range(width) if width <= 300 else np.unique(np.linspace(0, width - 1, 300).round().astype(int))
        for j in shown:
            # θ lives on a circle: break the line where it wraps past ±π instead of drawing a vertical jump.
            t = theta[:, j].astype(float)
            x = run.steps.astype(float)
            jumps = np.flatnonzero(np.abs(np.diff(t)) > math.pi) + 1
            a_theta.plot(np.insert(x, jumps, np.nan), np.insert(t, jumps, np.nan), color=colors[j], lw=0.7,
                         alpha=0.8)
        a_theta.set_ylim(-math.pi, math.pi)
        a_theta.set_yticks([-math.pi, -math.pi / 2, 0, math.pi / 2, math.pi], ["−π", "−π/2", "0", "π/2", "π"])
        a_theta.set_ylabel(f"θ of each {first} neuron" if width <= 300 else f"θ of {len(shown)} of {width} {first} neurons")
        a_theta.set_gid("theta")
    else:
        for i, layer in enumerate(analyzed):
            a_theta.plot(steps, run.analysis[layer]["covered_share"], color=f"C{i}", marker=".", ms=3, label=layer)
        a_theta.set_ylim(0, 1.02)
        a_theta.set_ylabel("covered share (amplitude)")
        a_theta.set_gid("covered_share")
    stage = run.initial_stage(first)
    for ax in axes.ravel():
        shade_stage(ax, stage)
        step_axis(ax, steps, logx)
    for ax in axes[0]:
        ax.set_xlabel("")
    a_eff.legend(fontsize="small")
    fig.suptitle(f"{run.name}: evolution" + (f" (shaded: initial stage of {first})" if stage else ""),
                 fontsize="medium")
    return fig
