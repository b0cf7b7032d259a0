"""`python -m condense plot` and the old `tools/plot_run.py` commands: files written where promised, every
kind reachable, one-line errors."""
import shutil
import subprocess
import sys

import matplotlib.image
import pytest

import plot_run
from conftest import EXAMPLES, ROOT, child_env
from propagate_file import QUANTITIES, write_propagate_file

from condense.cli import KINDS, main


def run_module(*args):
    return subprocess.run([sys.executable, "-m", "condense", *map(str, args)], capture_output=True, text=True,
                          env=child_env())


def test_all_writes_every_figure_of_a_run_and_prints_the_paths(tanh1d_run, tmp_path):
    out = tmp_path / "figs"
    r = run_module("plot", "all", tanh1d_run, "--out-dir", out, "--dpi", "50")
    assert r.returncode == 0, r.stderr
    names = ["loss", "heatmap-layer_1", "polar-layer_1", "count", "evolution", "output", "field"]
    assert r.stdout.split() == [str(out / f"tanh1d-{n}.png") for n in names]
    for n in names:
        assert matplotlib.image.imread(out / f"tanh1d-{n}.png").shape[0] > 100


def test_each_kind_from_the_command_line(tanh1d_run, deep_run, grid_sweep, sw_sweep, tmp_path):
    cases = {
        "loss": [tanh1d_run, "--logx"], "heatmap": [tanh1d_run, "--steps", "0,300", "--order-step", "300"],
        "layers": [deep_run, "--snapshots", "0,-1"], "count": [deep_run, "--logx"],
        "polar": [tanh1d_run, "--snapshots", "0,15"], "evolution": [deep_run], "output": [tanh1d_run],
        "field": [tanh1d_run, "--steps", "40"], "rd-fit": [sw_sweep], "sw-map": [sw_sweep / "summary.h5"],
        "grid": [grid_sweep, "--select", "seed=1"], "propagate": [tmp_path / "prop.h5", "--quantity", "theta"],
    }
    write_propagate_file(tmp_path / "prop.h5")
    assert set(cases) | {"compare-init", "all"} == set(KINDS)  # compare-init: test_plot; all: above
    for kind, args in cases.items():
        target = tmp_path / f"{kind}.pdf"
        assert main(["plot", kind, *map(str, args), "-o", str(target)]) == 0, kind
        assert target.read_bytes()[:5] == b"%PDF-", kind
    assert main(["plot", "all", str(grid_sweep), "--out-dir", str(tmp_path / "g")]) == 0
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == ["grid.png"]
    assert main(["plot", "all", str(sw_sweep), "--out-dir", str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["grid.png", "rd-fit.png", "sw-map.png"]
    # A `condense reproduce` directory: DIR/<experiment>/ sweeps, DIR/summary.h5, DIR/report.md.
    reproduce = tmp_path / "reproduce"
    reproduce.mkdir()
    shutil.copytree(grid_sweep, reproduce / "p1-fig2")
    shutil.copytree(sw_sweep, reproduce / "p2-fig3")
    shutil.copy(sw_sweep / "summary.h5", reproduce / "summary.h5")
    (reproduce / "report.md").write_text("# report\n")
    assert main(["plot", "all", str(reproduce), "--out-dir", str(tmp_path / "r")]) == 0
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "p1-fig2-grid.png", "p2-fig3-grid.png", "p2-fig3-rd-fit.png", "p2-fig3-sw-map.png"]
    assert main(["plot", "all", str(reproduce), "--experiment", "p1-fig2", "--out-dir", str(tmp_path / "r1")]) == 0
    assert sorted(p.name for p in (tmp_path / "r1").iterdir()) == ["p1-fig2-grid.png"]
    assert main(["plot", "all", str(tmp_path / "prop.h5"), "--out-dir", str(tmp_path / "p"), "--format", "pdf"]) == 0
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == sorted(
        ["prop-propagate.pdf"] + [f"prop-propagate-{q}.pdf" for q in QUANTITIES])


def test_errors_are_one_line(tanh1d_run, tmp_path, capsys):
    for args, needle in ((["loss", str(tmp_path / "none.h5")], "none.h5: no such file or directory"),
                         (["heatmap", str(tanh1d_run), "--layer", "layer_9"], "no hidden layer 'layer_9'"),
                         (["heatmap", str(tanh1d_run), "--steps", "a,b"], "give whole numbers"),
                         (["heatmap", str(tanh1d_run), "--steps", "7"], "no snapshot at step 7"),
                         (["propagate", str(tanh1d_run)], "not a `condense propagate` file"),
                         (["sw-map", str(tanh1d_run)], "not a sweep summary"),
                         (["grid", str(tmp_path)], "not a sweep directory"),
                         (["count", str(EXAMPLES / "README.md")], "not an HDF5 file"),
                         (["loss", str(tanh1d_run), "-o", str(tmp_path / "x.svg")], "write .png or .pdf")):
        assert main(["plot", *args]) == 1, args
        err = capsys.readouterr().err
        assert needle in err and err.count("\n") == 1 and err.startswith("condense: "), (args, err)
    r = run_module("plot", "count", tmp_path / "none.h5")
    assert r.returncode == 1 and r.stderr.strip().splitlines() == [f"condense: {tmp_path / 'none.h5'}: no such file "
                                                                   "or directory"]


def test_plot_run_keeps_its_commands_and_function_names(tanh1d_run, tmp_path):
    script = ROOT / "tools" / "plot_run.py"
    r = subprocess.run([sys.executable, str(script), "heatmap", str(tanh1d_run), "--snapshots", "0,15", "-o",
                        str(tmp_path / "h.pdf")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "h.pdf").read_bytes()[:5] == b"%PDF-"
    r = subprocess.run([sys.executable, str(script), "count", str(tmp_path / "none.h5")], capture_output=True,
                       text=True)
    assert r.returncode == 1 and r.stderr.startswith("plot_run.py: ")
    assert len(plot_run.heatmap_figure(tanh1d_run, "layer_1", [0, 15]).axes) == 3
    assert plot_run.count_figure(tanh1d_run).axes[0].get_ylabel() == "condensed orientations"
    assert len(plot_run.polar_figure(tanh1d_run, snapshots=[15]).axes) == 1
    assert plot_run.loss_figure(tanh1d_run).axes[0].get_yscale() == "log"
    path = tmp_path / "prop.h5"
    write_propagate_file(path)
    assert plot_run.propagation_figure(path, "correlation").axes[0].get_ylabel() == "correlation c"


def test_the_old_import_name_still_records(tmp_path):
    from condense_dump import RunRecorder as Old

    import condense
    assert Old is condense.RunRecorder
    with pytest.raises(ValueError, match="widths must be"):
        Old(tmp_path / "x.h5", widths=[1, 1], activations="tanh")
