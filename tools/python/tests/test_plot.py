"""condense.plot: every figure kind drawn from real files (condense train + analyze, sweep plan/run/collect,
compare-init, propagate, the example runs in notebooks-data/) and checked for what it must show: the data
drawn, labels and titles, colour limits, panel count, and that it saves as PNG and PDF of the stated size."""
import json
import math
import shutil

import h5py
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest

from condense import plot
from conftest import EXAMPLES
from condense.plot.tools import QUANTITY_TITLES
from propagate_file import QUANTITIES, write_propagate_file


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def rendered(fig, tmp_path, name, dpi=60):
    """Saves PNG and PDF, checks both are what they claim; returns the PNG's pixel size."""
    size = tuple(int(round(v * dpi)) for v in fig.get_size_inches())
    fig.savefig(tmp_path / f"{name}.pdf")
    path = plot.save(fig, tmp_path / f"{name}.png", dpi=dpi)
    assert (tmp_path / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
    h, w = matplotlib.image.imread(path).shape[:2]
    assert (w, h) == size
    return size


def image_axes(fig):
    return [ax for ax in fig.axes if ax.get_images() and ax.get_label() != "<colorbar>"]


def cosine(w, order):
    u = w[order] / np.linalg.norm(w[order], axis=1, keepdims=True)
    return np.clip(u @ u.T, -1, 1)


@pytest.fixture(scope="module")
def wide_run(tmp_path_factory, condense):
    """1-1200-1 tanh, analyzed: wider than the heat map's 400-neuron limit."""
    path = tmp_path_factory.mktemp("wide") / "wide.h5"
    condense("train", "--target", "sin1d", "--hidden", "1200", "--steps", "60", "--snapshots", "every:30",
             "--init-std", "0.001", "--n-test", "0", "-q", "-o", path)
    condense("analyze", path)
    return path


@pytest.fixture(scope="module")
def three_tanh_run(tmp_path_factory, condense):
    """2-10-10-10-1, tanh in every layer (one p), log-spaced snapshots, analyzed."""
    path = tmp_path_factory.mktemp("deep3") / "three.h5"
    condense("train", "--target", "teacher", "--input-dim", "2", "--hidden", "10,10,10", "--steps", "200",
             "--snapshots", "log:10", "--n-train", "30", "--n-test", "0", "--init-std", "0.01", "-q", "-o", path)
    condense("analyze", path)
    return path


# ---------------------------------------------------------------------------------------------------------------
def test_loss_draws_train_test_and_per_update_loss_with_the_initial_stage(tanh1d_run, tmp_path):
    fig = plot.loss(tanh1d_run)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    lines = {l.get_label(): l for l in ax.get_lines()}
    assert sorted(lines) == ["per update", "test", "train"]
    with h5py.File(tanh1d_run) as f:
        np.testing.assert_array_equal(lines["train"].get_xdata(), f["step"][()])
        np.testing.assert_array_equal(lines["train"].get_ydata(), f["train_loss"][()])
        np.testing.assert_array_equal(lines["test"].get_ydata(), f["test_loss"][()])
        assert len(lines["per update"].get_xdata()) == f["loss"].shape[0] == 300
        g = f["analysis/layer_1"]
        stage = (f["analysis/step"][g.attrs["initial_stage_start"]], f["analysis/step"][g.attrs["initial_stage_end"]])
    (span,) = ax.patches
    assert span.get_label() == "initial stage of layer_1"
    assert (span.get_x(), span.get_x() + span.get_width()) == stage
    assert ax.get_ylabel() == "loss (half-sum)"
    rendered(fig, tmp_path, "loss")
    assert plot.loss(tanh1d_run, logx=True).axes[0].get_xscale() == "symlog"


def test_heatmap_panels_share_one_neuron_order_with_cluster_boundaries(tanh1d_run, tmp_path):
    fig = plot.heatmap(tanh1d_run)
    info = fig._condense
    with h5py.File(tanh1d_run) as f:
        g = f["analysis/layer_1"]
        shown = [int(s) for s in g["heatmap"][()]]  # default: the snapshots analyze stored matrices for
        labels = g["label"][list(f["analysis/snapshot"][()]).index(shown[-1])]
        weights = f["layers/layer_1/weights"][()]
        steps = f["step"][()]
        counts = g["condensed_orientations"][()]
    order, bounds = plot.cluster_order(labels)
    np.testing.assert_array_equal(info["order"], order)
    sizes = np.bincount(labels[labels >= 0])
    assert list(bounds) == [0] + list(np.cumsum(sizes)) + ([20] if sizes.sum() < 20 else [])
    axes = image_axes(fig)
    assert len(axes) == len(shown) == 4 and len(fig.axes) == 5  # panels and the colour bar
    for ax, s in zip(axes, shown):
        (image,) = ax.get_images()
        np.testing.assert_allclose(np.asarray(image.get_array()), cosine(weights[s], order), atol=1e-12)
        assert image.get_clim() == (-1, 1) and image.get_cmap().name.startswith("RdBu_r")
        assert ax.get_title() == f"step {steps[s]}: {counts[s]} condensed"
        ys = sorted(l.get_ydata()[0] for l in ax.get_lines() if len(set(l.get_ydata())) == 1)
        assert ys == list(bounds[1:-1])  # boundaries of the shared order in every panel
        assert all(float(t).is_integer() for t in ax.get_xticks())
    title = fig._suptitle.get_text()
    assert "tanh1d.h5: layer_1 · tanh (p = 1) · 20 neurons" in title and "bound 2p = 2" in title
    assert "order of step 300" in title
    rendered(fig, tmp_path, "heatmap")
    # The order of an earlier step, chosen explicitly, and steps instead of indices
    early = plot.heatmap(tanh1d_run, steps=[20, 300], order_step=20)
    assert [ax.get_title().split(":")[0] for ax in image_axes(early)] == ["step 20", "step 300"]
    assert "order of step 20" in early._suptitle.get_text()


def test_heatmap_of_a_wide_layer_shows_block_means(wide_run, tmp_path):
    fig = plot.heatmap(wide_run, steps=[0, 60])
    info = fig._condense
    assert info["block"] == 3  # 1200 neurons, at most 400 rows
    with h5py.File(wide_run) as f:
        w = f["layers/layer_1/weights"][2]
    full = cosine(w, info["order"])
    (image,) = image_axes(fig)[1].get_images()
    shown = np.asarray(image.get_array())
    assert shown.shape == (400, 400)
    # Block mean of the full matrix (computed the slow way) = the drawn block.
    np.testing.assert_allclose(shown[5, 7], full[15:18, 21:24].mean(), atol=1e-12)
    np.testing.assert_allclose(shown[-1, 0], full[1197:, :3].mean(), atol=1e-12)
    assert image.get_extent() == [0, 1200, 1200, 0]  # axes in neuron positions, whatever the block
    assert "block mean of 3 neurons" in fig._suptitle.get_text() and "1200 neurons" in fig._suptitle.get_text()
    assert max(image_axes(fig)[0].get_xticks()) <= 1200
    rendered(fig, tmp_path, "wide")
    # Evolution of 1200 neurons: θ(t) of 300 of them; m_eff/m (a few orientations / 1200) not flat on the axis.
    evo = plot.evolution(wide_run)
    assert len(evo.axes[3].get_lines()) == 300 and evo.axes[3].get_ylabel() == "θ of 300 of 1200 layer_1 neurons"
    ratio = evo.axes[0].get_lines()[0].get_ydata()
    assert ratio.max() < 0.1 and evo.axes[0].get_ylim() == pytest.approx((0, 1.25 * ratio.max()))


def test_heatmap_without_analysis_groups_neurons_itself(tanh1d_run, tmp_path):
    plain = tmp_path / "plain.h5"
    shutil.copy(tanh1d_run, plain)
    with h5py.File(plain, "a") as f:
        del f["analysis"]
    fig = plot.heatmap(plain, snapshots=[15])
    assert fig._condense["source"] == "computed" and "grouped here" in fig._suptitle.get_text()
    shown = np.asarray(image_axes(fig)[0].get_images()[0].get_array())
    # At step 300 the 20 neurons sit on one line: two contiguous blocks of opposite sign.
    assert np.count_nonzero(np.diff(np.sign(shown[0]))) == 1 and (np.abs(shown) > 0.9).all()
    assert image_axes(fig)[0].get_title() == "step 300"
    with pytest.raises(ValueError, match="snapshot 99 out of range"):
        plot.heatmap(plain, snapshots=[99])
    with pytest.raises(ValueError, match=r"no snapshot at step 15 \(nearest: 0, 20, 40\)"):
        plot.heatmap(plain, steps=[15])


def test_layers_draws_every_layer_at_the_same_steps(deep_run, tmp_path):
    fig = plot.layers(deep_run)
    axes = image_axes(fig)
    assert len(axes) == 2 * 3 and len(fig.axes) == 7
    with h5py.File(deep_run) as f:
        chosen = fig._condense["snapshots"]
        for r, layer in enumerate(["layer_1", "layer_2"]):
            order = fig._condense["layers"][layer]["order"]
            for c, s in enumerate(chosen):
                image = axes[3 * r + c].get_images()[0]
                np.testing.assert_allclose(np.asarray(image.get_array()),
                                           cosine(f[f"layers/{layer}/weights"][s], order), atol=1e-12)
        assert axes[0].get_ylabel() == "layer_1\nxtanh (p = 2)\n12 neurons"
        assert axes[3].get_ylabel() == "layer_2\ntanh (p = 1)\n8 neurons"
    rendered(fig, tmp_path, "layers")


def test_count_has_integer_ticks_one_bound_per_p_and_shaded_stages(deep_run, three_tanh_run, tmp_path):
    fig = plot.count(deep_run)
    (ax,) = fig.axes
    lines = {l.get_label(): l for l in ax.get_lines()}
    with h5py.File(deep_run) as f:
        steps = f["analysis/step"][()]
        for layer, act in (("layer_1", "xtanh"), ("layer_2", "tanh")):
            g = f[f"analysis/{layer}"]
            label = f"{layer} ({act}): initial {g.attrs['initial_orientations']}"
            np.testing.assert_array_equal(lines[label].get_xdata(), steps)
            np.testing.assert_array_equal(lines[label].get_ydata(), g["condensed_orientations"][()])
            hollow = lines[f"_{layer} not condensed"]
            verdicts = g["verdict"].asstr()[()]
            assert list(hollow.get_xdata()) == [s for s, v in zip(steps, verdicts) if v == "not condensed"]
    bounds = {l.get_label(): l for l in ax.get_lines() if l.get_label().startswith("bound")}
    assert sorted(bounds) == ["bound 2p = 2 (p = 1: layer_2)", "bound 2p = 4 (p = 2: layer_1)"]
    assert list(bounds["bound 2p = 4 (p = 2: layer_1)"].get_ydata()) == [4, 4]
    assert all(float(t).is_integer() for t in ax.get_yticks())
    assert len(ax.patches) == 2  # one stage bar per layer, stacked along the top
    np.testing.assert_allclose(sorted((p.get_y(), p.get_height()) for p in ax.patches), [(0.93, 0.035), (0.965, 0.035)])
    with h5py.File(deep_run) as f:
        stages = sorted((f["analysis/step"][f[f"analysis/{l}"].attrs["initial_stage_start"]],
                         f["analysis/step"][f[f"analysis/{l}"].attrs["initial_stage_end"]]) for l in ("layer_1", "layer_2"))
    assert sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches) == stages
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-2:] == ["initial stage (bars at the top)", "layer not condensed"] and len(legend) == 6
    rendered(fig, tmp_path, "count")
    # Three tanh layers: one bound line for their one p, and a log step axis that keeps step 0.
    three = plot.count(three_tanh_run, logx=True)
    (ax,) = three.axes
    assert [l.get_label() for l in ax.get_lines() if l.get_label().startswith("bound")] == [
        "bound 2p = 2 (p = 1: layer_1, layer_2, layer_3)"]
    assert ax.get_xscale() == "symlog" and ax.get_xlim()[0] == 0
    rendered(three, tmp_path, "count-three")


