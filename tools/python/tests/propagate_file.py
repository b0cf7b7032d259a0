"""Writes a file in the layout of `condense propagate -o FILE.h5` (Sources/RunFormat/FORMAT.md, "The propagation
file") with h5py, so the propagation figure can be tested without running the command."""
import h5py
import numpy as np

QUANTITIES = ["log_norm", "correlation", "theta", "ln_sin2_theta", "q"]
MODELS = ["finite_width", "infinite_width", "mean_field", "linearised", "lyapunov"]
_STR = h5py.string_dtype("utf-8")


def write_propagate_file(path, depth=6, networks=20, seed=0):
    """A fake but well-formed propagation file: `depth` hidden layers, `networks` simulated networks.

    The predictions follow simple closed forms (the angle halves in log space, etc.) and the simulation is
    that plus noise; what matters for the tests is that every value is known. Returns the arrays written.
    """
    rng = np.random.default_rng(seed)
    layers = np.arange(depth + 1, dtype=np.int64)
    L, Q, M = len(layers), len(QUANTITIES), len(MODELS)
    mean = np.full((M, L, Q), np.nan)
    std = np.full((M, L, Q), np.nan)
    theta = 1.2 * 0.8 ** layers
    mean[0, :, 2] = theta          # finite_width predicts theta with a spread
    std[0, :, 2] = 0.05 + 0.01 * layers
    mean[1, :, 2] = 1.2 * 0.82 ** layers  # infinite_width: theta, no spread
    mean[2, :, 1] = np.cos(theta)  # mean_field: correlation only
    mean[4, :, 0] = -0.1 * layers  # lyapunov: log_norm only
    sim = np.empty((networks, L, Q))
    sim[:, :, 0] = -0.1 * layers + 0.05 * rng.standard_normal((networks, L))
    sim[:, :, 1] = np.cos(theta) + 0.02 * rng.standard_normal((networks, L))
    sim[:, :, 2] = theta + 0.05 * rng.standard_normal((networks, L))
    sim[:, :, 3] = np.log(np.sin(sim[:, :, 2]) ** 2)
    sim[:, :, 4] = 1 + 0.01 * rng.standard_normal((networks, L))
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "condense-propagate"
        f.attrs["format_version"] = "1.0"
        f.attrs["tool_version"] = "0.1.0"
        f.attrs["command_line"] = "condense propagate (written by the python tests)"
        f.attrs["config"] = "{}"
        f.attrs["activation"] = "tanh"
        f.attrs["init"] = "gaussian(std=1)"
        f.attrs["widths"] = np.array([2] + [100] * depth + [1], dtype=np.int64)
        scales = {}
        for name, values in (("layer", layers), ("quantity", QUANTITIES), ("model", MODELS),
                             ("network", np.arange(networks, dtype=np.int64))):
            if isinstance(values, list):
                ds = f.create_dataset(name, data=np.array(values, dtype=object), dtype=_STR)
            else:
                ds = f.create_dataset(name, data=values)
            ds.make_scale(name)
            scales[name] = ds

        def put(name, data, dims):
            ds = f.create_dataset(name, data=data, fillvalue=np.nan)
            ds.attrs["_FillValue"] = np.float64(np.nan)
            for i, d in enumerate(dims):
                ds.dims[i].attach_scale(scales[d])
                ds.dims[i].label = d

        put("prediction_mean", mean, ("model", "layer", "quantity"))
        put("prediction_std", std, ("model", "layer", "quantity"))
        put("simulation", sim, ("network", "layer", "quantity"))
        put("simulation_mean", sim.mean(0), ("layer", "quantity"))
        put("simulation_std", sim.std(0, ddof=1), ("layer", "quantity"))
        put("simulation_sem", sim.std(0, ddof=1) / np.sqrt(networks), ("layer", "quantity"))
    return {"layer": layers, "prediction_mean": mean, "prediction_std": std, "simulation": sim}
