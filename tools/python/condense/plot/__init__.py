"""The papers' figures from condense files, each a function returning a matplotlib Figure (the argument is a
path, or a loaded `Run` for several figures of one file); `save(fig, path)` writes PNG or PDF.

Run files: `loss`, `heatmap`, `layers` (every layer, P1 Fig. 3), `count`, `polar` ((θ, A)), `evolution`,
`output_fit` (P1 Fig. 5), `direction_field` (P1 Fig. 6). Sweeps: `rd_fit` (P2 Fig. 3), `sw_map` (P2 Fig. 4),
`grid` (activation × seed, P1 Fig. 2). Other commands: `propagate`, `propagation`, `compare_init`.
Command line: ``python -m condense plot KIND FILE``.
"""
from pathlib import Path

import matplotlib.pyplot as plt

from ._common import Run, activation_function, blocked_similarity, cluster_order, forward, greedy_labels, similarity_matrix
from .run import count, evolution, heatmap, layers, loss, neuron_order, polar
from .sweep import grid, rd_fit, sw_map, sweep_directory
from .theory import direction_field, output_fit, polynomial_fits, tangential_field
from .tools import compare_init, propagate, propagation

__all__ = ["loss", "heatmap", "layers", "count", "polar", "evolution", "output_fit", "direction_field",
           "rd_fit", "sw_map", "grid", "propagate", "propagation", "compare_init", "save", "Run",
           "similarity_matrix", "blocked_similarity", "cluster_order", "greedy_labels", "neuron_order",
           "polynomial_fits", "tangential_field", "forward", "activation_function", "sweep_directory"]


def save(fig, path, dpi=150) -> Path:
    """Writes the figure as PNG or PDF (by suffix), creating the folder, and closes it."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf"):
        raise ValueError(f"{path}: write .png or .pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path