def test_figures_of_an_analysis_file_written_with_dash_o(tanh1d_run, tmp_path, condense, sw_sweep):
    """`condense analyze run.h5 -o analysis.h5`: count and evolution draw from it (the weights from its run);
    without the run, and for a sweep summary, the error names what to do."""
    run = tmp_path / "run.h5"
    shutil.copy(tanh1d_run, run)
    with h5py.File(run, "a") as f:
        del f["analysis"]
    separate = tmp_path / "separate.h5"
    condense("analyze", run, "-o", separate, "--snapshots", "0,3,6,9,12,15")
    fig = plot.count(separate)
    (line,) = [l for l in fig.axes[0].get_lines() if l.get_label().startswith("layer_1 (tanh)")]
    with h5py.File(separate) as f:
        np.testing.assert_array_equal(line.get_xdata(), f["analysis/step"][()])
        np.testing.assert_array_equal(line.get_ydata(), f["analysis/layer_1/condensed_orientations"][()])
    assert fig.axes[0].get_title() == "run.h5"
    assert len(plot.evolution(separate).axes) == 4
    assert image_axes(plot.heatmap(separate, steps=[60]))[0].get_title() == "step 60: 2 condensed"
    run.unlink()
    with pytest.raises(ValueError, match="keep the run file next to it"):
        plot.count(separate)
    with pytest.raises(ValueError, match="a sweep summary: use rd-fit, sw-map or grid"):
        plot.count(sw_sweep / "summary.h5")


