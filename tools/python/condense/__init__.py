"""condense in Python: record your own training runs in condense's run-file layout, read run files, analyses,
sweep summaries and propagation files as xarray data selected by training step, and draw the papers' figures.

    import condense
    run = condense.open_run("run.h5")
    run["layers/layer_1"]["weights"].sel(step=100)
    from condense import plot                      # needs matplotlib (pip install "condense[plot]")
    plot.heatmap("run.h5", steps=[0, 100, 300])

Layouts: Sources/RunFormat/FORMAT.md in the condense repository. numpy, h5py and xarray (with h5netcdf) only;
matplotlib for `condense.plot`, torch for `RunRecorder.for_torch`.
"""
from .recorder import FORMAT_VERSION, RunRecorder, SnapshotSchedule, canonical_activation, multiplicity
from .read import (CondenseFileError, clean_config, open_analysis, open_h5, open_propagation, open_run,
                   open_summary, run_config)

__version__ = "0.2.0"
__all__ = ["RunRecorder", "SnapshotSchedule", "canonical_activation", "multiplicity", "FORMAT_VERSION",
           "open_run", "open_analysis", "open_summary", "open_propagation", "open_h5", "clean_config",
           "run_config", "CondenseFileError", "plot", "__version__"]


def __getattr__(name):
    # condense.plot imports matplotlib, an optional dependency: load it on first use only.
    if name == "plot":
        import importlib
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'condense' has no attribute {name!r}")
