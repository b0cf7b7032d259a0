"""Figures of a sweep (``condense sweep collect`` → summary.h5) or a reproduction directory: log RD against
log m with the fitted S_w (P2 Fig. 3), the S_w map over two axes (P2 Fig. 4), and a grid of heat maps over an
axis (activations) and seeds (P1 Fig. 2)."""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np

from ..read import CondenseFileError, open_summary
from ._common import (HEATMAP_CMAP, Run, blocked_similarity, cluster_order, compact_value, fit_text, greedy_labels,
                      log_y, new_figure, p_text, plain_log_ticks)

__all__ = ["rd_fit", "sw_map", "grid", "sweep_directory"]


def _summary(source):
    import xarray as xr
    return source if isinstance(source, xr.Dataset) else open_summary(source)


def _width_axis(ds):
    if "rd_slope" not in ds:
        raise CondenseFileError("the sweep summary has no rd_slope: its sweep has no `hidden` axis with one width "
                                "per value")
    return str(ds["rd_slope"].attrs.get("width_axis", "hidden"))


def _fmt(name, value):
    return f"{name} = {compact_value(value)}"


def _axes_label(ds, point: dict) -> str:
    return ", ".join(_fmt(k, v) for k, v in point.items()) or "all runs"


def rd_fit(summary, layer="layer_1", figsize=(6.4, 4.6)):
    """P2 Fig. 3: RD of ``layer`` at the last snapshot against the width m, log–log, one colour per combination
    of the other non-seed axes, each with its least-squares line of slope S_w (the `rd_slope` that
    ``condense sweep collect`` stored; the figure checks its own fit against it) and S_w ± error in the legend.
    Every done run is a point (seeds pooled)."""
    ds = _summary(summary)
    width = _width_axis(ds)
    slope_dims = list(ds["rd_slope"].dims)
    rd = ds["relative_distance"].sel(layer=layer) if "layer" in ds["relative_distance"].dims else ds["relative_distance"]
    fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    combos = [dict()] if not slope_dims else [dict(zip(slope_dims, idx)) for idx in np.ndindex(*[ds.sizes[d] for d in slope_dims])]
    fits = []
    for i, combo in enumerate(combos):
        point = {d: ds[d].values[j] for d, j in combo.items()}
        sub = rd.isel(combo)
        status = ds["status"].isel(combo)
        m = np.broadcast_to(sub[width].values.reshape([-1 if d == width else 1 for d in sub.dims]), sub.shape)
        ok = (status.values == "done") & np.isfinite(sub.values) & (sub.values > 0)
        x, y = np.log10(m[ok].astype(float)), np.log10(sub.values[ok])
        color = f"C{i % 10}"
        slope = float(ds["rd_slope"].isel(combo))
        error = float(ds["rd_slope_error"].isel(combo)) if "rd_slope_error" in ds else math.nan
        regime = str(ds["regime"].isel(combo).values) if "regime" in ds else ""
        ax.plot(10 ** x, 10 ** y, "o", color=color, ms=5, alpha=0.8, label="_points")
        if len(x) >= 2 and np.isfinite(slope):
            intercept = y.mean() - slope * x.mean()  # the least-squares line with the stored slope
            xs = np.array([x.min(), x.max()])
            label = f"{_axes_label(ds, point)}: S_w = {slope:+.2f}" + (f" ± {error:.2f}" if np.isfinite(error) else "")
            ax.plot(10 ** xs, 10 ** (intercept + slope * xs), "-", color=color, lw=1.6,
                    label=label + (f" ({regime})" if regime else ""))
            fits.append({"point": point, "slope": slope, "refit": float(np.polyfit(x, y, 1)[0]), "n": len(x)})
    ax.set_xscale("log")
    plain_log_ticks(ax.xaxis, ds[width].values)
    log_y(ax)
    ax.set_xlabel(f"width m ({width})")
    ax.set_ylabel(f"RD of {layer} (last snapshot)")
    ax.set_title(f"{ds.attrs.get('sweep', 'sweep')}: log RD against log m", fontsize="medium")
    ax.legend(fontsize="x-small")
    fig._condense = {"fits": fits}
    return fig