def test_count_and_evolution_need_the_analysis(tmp_path, condense):
    run = tmp_path / "bare.h5"
    condense("train", "--steps", "5", "-q", "-o", run)
    for figure in (plot.count, plot.evolution):
        with pytest.raises(ValueError, match="run `condense analyze"):
            figure(run)


def test_polar_colours_neurons_by_cluster(tanh1d_run, tmp_path, deep_run):
    fig = plot.polar(tanh1d_run, snapshots=[0, 5, 15])
    assert len(fig.axes) == 3
    with h5py.File(tanh1d_run) as f:
        g = f["analysis/layer_1"]
        for ax, s in zip(fig.axes, [0, 5, 15]):
            (points,) = ax.collections
            np.testing.assert_array_equal(points.get_offsets()[:, 0], g["theta"][s])
            np.testing.assert_array_equal(points.get_offsets()[:, 1], g["amplitude"][s])
            colors = [tuple(c) for c in points.get_facecolors()]
            labels = g["label"][s]
            count = int(g["condensed_orientations"][s])
            sizes = np.bincount(labels[labels >= 0])
            top = set(np.argsort(-sizes, kind="stable")[:count].tolist())
            grey = (0.55, 0.55, 0.55, 1.0)
            for i in range(20):
                # the k = count largest clusters in colours of their own, every other neuron grey
                assert (colors[i] == grey) == (labels[i] not in top), (s, i)
                for j in range(20):
                    if labels[i] in top and labels[j] in top:
                        assert (colors[i] == colors[j]) == (labels[i] == labels[j])
            assert ax.get_title() == f"step {f['step'][s]}: {g['condensed_orientations'][s]} condensed"
            assert ax.get_xlim() == pytest.approx((-math.pi, math.pi))
    assert fig.axes[0].get_ylabel() == "A = |a|·‖(w, b)‖"
    rendered(fig, tmp_path, "polar")
    with pytest.raises(ValueError, match="needs one-dimensional input"):
        plot.polar(deep_run)


