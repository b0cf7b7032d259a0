"""tools/plot_run.py: every figure rendered from real run files (condense train + analyze) and checked for what it
must show — the data drawn, the axes, the colour scale, the image size — not only that a file appears."""
import shutil
import subprocess
import sys

import h5py
import matplotlib.image
import numpy as np
import pytest

import plot_run
from propagate_file import MODELS, QUANTITIES, write_propagate_file

PLOT = plot_run.__file__


def png_size(path):
    """(width, height) in pixels, read from the file itself."""
    h, w = matplotlib.image.imread(path).shape[:2]
    return w, h


def rendered(fig, tmp_path, name, dpi=100):
    """Saves PNG and PDF and checks both are what they claim; returns the PNG's pixel size."""
    size = tuple(int(round(v * dpi)) for v in fig.get_size_inches())
    fig.savefig(tmp_path / f"{name}.pdf")
    path = plot_run.save(fig, tmp_path / f"{name}.png", dpi=dpi)
    assert (tmp_path / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
    assert png_size(path) == size
    return size


def test_loss_curves_show_train_test_and_per_update_loss_on_a_log_scale(tanh1d_run, tmp_path):
    fig = plot_run.loss_figure(tanh1d_run)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    lines = {l.get_label(): l for l in ax.get_lines()}
    assert sorted(lines) == ["per update", "test", "train"]
    with h5py.File(tanh1d_run) as f:
        np.testing.assert_array_equal(lines["train"].get_xdata(), f["step"][()])
        np.testing.assert_array_equal(lines["train"].get_ydata(), f["train_loss"][()])
        np.testing.assert_array_equal(lines["test"].get_ydata(), f["test_loss"][()])
        assert len(lines["per update"].get_xdata()) == f["loss"].shape[0] == 300
    assert ax.get_ylabel() == "loss (half_sum)"
    assert rendered(fig, tmp_path, "loss") == (600, 400)


def test_heatmaps_are_the_stored_reordered_matrices_on_a_diverging_scale(tanh1d_run, tmp_path):
    fig = plot_run.heatmap_figure(tanh1d_run)
    with h5py.File(tanh1d_run) as f:
        g = f["analysis/layer_1"]
        stored = g["heatmap"][()].tolist()
        steps = f["step"][()]
        heat_axes = [ax for ax in fig.axes if ax.get_images()]
        assert len(heat_axes) == len(stored) >= 3
        assert len(fig.axes) == len(stored) + 1  # plus the colour bar
        for i, (ax, s) in enumerate(zip(heat_axes, stored)):
            (image,) = ax.get_images()
            np.testing.assert_array_equal(np.asarray(image.get_array().filled(np.nan)), g["similarity"][i])
            assert image.get_clim() == (-1, 1)
            assert image.get_cmap().name.startswith("RdBu_r")
            assert ax.get_title() == f"step {steps[s]}"
            assert ax.get_gid() == "stored"
    rendered(fig, tmp_path, "heatmap")


def test_computed_heatmap_matches_the_stored_one_and_shows_blocks(tanh1d_run, tmp_path):
    """Where a snapshot has no stored matrix it is computed from the weights in the same order as condense's."""
    with h5py.File(tanh1d_run) as f:
        g = f["analysis/layer_1"]
        s = int(g["heatmap"][-1])
        position = f["analysis/snapshot"][()].tolist().index(s)
        matrix, order = plot_run.similarity_matrix(f["layers/layer_1/weights"][s], g["label"][position])
        np.testing.assert_array_equal(order, g["order"][-1])
        np.testing.assert_allclose(matrix, g["similarity"][-1], atol=1e-12)
        unstored = next(i for i in range(f["step"].shape[0]) if i not in g["heatmap"][()])
        labels = g["label"][f["analysis/snapshot"][()].tolist().index(unstored)]
    fig = plot_run.heatmap_figure(tanh1d_run, snapshots=[unstored])
    ax = fig.axes[0]
    assert ax.get_gid() == "computed"
    shown = ax.get_images()[0].get_array()
    ordered = np.sort(labels[labels >= 0])
    same = ordered[:, None] == ordered[None, :]
    block = shown[: len(ordered), : len(ordered)]
    assert (block[same] > 0.95).all()  # each cluster is a red block on the diagonal
    assert len(fig.axes) == 2
    rendered(fig, tmp_path, "heatmap-computed")


def test_heatmap_without_analysis_groups_neurons_itself(tanh1d_run, tmp_path):
    plain = tmp_path / "plain.h5"
    shutil.copy(tanh1d_run, plain)
    with h5py.File(plain, "a") as f:
        del f["analysis"]
    fig = plot_run.heatmap_figure(plain, snapshots=[15])
    shown = fig.axes[0].get_images()[0].get_array()
    # At step 300 the 20 neurons sit on one line: the greedy grouping gives two contiguous blocks of opposite sign.
    signs = np.sign(shown[0])
    flips = np.count_nonzero(np.diff(signs))
    assert flips == 1, signs
    assert (np.abs(shown) > 0.9).all()
    with pytest.raises(SystemExit, match="snapshot 99 out of range"):
        plot_run.heatmap_figure(plain, snapshots=[99])


def test_polar_scatter_draws_each_neurons_theta_and_amplitude(tanh1d_run, tmp_path):
    fig = plot_run.polar_figure(tanh1d_run, snapshots=[0, 5, 15])
    assert len(fig.axes) == 3
    with h5py.File(tanh1d_run) as f:
        g = f["analysis/layer_1"]
        steps = f["step"][()]
        for ax, s in zip(fig.axes, [0, 5, 15]):
            (points,) = ax.collections
            xy = points.get_offsets()
            assert xy.shape == (20, 2)
            np.testing.assert_array_equal(xy[:, 0], g["theta"][s])
            np.testing.assert_array_equal(xy[:, 1], g["amplitude"][s])
            assert ax.get_xlim() == pytest.approx((-np.pi, np.pi))
            assert ax.get_title() == f"step {steps[s]}"
    rendered(fig, tmp_path, "polar")
    # Without /analysis the same points come from the weights and the readout (independent of the analyzer).
    plain = tmp_path / "plain.h5"
    shutil.copy(tanh1d_run, plain)
    with h5py.File(plain, "a") as f:
        del f["analysis"]
    again = plot_run.polar_figure(plain, snapshots=[15])
    np.testing.assert_allclose(again.axes[0].collections[0].get_offsets(), fig.axes[2].collections[0].get_offsets(),
                               rtol=1e-12)


def test_polar_refuses_multidimensional_input(deep_run):
    with pytest.raises(SystemExit, match="needs one-dimensional input"):
        plot_run.polar_figure(deep_run)


def test_count_figure_draws_each_layers_count_and_its_2p_bound(deep_run, tmp_path):
    fig = plot_run.count_figure(deep_run)
    (ax,) = fig.axes
    lines = {l.get_label(): l for l in ax.get_lines()}
    assert sorted(lines) == ["_layer_1 not condensed", "_layer_2 not condensed", "layer not condensed", "layer_1",
                             "layer_1 bound 2p = 4", "layer_2", "layer_2 bound 2p = 2"]
    with h5py.File(deep_run) as f:
        for layer in ("layer_1", "layer_2"):
            np.testing.assert_array_equal(lines[layer].get_xdata(), f["analysis/step"][()])
            np.testing.assert_array_equal(lines[layer].get_ydata(), f[f"analysis/{layer}/condensed_orientations"][()])
            verdicts = f[f"analysis/{layer}/verdict"].asstr()[()]
            hollow = lines[f"_{layer} not condensed"]
            assert list(hollow.get_xdata()) == [s for s, v in zip(f["analysis/step"][()], verdicts) if v == "not condensed"]
            assert 0 < len(hollow.get_xdata()) < len(verdicts)
    assert list(lines["layer_1 bound 2p = 4"].get_ydata()) == [4, 4]
    assert list(lines["layer_2 bound 2p = 2"].get_ydata()) == [2, 2]
    assert lines["layer_1"].get_color() == lines["layer_1 bound 2p = 4"].get_color()
    with h5py.File(deep_run) as f:
        spans = {}
        for layer in ("layer_1", "layer_2"):
            g = f[f"analysis/{layer}"]
            steps = f["analysis/step"][()]
            spans[f"{layer} initial stage ({g.attrs['initial_orientations']})"] = (
                steps[g.attrs["initial_stage_start"]], steps[g.attrs["initial_stage_end"]])
    shaded = {p.get_label(): p for p in ax.patches}
    assert sorted(shaded) == sorted(spans) == ["layer_1 initial stage (3)", "layer_2 initial stage (2)"]
    for label, (lo, hi) in spans.items():
        span = shaded[label]  # a Rectangle in data x, axes y
        assert (span.get_x(), span.get_x() + span.get_width()) == (lo, hi), label
    assert ax.get_ylim()[1] >= 5
    rendered(fig, tmp_path, "count")


def test_count_figure_needs_the_analysis(tmp_path, condense):
    run = tmp_path / "bare.h5"
    condense("train", "--steps", "5", "-q", "-o", run)
    with pytest.raises(SystemExit, match="run `condense analyze"):
        plot_run.count_figure(run)


def test_propagation_figure_puts_simulation_error_bars_beside_each_prediction(tmp_path):
    path = tmp_path / "prop.h5"
    truth = write_propagate_file(path, depth=6, networks=20)
    fig = plot_run.propagation_figure(path, "theta")
    (ax,) = fig.axes
    lines = {l.get_label(): l for l in ax.get_lines() if not l.get_label().startswith("_")}
    assert sorted(lines) == ["finite width", "infinite width"]  # the other models say nothing about theta
    q = QUANTITIES.index("theta")
    np.testing.assert_array_equal(lines["finite width"].get_xdata(), np.arange(7))
    np.testing.assert_array_equal(lines["finite width"].get_ydata(), truth["prediction_mean"][0, :, q])
    (bars,) = ax.containers
    sim = truth["simulation"][:, :, q]
    np.testing.assert_allclose(bars.lines[0].get_ydata(), sim.mean(0))
    assert bars.get_label() == "simulation (±std, 20 networks)"
    # Error bar half-lengths are the simulation std.
    (segments,) = bars.lines[2]
    half = np.array([abs(s[1, 1] - s[0, 1]) / 2 for s in segments.get_segments()])
    np.testing.assert_allclose(half, sim.std(0, ddof=1))
    # Only finite_width predicts a spread: one band.
    bands = [c for c in ax.collections if c is not segments]
    assert len(bands) == 1
    rendered(fig, tmp_path, "propagate-theta")
    corr = plot_run.propagation_figure(path, "correlation")
    assert [l.get_label() for l in corr.axes[0].get_lines() if not l.get_label().startswith("_")] == ["mean field"]
    with pytest.raises(SystemExit, match="no quantity 'angle'"):
        plot_run.propagation_figure(path, "angle")


def test_command_line_writes_every_figure_a_file_supports(tanh1d_run, tmp_path, capsys):
    # One real process (the script as a user runs it), the rest in-process through main() to keep the suite fast.
    r = subprocess.run([sys.executable, PLOT, "all", str(tanh1d_run), "--out-dir", str(tmp_path / "figs")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    order = ["tanh1d-loss.png", "tanh1d-heatmap-layer_1.png", "tanh1d-polar-layer_1.png", "tanh1d-count.png"]
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == sorted(order)
    assert r.stdout.split() == [str(tmp_path / "figs" / n) for n in order]
    out = tmp_path / "h.pdf"
    assert plot_run.main(["heatmap", str(tanh1d_run), "--snapshots", "0,15", "-o", str(out)]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    prop = tmp_path / "prop.h5"
    write_propagate_file(prop)
    assert plot_run.main(["all", str(prop), "--out-dir", str(tmp_path / "p")]) == 0
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == sorted(f"prop-propagate-{q}.png" for q in QUANTITIES)
    for args, needle in ((["loss", str(tmp_path / "none.h5")], "no such file"),
                         (["heatmap", str(tanh1d_run), "--layer", "layer_9"], "no layer 'layer_9'"),
                         (["heatmap", str(tanh1d_run), "--snapshots", "a,b"], "give snapshot indices"),
                         (["propagate", str(tanh1d_run)], "not a `condense propagate` file"),
                         (["loss", str(tanh1d_run), "-o", str(tmp_path / "x.svg")], "write .png or .pdf")):
        with pytest.raises(SystemExit) as e:
            plot_run.main(args)
        message = str(e.value)
        assert needle in message and "\n" not in message, (args, message)
    r = subprocess.run([sys.executable, PLOT, "count", str(tmp_path / "none.h5")], capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.strip().splitlines() == [f"plot_run: {tmp_path / 'none.h5'}: no such file"]


def test_propagation_figure_from_the_real_command_when_it_is_built(condense_bin, condense, tmp_path):
    """Once `condense propagate` is in the binary: its file opens in xarray with named dimensions and the figure
    shows its simulation mean ± std and every model that predicts the quantity."""
    listed = subprocess.run([str(condense_bin), "--help"], capture_output=True, text=True).stdout
    if not any(line.split()[:1] == ["propagate"] for line in listed.split("SUBCOMMANDS:")[-1].splitlines()):
        pytest.skip("condense propagate is not in this build yet (written on another branch)")
    import xarray as xr
    path = tmp_path / "prop.h5"
    condense("propagate", "--widths", "20,50,50,50,1", "--simulate", "8", "--seed", "1", "-o", path)
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        assert ds["prediction_mean"].dims == ("model", "layer", "quantity")
        assert ds["simulation_mean"].dims == ("layer", "quantity")
        assert not [d for d in ds.sizes if str(d).startswith("phony_dim")]
        quantities = [str(q) for q in ds["quantity"].values]
        models = [str(m) for m in ds["model"].values]
        for quantity in ("theta", "correlation"):
            if quantity not in quantities:
                continue
            q = quantities.index(quantity)
            fig = plot_run.propagation_figure(path, quantity)
            (ax,) = fig.axes
            (bars,) = ax.containers
            np.testing.assert_allclose(bars.lines[0].get_ydata(), ds["simulation_mean"].values[:, q])
            predicted = [m.replace("_", " ") for i, m in enumerate(models)
                         if np.isfinite(ds["prediction_mean"].values[i, :, q]).any()]
            assert [l.get_label() for l in ax.get_lines() if not l.get_label().startswith("_")] == predicted
            rendered(fig, tmp_path, f"real-{quantity}")
