"""`condense reproduce` draws its figures through this package when it finds it, and says how otherwise."""
import os
import subprocess
import sys

from conftest import PACKAGE_DIR


def _reproduce(condense_bin, out, env, cwd):
    return subprocess.run([str(condense_bin.resolve()), "reproduce", "p1-fig4a", "--quick", "--seeds", "2", "--jobs", "2",
                           "-o", str(out)], capture_output=True, text=True, env=env, cwd=cwd)


def test_reproduce_draws_its_figures_with_the_package(condense_bin, tmp_path):
    env = dict(os.environ, CONDENSE_PYTHON=sys.executable, PYTHONPATH=str(PACKAGE_DIR), MPLBACKEND="Agg")
    out = tmp_path / "rep"
    r = _reproduce(condense_bin, out, env, tmp_path)
    assert r.returncode == 0, r.stderr
    grid = out / "figures" / "p1-fig4a-grid.png"
    assert grid.exists() and grid.stat().st_size > 10_000, sorted((out / "figures").iterdir())
    assert grid.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "figures in" in r.stdout and "p1-fig4a (1)" in r.stdout, r.stdout
    report = (out / "report.md").read_text()
    assert "![p1-fig4a: grid](figures/p1-fig4a-grid.png)" in report
    assert "not drawn" not in report


def test_reproduce_without_the_package_prints_the_command(condense_bin, tmp_path):
    # No python3 on PATH, no venv in the working directory, no CONDENSE_PYTHON: nothing to draw with.
    env = {k: v for k, v in os.environ.items() if k not in ("CONDENSE_PYTHON", "CONDENSE_VENV", "PYTHONPATH")}
    env["PATH"] = str(tmp_path / "empty")
    out = tmp_path / "rep"
    r = _reproduce(condense_bin, out, env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert not (out / "figures").exists()
    assert "figures not drawn: the Python package was not found" in r.stdout, r.stdout
    command = f"python3 -m condense plot all {out} --experiment p1-fig4a --out-dir {out}/figures"
    assert command in r.stdout, r.stdout
    assert command in (out / "report.md").read_text()
    # The printed command draws the figures once the package is there.
    drawn = subprocess.run([sys.executable, *command.split()[1:]], capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=str(PACKAGE_DIR), MPLBACKEND="Agg"))
    assert drawn.returncode == 0, drawn.stderr
    assert (out / "figures" / "p1-fig4a-grid.png").exists()