def test_evolution_draws_meff_rd_cos_and_theta(tanh1d_run, deep_run, tmp_path):
    fig = plot.evolution(tanh1d_run)
    assert len(fig.axes) == 4
    eff, rd, cos, theta = fig.axes
    with h5py.File(tanh1d_run) as f:
        g = f["analysis/layer_1"]
        np.testing.assert_array_equal(eff.get_lines()[0].get_ydata(), g["effective_ratio"][()])
        r = g["relative_distance"][()]
        np.testing.assert_array_equal(rd.get_lines()[0].get_ydata(), r[r > 0])
        np.testing.assert_array_equal(cos.get_lines()[0].get_ydata(), g["predicted_cosine"][()])
        w = f["layers/layer_1/weights"][()]
    assert rd.get_yscale() == "log" and theta.get_gid() == "theta"
    traces = theta.get_lines()
    assert len(traces) == 20
    drawn = traces[3].get_ydata()
    expected = np.arctan2(w[:, 3, 1], w[:, 3, 0])
    np.testing.assert_allclose(drawn[np.isfinite(drawn)], expected, atol=1e-12)  # θ, broken where it wraps
    assert eff.get_ylabel() == "m_eff / m" and "initial stage of layer_1" in fig._suptitle.get_text()
    rendered(fig, tmp_path, "evolution")
    deep = plot.evolution(deep_run)
    assert deep.axes[3].get_gid() == "covered_share" and len(deep.axes[0].get_lines()) == 2