def sw_map(summary, x=None, y=None, figsize=(5.8, 4.6)):
    """P2 Fig. 4: S_w over two of the sweep's other axes (default: the first two, e.g. γ and γ′), a diverging
    colour scale centred at 0 (red: condensed, blue: linear), each cell annotated with S_w and its regime.
    With one other axis: S_w ± error against it, the critical band |S_w| ≤ tolerance shaded."""
    ds = _summary(summary)
    _width_axis(ds)
    slope = ds["rd_slope"]
    dims = list(slope.dims)
    tol = float(slope.attrs.get("tolerance", 0.15))
    if len(dims) == 0:
        raise CondenseFileError("the sweep has no axis besides the width: one S_w, no map (see rd_fit)")
    fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    if len(dims) == 1:
        d = dims[0]
        values = ds[d].values
        ax.errorbar(np.arange(len(values)), slope.values, yerr=ds["rd_slope_error"].values, fmt="o-", color="k",
                    capsize=3)
        ax.axhspan(-tol, tol, color="0.5", alpha=0.15, label=f"critical |S_w| ≤ {tol:g}")
        ax.set_xticks(np.arange(len(values)), [f"{v:g}" if isinstance(v, (float, np.floating)) else str(v)
                                               for v in values])
        ax.set_xlabel(d)
        ax.set_ylabel("S_w")
        ax.legend(fontsize="small")
        ax.set_title(f"{ds.attrs.get('sweep', 'sweep')}: S_w", fontsize="medium")
        fig._condense = {"dims": dims}
        return fig
    x = x or dims[0]
    y = y or next(d for d in dims if d != x)
    rest = {d: 0 for d in dims if d not in (x, y)}
    grid = slope.isel(rest).transpose(y, x)
    regime = ds["regime"].isel(rest).transpose(y, x).values if "regime" in ds else None
    values = grid.values
    limit = max(float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0, tol * 2)
    image = ax.imshow(values, cmap=HEATMAP_CMAP, norm=mcolors.TwoSlopeNorm(0, -limit, limit), origin="lower",
                      aspect="auto")
    for (r, c), v in np.ndenumerate(values):
        text = "missing" if not np.isfinite(v) else f"{v:+.2f}" + (f"\n{regime[r, c]}" if regime is not None else "")
        ax.text(c, r, text, ha="center", va="center", fontsize="small",
                color="white" if np.isfinite(v) and abs(v) > 0.6 * limit else "black")
    fmt = lambda v: f"{v:g}" if isinstance(v, (float, np.floating, int, np.integer)) else str(v)  # noqa: E731
    ax.set_xticks(np.arange(ds.sizes[x]), [fmt(v) for v in ds[x].values])
    ax.set_yticks(np.arange(ds.sizes[y]), [fmt(v) for v in ds[y].values])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    fig.colorbar(image, ax=ax, label=f"S_w (|S_w| ≤ {tol:g}: critical)")
    title = f"{ds.attrs.get('sweep', 'sweep')}: S_w = slope of log RD vs log m"
    if rest:
        title += " at " + _axes_label(ds, {d: ds[d].values[0] for d in rest})
    ax.set_title(title, fontsize="medium")
    fig._condense = {"x": x, "y": y, "values": values}
    return fig


def sweep_directory(path, experiment=None) -> Path:
    """A sweep directory (manifest.json + summary.h5), directly or as ``DIR/<experiment>/`` of a
    ``condense reproduce`` directory (the only experiment, or the one named)."""
    path = Path(path)
    if (path / "manifest.json").exists() and experiment is None:
        return path
    if experiment is not None:
        if not (path / experiment / "manifest.json").exists():
            raise CondenseFileError(f"{path}: no sweep directory '{experiment}' (no {experiment}/manifest.json)")
        return path / experiment
    found = sorted(p.parent.name for p in path.glob("*/manifest.json"))
    if len(found) == 1:
        return path / found[0]
    if not found:
        raise CondenseFileError(f"{path}: not a sweep directory (no manifest.json) nor a reproduction directory")
    raise CondenseFileError(f"{path}: several experiments ({', '.join(found)}): name one")


