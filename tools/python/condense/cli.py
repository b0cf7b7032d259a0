"""``python -m condense plot KIND FILE``: the figures of condense.plot from the command line.

    python -m condense plot heatmap run.h5 --steps 0,100,300 -o heat.pdf
    python -m condense plot count run.h5 --logx
    python -m condense plot all run.h5 --out-dir figures/
    python -m condense plot sw-map sweepdir/          # a sweep directory or its summary.h5
    python -m condense plot grid reproduce-dir/ --experiment fig2

Default output: FILE-KIND.png next to FILE (inside it for a directory). Errors are one line on stderr, exit 1.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = {
    "loss": "train, test and per-update loss against step (log y), initial stage shaded",
    "heatmap": "cosine-similarity heat maps of one layer, one neuron order, cluster boundaries",
    "layers": "heat maps of every hidden layer at the same steps (P1 Fig. 3)",
    "count": "condensed orientations per layer against step, bound 2p, initial stage",
    "polar": "(θ, A) per neuron coloured by cluster (one-dimensional input)",
    "evolution": "m_eff/m, RD, |cos v| and θ(t) over training",
    "output": "the output against degree-1/2/3 polynomial fits (P1 Fig. 5; 1-D input)",
    "field": "direction field g(φ) with the neurons' orientations (P1 Fig. 6; 1-D input, one layer)",
    "rd-fit": "log RD against log m with the S_w fits (P2 Fig. 3; sweep summary or directory)",
    "sw-map": "S_w over two sweep axes (P2 Fig. 4)",
    "grid": "heat maps over an axis (activation) and seeds (P1 Fig. 2; sweep or reproduce directory)",
    "compare-init": "median losses per scheme from `condense compare-init --json` output",
    "propagate": "`condense propagate -o` file: predicted against simulated per layer",
    "all": "every figure the file or directory supports, into --out-dir",
}


def _ints(text, what):
    if text is None:
        return None
    try:
        return [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise ValueError(f"{what} '{text}': give whole numbers like 0,100,300") from None


def _select(items):
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--select '{item}': use AXIS=VALUE")
        for cast in (int, float):
            try:
                value = cast(value)
                break
            except ValueError:
                continue
        out[key] = value
    return out


def _figures(kind, src: Path, a):
    from . import plot
    steps, snaps = _ints(a.steps, "--steps"), _ints(a.snapshots, "--snapshots")
    if kind == "loss":
        return [("loss", plot.loss(src, logx=a.logx))]
    if kind == "heatmap":
        return [(f"heatmap-{a.layer}", plot.heatmap(src, a.layer, steps=steps, snapshots=snaps,
                                                     order_step=a.order_step, max_neurons=a.max_neurons))]
    if kind == "layers":
        return [("layers", plot.layers(src, steps=steps, snapshots=snaps, max_neurons=a.max_neurons))]
    if kind == "count":
        return [("count", plot.count(src, logx=a.logx))]
    if kind == "polar":
        return [(f"polar-{a.layer}", plot.polar(src, a.layer, steps=steps, snapshots=snaps))]
    if kind == "evolution":
        return [("evolution", plot.evolution(src, logx=a.logx))]
    if kind == "output":
        return [("output", plot.output_fit(src, steps=steps, snapshots=snaps))]
    if kind == "field":
        return [("field", plot.direction_field(src, step=steps[0] if steps else None,
                                               snapshot=snaps[0] if snaps else None, radius=a.radius))]
    if kind == "rd-fit":
        return [("rd-fit", plot.rd_fit(src, layer=a.layer))]
    if kind == "sw-map":
        return [("sw-map", plot.sw_map(src))]
    if kind == "grid":
        return [("grid", plot.grid(src, rows=a.rows, experiment=a.experiment, layer=a.layer,
                                   step=steps[0] if steps else None, select=_select(a.select)))]
    if kind == "compare-init":
        return [("compare-init", plot.compare_init(src))]
    if kind == "propagate":
        if a.quantity:
            return [(f"propagate-{a.quantity}", plot.propagation(src, a.quantity))]
        return [("propagate", plot.propagate(src))]
    return _all(src, a)


def _all(src: Path, a):
    """Every figure a run file, propagation file, compare-init report, sweep summary or directory supports."""
    from . import plot
    from .read import open_h5
    if src.is_dir():
        if (src / "manifest.json").exists():
            return _sweep_figures(src, a)
        # A `condense reproduce` directory: DIR/<experiment>/ sweeps, figures named after their experiment.
        experiments = sorted(p.parent for p in src.glob("*/manifest.json"))
        if a.experiment:
            experiments = [e for e in experiments if e.name == a.experiment]
        out = [(f"{e.name}-{label}", fig) for e in experiments for label, fig in _sweep_figures(e, a)]
        if not out:
            raise ValueError(f"{src}: no sweep here (no manifest.json in it or in a folder of it)")
        return out
    if src.suffix == ".json":
        return [("compare-init", plot.compare_init(src))]
    with open_h5(src) as f:
        kind = str(f.attrs.get("format", ""))
        quantities = [str(q) for q in f["quantity"].asstr()[()]] if kind == "condense-propagate" else []
    if kind == "condense-propagate":
        return [("propagate", plot.propagate(src))] + [(f"propagate-{q}", plot.propagation(src, q))
                                                       for q in quantities]
    if kind == "condense.sweep_summary":
        return _summary_figures(src, a)
    run = plot.Run(src)
    out = [("loss", plot.loss(run, logx=a.logx))]
    out += [(f"heatmap-{layer}", plot.heatmap(run, layer, max_neurons=a.max_neurons)) for layer in run.hidden]
    if len(run.hidden) > 1:
        out.append(("layers", plot.layers(run, max_neurons=a.max_neurons)))
    one_d = [layer for layer in run.hidden if run.shapes[layer][1] == 2]
    out += [(f"polar-{layer}", plot.polar(run, layer)) for layer in one_d]
    if run.analysis:
        out += [("count", plot.count(run, logx=a.logx)), ("evolution", plot.evolution(run, logx=a.logx))]
    if run.hidden[0] in one_d and "train" in run.data:
        out.append(("output", plot.output_fit(run)))
        if len(run.hidden) == 1:
            out.append(("field", plot.direction_field(run)))
    return out


def _sweep_figures(sweep: Path, a):
    from . import plot
    out = _summary_figures(sweep / "summary.h5", a) if (sweep / "summary.h5").exists() else []
    return out + [("grid", plot.grid(sweep, layer=a.layer))]


def _summary_figures(summary, a):
    from . import plot
    from .read import open_summary
    ds = open_summary(summary)
    if "rd_slope" not in ds:
        return []
    out = [("rd-fit", plot.rd_fit(ds, layer=a.layer))]
    if ds["rd_slope"].ndim >= 1:
        out.append(("sw-map", plot.sw_map(ds)))
    return out


def parser(prog="python -m condense") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description="Figures from condense files (see condense.plot).")
    sub = p.add_subparsers(dest="command", required=True)
    plot = sub.add_parser("plot", help="draw a figure", description=__doc__.split("\n\n")[0])
    plot.add_argument("kind", choices=list(KINDS), metavar="KIND",
                      help="; ".join(f"{k}: {v}" for k, v in KINDS.items()))
    plot.add_argument("file", help="run file, analysis/propagation/summary file, sweep or reproduce directory, "
                                   "or compare-init JSON")
    plot.add_argument("-o", "--output", help="output .png or .pdf (default FILE-KIND.png next to FILE)")
    plot.add_argument("--out-dir", help="for `all`: the folder (default: next to FILE)")
    plot.add_argument("--format", choices=("png", "pdf"), default="png", help="for `all`")
    plot.add_argument("--dpi", type=int, default=150)
    plot.add_argument("--layer", default="layer_1")
    plot.add_argument("--steps", help="training steps, e.g. 0,100,300")
    plot.add_argument("--snapshots", help="snapshot indices (negative from the end), e.g. 0,5,-1")
    plot.add_argument("--order-step", type=int, help="heatmap: the step whose clusters order the neurons")
    plot.add_argument("--max-neurons", type=int, default=400, help="wider layers are drawn as blocks")
    plot.add_argument("--logx", action="store_true", help="log step axis (step 0 kept)")
    plot.add_argument("--quantity", help="propagate: one quantity (default: a panel each)")
    plot.add_argument("--radius", type=float, help="field: evaluate σ' at this weight norm, not leading order")
    plot.add_argument("--experiment", help="grid: the experiment of a reproduce directory")
    plot.add_argument("--rows", help="grid: the axis of the rows (default the first non-seed axis)")
    plot.add_argument("--select", action="append", metavar="AXIS=VALUE", help="grid: fix another axis")
    return p


def main(argv=None, prog="python -m condense") -> int:
    import matplotlib
    if "ipykernel" not in sys.modules:  # render off-screen: no display needed
        matplotlib.use("Agg")
    from .plot import save
    from .read import CondenseFileError

    args = parser(prog).parse_args(argv)
    src = Path(args.file)
    name = prog.split()[-1] if prog else "condense"
    try:
        if args.output and Path(args.output).suffix.lower() not in (".png", ".pdf"):
            raise ValueError(f"{args.output}: write .png or .pdf")
        if not src.exists():
            raise CondenseFileError(f"{src}: no such file or directory")
        figures = _figures(args.kind, src, args)
        for label, fig in figures:
            if args.kind == "all" or not args.output:
                folder = Path(args.out_dir) if args.out_dir else (src if src.is_dir() else src.parent)
                stem = "" if src.is_dir() else f"{src.stem}-"
                suffix = args.format if args.kind == "all" else "png"
                target = folder / f"{stem}{label}.{suffix}"
            else:
                target = Path(args.output)
            print(save(fig, target, dpi=args.dpi))
    except (CondenseFileError, ValueError, KeyError, OSError) as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"{name}: {message}", file=sys.stderr)
        return 1
    return 0


def plot_main(argv=None) -> int:
    """The ``condense-plot`` console script: ``condense-plot KIND FILE`` = ``python -m condense plot KIND FILE``."""
    return main(["plot", *(sys.argv[1:] if argv is None else argv)], prog="condense-plot")