def test_output_fit_is_the_network_output_and_its_polynomial_fits():
    """P1 Fig. 5 on the example x·tanh x run: the output computed here reproduces the stored training loss, and
    at step 300 degree 2 fits it (ρ ≤ 0.05) while degree 1 does not."""
    path = EXAMPLES / "xtanh-1d.h5"
    run = plot.Run(path)
    x, y = run.data["train"]
    for s in (0, 10, 30):
        f = plot.forward(run, s, x)
        assert 0.5 * np.mean((f - y) ** 2) == pytest.approx(run.scalars["train_loss"][s], rel=1e-9)
    fig = plot.output_fit(run, steps=[100, 300])
    axes = [ax for ax in fig.axes]
    assert len(axes) == 2
    last = fig._condense["panels"][1]
    rho = {k: r for k, (_, r) in last["fits"].items()}
    assert rho[2] <= 0.05 < rho[1] and last["best"] == 2
    assert axes[1].get_title() == "step 300: degree 2 fits"
    labels = [l.get_label() for l in axes[1].get_lines()]
    assert labels == ["training data", "network output", "degree 1 fit", "degree 2 fit", "degree 3 fit"]
    np.testing.assert_array_equal(axes[1].get_lines()[0].get_xdata(), x[:, 0])
    np.testing.assert_allclose(axes[1].get_lines()[1].get_ydata(),
                               plot.forward(run, 30, fig._condense["x"][:, None])[:, 0])
    assert f"ρ2 = {rho[2]:.3f}" in axes[1].texts[0].get_text()
    assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == "degree 3 fit"
    # An exact quadratic is fitted exactly from degree 2 on.
    t = np.linspace(-1, 2, 50)
    fits = plot.polynomial_fits(t, 3 * t ** 2 - t + 1)
    assert fits[1][1] > 0.1 and fits[2][1] < 1e-12 and fits[3][1] < 1e-12