def grid(directory, rows=None, experiment=None, layer="layer_1", step=None, select=None, max_neurons=200,
         panel=2.3):
    """P1 Fig. 2: a grid of heat maps from a sweep (or a ``condense reproduce`` directory's experiment): one
    row per value of ``rows`` (default: the first non-seed axis, e.g. the activation), one column per seed; each
    the layer's cosine similarity at the last snapshot (or ``step``) in its own cluster order. Other axes are
    fixed by ``select`` ({axis: value}; default their first value). Cell titles: condensed orientations at
    the last snapshot from the summary; row labels: the value and p."""
    sweep = sweep_directory(directory, experiment)
    ds = _summary(sweep)
    axes_names = [d for d in ds["run_id"].dims if d != "seed"]
    if not axes_names and "seed" not in ds["run_id"].dims:
        raise CondenseFileError(f"{sweep}: the sweep has no axes")
    rows = rows or (axes_names[0] if axes_names else None)
    fixed = {}
    for d in axes_names:
        if d == rows:
            continue
        value = (select or {}).get(d, ds[d].values[0])
        fixed[d] = value
    sub = ds.sel(fixed) if fixed else ds
    row_values = list(sub[rows].values) if rows else [None]
    seeds = list(sub["seed"].values) if "seed" in sub["run_id"].dims else [None]
    # At least ~5.5 in wide, so that the two-line title fits over a single column of seeds.
    fig, axes = new_figure(len(row_values), len(seeds), panel=(panel, panel),
                           extra=(max(1.0, 5.5 - panel * len(seeds)), 0.7))
    image = None
    cells = {}
    for r, rv in enumerate(row_values):
        for c, seed in enumerate(seeds):
            ax = axes[r][c]
            sel = {k: v for k, v in ((rows, rv), ("seed", seed)) if k is not None and v is not None}
            cell = sub.sel(sel)
            run_id = str(cell["run_id"].values)
            path = sweep / "runs" / run_id / "run.h5"
            if str(cell["status"].values) != "done" or not path.exists():
                ax.text(0.5, 0.5, f"{cell['status'].values}\n{cell['reason'].values}", ha="center", va="center",
                        transform=ax.transAxes, fontsize="small", wrap=True)
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            run = Run(path)
            run.require_layer(layer)
            s = run.snapshot_of_step(step) if step is not None else run.count - 1
            w = run.weights(layer, s)
            stored = run.stored(layer, "label", s)
            labels = np.asarray(stored) if stored is not None else greedy_labels(w)
            order, bounds = cluster_order(labels)
            block = max(1, math.ceil(len(order) / max_neurons))
            n = len(order)
            image = ax.imshow(blocked_similarity(w, order, block), cmap=plt.get_cmap(HEATMAP_CMAP).with_extremes(
                bad="0.85"), vmin=-1, vmax=1, interpolation="nearest", extent=(0, n, n, 0))
            for b in bounds[1:-1]:
                ax.axhline(b, color="k", lw=0.5, alpha=0.6)
                ax.axvline(b, color="k", lw=0.5, alpha=0.6)
            ax.set_xticks([])
            ax.set_yticks([])
            final = cell["final_orientations"].sel(layer=layer).values if "final_orientations" in cell else None
            title = f"seed {seed}" if seed is not None else ""
            if final is not None and step is None and int(final) >= 0:
                title += f": {int(final)} condensed"
            ax.set_title(title, fontsize="small")
            if c == 0:
                p = run.multiplicity(layer)
                value = compact_value(rv)
                name = value if rows == "activation" else f"{rows} = {value}"
                ax.set_ylabel(f"{name}\n({p_text(p)}, bound {2 * p if p > 0 else '–'})" if rv is not None else "")
            cells[(str(rv), None if seed is None else int(seed))] = {"run": path, "snapshot": s, "order": order}
    if image is not None:
        fig.colorbar(image, ax=axes.ravel().tolist(), label="cosine similarity", shrink=0.8)
    sweep_name = ds.attrs.get("sweep", sweep.name)
    where = ", ".join(_fmt(k, v) for k, v in fixed.items())
    title = fig.suptitle(f"{sweep_name}: {layer} at {'the last snapshot' if step is None else f'step {step}'}"
                         + (f" ({where})" if where else "") + (f"\nrows: {rows}, columns: seeds" if rows else "\ncolumns: seeds"),
                         fontsize="medium")
    # Long option values (a deep net's `hidden` list, wide layers) are abbreviated above; what is still longer
    # than its room is wrapped, then set smaller: a row label within its row's height, the title within the
    # figure's width.
    fig.draw_without_rendering()
    fit_text(fig, title, 0.98 * fig.bbox.width)
    for r in range(len(row_values)):
        fit_text(fig, axes[r][0].yaxis.label, axes[r][0].get_window_extent().height, along="height")
    fig._condense = {"cells": cells, "rows": row_values, "seeds": seeds}
    return fig
