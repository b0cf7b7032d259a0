"""Figures of the other commands' output: `condense propagate -o FILE.h5` (predicted against simulated, per
layer) and `condense compare-init --json` (losses per initialization scheme over seeds)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ..read import CondenseFileError, open_h5
from ._common import log_y, new_figure, step_axis

__all__ = ["propagate", "propagation", "compare_init", "QUANTITY_LABELS"]

QUANTITY_LABELS = {"theta": "angle θ (rad)", "correlation": "correlation c", "log_norm": "log ‖x‖",
                   "ln_sin2_theta": "ln sin² θ", "q": "q (mean squared pre-activation)"}
QUANTITY_TITLES = {"theta": "angle θ between the two inputs", "correlation": "pre-activation correlation c",
                   "log_norm": "log-norm of the signal", "ln_sin2_theta": "ln sin² θ", "q": "q = ‖h‖² / n"}


def _propagation_panel(ax, f, quantity, legend=True):
    quantities = [str(q) for q in f["quantity"].asstr()[()]]
    if quantity not in quantities:
        raise CondenseFileError(f"{f.filename}: no quantity '{quantity}' (has {', '.join(quantities)})")
    q = quantities.index(quantity)
    depth = f["layer"][()]
    models = [str(m) for m in f["model"].asstr()[()]] if "model" in f else []
    for i, model in enumerate(models):
        mean = f["prediction_mean"][i, :, q]
        if not np.isfinite(mean).any():
            continue  # this model says nothing about this quantity
        line, = ax.plot(depth, mean, color=f"C{i + 1}", marker=".", label=model.replace("_", " "))
        std = f["prediction_std"][i, :, q] if "prediction_std" in f else None
        if std is not None and np.isfinite(std).any():
            ax.fill_between(depth, mean - std, mean + std, color=line.get_color(), alpha=0.2, lw=0)
    if "simulation_mean" in f:
        n = f["network"].shape[0] if "network" in f else None
        ax.errorbar(depth, f["simulation_mean"][:, q], yerr=f["simulation_std"][:, q], fmt="o", ms=4, color="k",
                    capsize=3, label=f"simulation (±std, {n} networks)" if n else "simulation")
    ax.set_xlabel("layer (0 = input)")
    ax.set_ylabel(QUANTITY_LABELS.get(quantity, quantity))
    ax.xaxis.get_major_locator().set_params(integer=True)
    if legend:
        ax.legend(fontsize="x-small")


def _setup(f):
    widths = f.attrs.get("widths")
    text = f"{f.attrs.get('activation', '')}, {f.attrs.get('init', '')}"
    if widths is not None:
        w = list(map(int, widths))
        text += f", widths {w}" if len(w) < 8 else f", {len(w) - 2} hidden layers of {w[1]}"
    return text


def _open_propagation(path):
    f = open_h5(path)
    if f.attrs.get("format") != "condense-propagate":
        kind = f.attrs.get("format", "none")
        f.close()
        raise CondenseFileError(f"{path}: not a `condense propagate` file (format = {kind!r})")
    return f


def propagation(path, quantity="theta", figsize=(6.0, 4.0)):
    """One quantity against depth: the simulated networks' mean ± std (error bars) beside each model's
    prediction (line, ±std band where the model predicts a spread). Models silent on it are left out."""
    with _open_propagation(path) as f:
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
        _propagation_panel(ax, f, quantity)
        ax.set_title(_setup(f), fontsize="medium")
    return fig


def propagate(path, quantities=None, panel=(3.6, 3.0)):
    """Predicted against simulated per layer for every quantity (or those named): one panel each, one legend."""
    with _open_propagation(path) as f:
        names = [str(q) for q in f["quantity"].asstr()[()]]
        quantities = list(quantities or names)
        cols = min(3, len(quantities))
        rows = -(-len(quantities) // cols)
        fig, axes = new_figure(rows, cols, panel=panel, extra=(0, 0.4))
        for ax, quantity in zip(axes.ravel(), quantities):
            _propagation_panel(ax, f, quantity, legend=False)
            ax.set_title(QUANTITY_TITLES.get(quantity, quantity), fontsize="medium")
        for ax in axes.ravel()[len(quantities):]:
            ax.set_visible(False)
        handles, labels = {}, {}
        for ax in axes.ravel()[:len(quantities)]:
            for h, l in zip(*ax.get_legend_handles_labels()):
                handles.setdefault(l, h)
        fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncol=min(6, len(handles)),
                   fontsize="small")
        fig.suptitle(f"{Path(str(path)).name}: {_setup(f)}", fontsize="medium")
    return fig


def compare_init(path, figsize=(10.0, 4.2)):
    """`condense compare-init --json > FILE.json`: median train and test loss against step per initialization
    scheme, the quartile band over seeds shaded; n (finite runs) in the legend when some diverged."""
    path = Path(path)
    try:
        report = json.loads(path.read_text())
    except FileNotFoundError:
        raise CondenseFileError(f"{path}: no such file") from None
    except ValueError as e:
        raise CondenseFileError(f"{path}: not JSON ({e}); write it with `condense compare-init --json > "
                                f"{path.name}`") from None
    if report.get("format") != "condense-compare-init":
        raise CondenseFileError(f"{path}: not `condense compare-init --json` output")
    steps = np.asarray(report["steps"], dtype=float)
    fig, axes = plt.subplots(1, 2, figsize=figsize, constrained_layout=True, sharey=True)
    for col, split in enumerate(("train", "test")):
        ax = axes[col]
        for i, scheme in enumerate(report["schemes"]):
            s = scheme[split]
            med = np.array([np.nan if v is None else v for v in s["median"]], dtype=float)
            q1 = np.array([np.nan if v is None else v for v in s["q1"]], dtype=float)
            q3 = np.array([np.nan if v is None else v for v in s["q3"]], dtype=float)
            n = min(s["n"]) if s["n"] else 0
            # Parameters as typed (κ = −0.5), not the 17 digits of a derived variance.
            name = re.sub(r"(\d+\.\d{4,})", lambda m: f"{float(m.group(1)):.3g}", scheme["scheme"])
            label = name + (f" (n ≥ {n})" if n < len(report["seeds"]) else "")
            ax.plot(steps, med, marker="o", ms=3, color=f"C{i}", label=label)
            ax.fill_between(steps, q1, q3, color=f"C{i}", alpha=0.15, lw=0)
        log_y(ax)
        positive = steps[steps > 0]
        step_axis(ax, steps, logx=bool(len(positive) and positive.max() / positive.min() > 50))
        ax.set_title(f"{split} loss: median, quartiles over {len(report['seeds'])} seeds", fontsize="medium")
    axes[0].set_ylabel("loss")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2, fontsize="small")
    fig.suptitle(f"{path.name}: compare-init", fontsize="medium")
    return fig