def test_direction_field_follows_p1s_formula_and_marks_the_neurons(tmp_path):
    """P1 Fig. 6: g(φ) equals the leading-order formula computed directly; its zeros come in antipodal pairs,
    p lines (tanh 1, x·tanh x 2), each attracting one readout sign; the neurons' orientations are marked."""
    for name, p in (("tanh-1d.h5", 1), ("xtanh-1d.h5", 2)):
        path = EXAMPLES / name
        fig = plot.direction_field(path, step=20)
        info = fig._condense
        run = plot.Run(path)
        x, y = run.data["train"]
        s = run.snapshot_of_step(20)
        e = (plot.forward(run, s, x) - y)[:, 0]
        phi = info["phi"]
        xt = np.stack([x[:, 0], np.ones(len(x))], axis=1)
        expected = []
        for angle in phi:
            omega = np.array([np.cos(angle), np.sin(angle)])
            field = -(p * (xt @ omega) ** (p - 1) * e) @ xt / len(x)  # c = 1 for tanh and x·tanh x
            expected.append(np.array([-np.sin(angle), np.cos(angle)]) @ field)
        np.testing.assert_allclose(info["g"], expected, atol=1e-12 * np.abs(expected).max())
        half = (len(phi) - 1) // 2
        np.testing.assert_allclose(info["g"][half:], (-1) ** p * info["g"][:half + 1], atol=1e-9 * np.abs(expected).max())
        assert len(info["stable_positive"]) == p and len(info["stable_negative"]) == p
        if p == 2:  # even p: both ends of a line attract the same readout sign
            assert np.diff(info["stable_positive"]) == pytest.approx([math.pi], abs=1e-3)
        ax, circle = fig.axes
        marks = {l.get_label(): l for l in ax.get_lines()}
        w = run.weights("layer_1", s)
        a = run.weights("readout", s)[0, :-1]
        positive = [k for k in marks if k.startswith("neurons, a > 0")][0]
        np.testing.assert_allclose(np.sort(marks[positive].get_xdata()),
                                   np.sort(np.arctan2(w[a > 0, 1], w[a > 0, 0])))
        assert positive == f"neurons, a > 0 ({int((a > 0).sum())})"
        assert ax.get_ylabel() == "tangential velocity g(φ)"
        assert "leading order" in fig._suptitle.get_text() and "step 20" in fig._suptitle.get_text()
        assert len(circle.collections) == 2  # arrows and neurons
        rendered(fig, tmp_path, f"field-{p}")


def test_direction_field_and_output_refuse_other_runs(deep_run):
    with pytest.raises(ValueError, match="one-dimensional input"):
        plot.direction_field(deep_run)
    with pytest.raises(ValueError, match="one-dimensional input"):
        plot.output_fit(deep_run)


# ---------------------------------------------------------------------------------------------------------------
def test_rd_fit_draws_every_run_and_the_stored_slope(sw_sweep, tmp_path):
    import condense
    ds = condense.open_summary(sw_sweep)
    fig = plot.rd_fit(sw_sweep)
    (ax,) = fig.axes
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    fits = [l for l in ax.get_lines() if "S_w" in l.get_label()]
    points = [l for l in ax.get_lines() if l.get_label() == "_points"]
    assert len(fits) == len(points) == 4
    assert sum(len(p.get_xdata()) for p in points) == int((ds["status"].values == "done").sum()) == 12
    for line, fit in zip(fits, fig._condense["fits"]):
        x, y = np.log10(line.get_xdata()), np.log10(line.get_ydata())
        drawn = (y[1] - y[0]) / (x[1] - x[0])
        stored = float(ds["rd_slope"].sel({k: v for k, v in fit["point"].items()}))
        assert drawn == pytest.approx(stored, rel=1e-9)
        assert fit["refit"] == pytest.approx(stored, rel=1e-6)  # collect's S_w is this least-squares slope
        assert f"S_w = {stored:+.2f}" in line.get_label()
    assert ax.get_xlabel() == "width m (hidden)" and ax.get_ylabel() == "RD of layer_1 (last snapshot)"
    assert [float(t) for t in ax.get_xticks()] == [40, 80, 160]
    rendered(fig, tmp_path, "rd-fit")


def test_sw_map_is_centred_at_zero_and_annotated(sw_sweep, tmp_path):
    import condense
    ds = condense.open_summary(sw_sweep)
    fig = plot.sw_map(sw_sweep)
    ax = fig.axes[0]
    (image,) = ax.get_images()
    np.testing.assert_array_equal(np.asarray(image.get_array()), ds["rd_slope"].transpose("readout-gamma", "gamma").values)
    lo, hi = image.get_clim()
    assert lo == -hi and image.norm.vcenter == 0
    assert ax.get_xlabel() == "gamma" and ax.get_ylabel() == "readout-gamma"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.5", "1.75"]
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 4
    for (r, c), v in np.ndenumerate(ds["rd_slope"].transpose("readout-gamma", "gamma").values):
        regime = str(ds["regime"].transpose("readout-gamma", "gamma").values[r, c])
        assert f"{v:+.2f}\n{regime}" in texts
    assert len(fig.axes) == 2  # the map and its colour bar
    rendered(fig, tmp_path, "sw-map")


