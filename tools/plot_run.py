#!/usr/bin/env python3
"""Kept for existing commands and notebooks: ``tools/plot_run.py KIND FILE …`` is ``python -m condense plot KIND
FILE …`` (the figures live in the `condense` package, tools/python/condense/plot/), and the old function names
(``loss_figure``, ``heatmap_figure``, ``polar_figure``, ``count_figure``, ``propagation_figure``, ``save``)
call the package's figures.

    PY=$(tools/python/venv.sh)
    $PY tools/plot_run.py heatmap run.h5 --layer layer_1 --snapshots 0,5,10 -o heat.pdf
    $PY tools/plot_run.py all run.h5 --out-dir figures/
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "python"))  # the package, when not pip-installed

import matplotlib  # noqa: E402

if "ipykernel" not in sys.modules:  # in a notebook keep its inline backend; everywhere else render off-screen
    matplotlib.use("Agg")

from condense import plot as _plot  # noqa: E402
from condense.cli import main as _main  # noqa: E402
from condense.plot import save, similarity_matrix  # noqa: E402,F401

__all__ = ["loss_figure", "heatmap_figure", "polar_figure", "count_figure", "propagation_figure", "save",
           "similarity_matrix", "main"]


def loss_figure(path, **kw):
    return _plot.loss(path, **kw)


def heatmap_figure(path, layer="layer_1", snapshots=None, **kw):
    return _plot.heatmap(path, layer, snapshots=snapshots, **kw)


def polar_figure(path, layer="layer_1", snapshots=None, **kw):
    return _plot.polar(path, layer, snapshots=snapshots, **kw)


def count_figure(path, **kw):
    return _plot.count(path, **kw)


def propagation_figure(path, quantity="theta", **kw):
    return _plot.propagation(path, quantity, **kw)


def main(argv=None) -> int:
    return _main(["plot", *(sys.argv[1:] if argv is None else argv)], prog="plot_run.py")


if __name__ == "__main__":
    sys.exit(main())