def test_grid_over_activations_and_seeds_from_a_sweep_and_a_reproduce_directory(grid_sweep, tmp_path):
    import condense
    ds = condense.open_summary(grid_sweep)
    fig = plot.grid(grid_sweep)
    axes = image_axes(fig)
    assert len(axes) == 4 and len(fig.axes) == 5
    for (activation, seed), cell in fig._condense["cells"].items():
        with h5py.File(cell["run"]) as f:
            w = f["layers/layer_1/weights"][-1]
        ax = axes[["tanh", "xtanh"].index(activation) * 2 + [1, 2].index(seed)]
        np.testing.assert_allclose(np.asarray(ax.get_images()[0].get_array()), cosine(w, cell["order"]), atol=1e-12)
        final = int(ds["final_orientations"].sel(activation=activation, seed=seed, layer="layer_1"))
        assert ax.get_title() == f"seed {seed}: {final} condensed"
    assert axes[0].get_ylabel() == "tanh\n(p = 1, bound 2)" and axes[2].get_ylabel() == "xtanh\n(p = 2, bound 4)"
    assert "\nrows: activation, columns: seeds" in fig._suptitle.get_text()
    rendered(fig, tmp_path, "grid")
    # `condense reproduce` layout: DIR/<experiment>/ sweep directories, DIR/summary.h5, DIR/report.md.
    reproduce = tmp_path / "reproduce"
    reproduce.mkdir()
    shutil.copytree(grid_sweep, reproduce / "fig2")
    (reproduce / "report.md").write_text("# report\n")
    again = plot.grid(reproduce)
    assert len(image_axes(again)) == 4
    assert len(image_axes(plot.grid(reproduce, experiment="fig2", step=100))) == 4
    shutil.copytree(grid_sweep, reproduce / "fig3")
    with pytest.raises(ValueError, match=r"several experiments \(fig2, fig3\): name one"):
        plot.grid(reproduce)


def test_compare_init_draws_the_medians_and_quartiles_of_each_scheme(condense, tmp_path):
    out = condense("compare-init", "--steps", "40", "--seeds", "3", "--hidden", "8,8", "--n-train", "20",
                   "--n-test", "20", "--snapshots", "every:10", "--json").stdout
    path = tmp_path / "ci.json"
    path.write_text(out)
    report = json.loads(out)
    fig = plot.compare_init(path)
    assert len(fig.axes) == 2
    for ax, split in zip(fig.axes, ("train", "test")):
        lines = ax.get_lines()
        assert len(lines) == len(report["schemes"]) == 5  # he, rai, its scale-matched control, two anti-correlated
        for line, scheme in zip(lines, report["schemes"]):
            np.testing.assert_array_equal(line.get_xdata(), report["steps"])
            np.testing.assert_allclose(line.get_ydata(), scheme[split]["median"])
        assert len(ax.collections) == 5  # quartile bands
        assert ax.get_yscale() == "log"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0] == "he_normal(slope=0.0)" and labels[2] == "rai_matched_gaussian" and "sigma2=2.38)" in labels[3]
    rendered(fig, tmp_path, "compare-init")
    # Log-spaced snapshots: a log step axis that starts at step 0 (no negative decades of symlog).
    logged = tmp_path / "ci-log.json"
    logged.write_text(condense("compare-init", "--steps", "300", "--seeds", "2", "--hidden", "8,8", "--n-train", "20",
                               "--n-test", "20", "--json").stdout)
    for ax in plot.compare_init(logged).axes[:2]:
        assert ax.get_xscale() == "symlog" and ax.get_xlim()[0] == 0
        assert all(t.get_text() and not t.get_text().startswith(("−", "-")) for t in ax.get_xticklabels()
                   if 0 <= t.get_position()[0] <= ax.get_xlim()[1])
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ValueError, match="not `condense compare-init --json` output"):
        plot.compare_init(tmp_path / "bad.json")


def test_propagation_puts_simulation_error_bars_beside_each_prediction(tmp_path):
    path = tmp_path / "prop.h5"
    truth = write_propagate_file(path, depth=6, networks=20)
    fig = plot.propagation(path, "theta")
    (ax,) = fig.axes
    lines = {l.get_label(): l for l in ax.get_lines() if not l.get_label().startswith("_")}
    assert sorted(lines) == ["finite width", "infinite width"]  # the other models say nothing about theta
    q = QUANTITIES.index("theta")
    np.testing.assert_array_equal(lines["finite width"].get_ydata(), truth["prediction_mean"][0, :, q])
    (bars,) = ax.containers
    sim = truth["simulation"][:, :, q]
    np.testing.assert_allclose(bars.lines[0].get_ydata(), sim.mean(0))
    assert bars.get_label() == "simulation (±std, 20 networks)"
    (segments,) = bars.lines[2]
    half = np.array([abs(s[1, 1] - s[0, 1]) / 2 for s in segments.get_segments()])
    np.testing.assert_allclose(half, sim.std(0, ddof=1))
    assert len([c for c in ax.collections if c is not segments]) == 1  # only finite_width predicts a spread
    rendered(fig, tmp_path, "propagate-theta")
    panels = plot.propagate(path)
    visible = [a for a in panels.axes if a.get_visible()]
    assert [a.get_title() for a in visible] == [QUANTITY_TITLES[q] for q in QUANTITIES]
    assert len(visible[QUANTITIES.index("correlation")].get_lines()) >= 1
    legend = [t.get_text() for t in panels.legends[0].get_texts()]
    assert "simulation (±std, 20 networks)" in legend and "mean field" in legend
    rendered(panels, tmp_path, "propagate")
    with pytest.raises(ValueError, match="no quantity 'angle'"):
        plot.propagation(path, "angle")


def test_propagate_from_the_real_command(condense, tmp_path):
    import condense as package
    path = tmp_path / "prop.h5"
    condense("propagate", "--widths", "20,50,50,50,1", "--simulate", "8", "--seed", "1", "-o", path)
    ds = package.open_propagation(path)
    quantities = [str(q) for q in ds["quantity"].values]
    fig = plot.propagate(path)
    visible = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in visible] == [QUANTITY_TITLES.get(q, q) for q in quantities]
    for ax, q in zip(visible, quantities):
        (bars,) = ax.containers
        np.testing.assert_allclose(bars.lines[0].get_ydata(), ds["simulation_mean"].sel(quantity=q).values)
        predicted = [m.replace("_", " ") for m in ds["model"].values
                     if np.isfinite(ds["prediction_mean"].sel(model=m, quantity=q).values).any()]
        assert [l.get_label() for l in ax.get_lines() if not l.get_label().startswith("_")] == predicted
    rendered(fig, tmp_path, "real-propagate")


def test_example_runs_render_every_run_figure(tmp_path):
    """The notebooks-data examples: every run figure draws (a smoke net for the doc figures)."""
    for name in ("paper-tanh-5d.h5", "tanh-1d.h5", "xtanh-1d.h5"):
        run = plot.Run(EXAMPLES / name)
        figs = [plot.loss(run), plot.heatmap(run), plot.count(run), plot.evolution(run), plot.layers(run)]
        if run.shapes["layer_1"][1] == 2:
            figs += [plot.polar(run), plot.output_fit(run), plot.direction_field(run)]
        for fig in figs:
            assert fig.axes and fig.get_size_inches().min() > 2
        # The 1-D examples' test points are their training points: one line, said so (not one hidden under the other).
        same = np.array_equal(run.scalars["train_loss"], run.scalars["test_loss"])
        labels = sorted(l.get_label() for l in figs[0].axes[0].get_lines())
        assert labels == (["per update", "train = test (same points)"] if same else ["per update", "test", "train"])
        plt.close("all")
