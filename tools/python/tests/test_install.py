"""`pip install ./tools/python` into a fresh venv, then `import condense` selects a run's weights by step, the
command line and the old module name work, and nothing is imported from the source tree.

The fresh venv has no pip and no packages of its own: the project venv's pip installs into it (`pip --python`),
without dependencies and without build isolation (no network), and a .pth file lends it the project venv's
site-packages for numpy, h5py, xarray, h5netcdf, matplotlib and setuptools. What is tested is the package:
its build, its file list, its entry points and its imports outside the repository."""
import shutil
import site
import subprocess
import sys
import venv

import pytest

from conftest import EXAMPLES, PACKAGE_DIR


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory):
    env_dir = tmp_path_factory.mktemp("fresh") / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (env_dir / purelib / "project-venv.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    # pip builds in the source folder (build/, *.egg-info): build a copy, not the repository's tree.
    source = tmp_path_factory.mktemp("source") / "python"
    shutil.copytree(PACKAGE_DIR, source, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__"))
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                        "--no-build-isolation", "--quiet", "--disable-pip-version-check", str(source)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return python, env_dir


def test_installed_package_opens_a_run_and_selects_by_step(fresh_python, tmp_path):
    python, env_dir = fresh_python
    code = f"""
import condense, condense_dump, numpy as np
assert condense.__file__.startswith({str(env_dir)!r}), condense.__file__
run = condense.open_run({str(EXAMPLES / 'tanh-1d.h5')!r})
w = run["layers/layer_1"]["weights"].sel(step=100)
print(condense.__version__, w.dims, w.shape, run.attrs["config"]["snapshots"])
print(condense_dump.RunRecorder is condense.RunRecorder)
"""
    r = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["0.2.0 ('neuron', 'component') (50, 2) every:10", "True"]
    out = tmp_path / "count.png"
    r = subprocess.run([str(python), "-m", "condense", "plot", "count", str(EXAMPLES / "tanh-1d.h5"), "-o", str(out)],
                       capture_output=True, text=True, cwd=tmp_path, env={"MPLBACKEND": "Agg", "PATH": "/usr/bin"})
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    script = env_dir / "bin" / "condense-plot"
    r = subprocess.run([str(script), "loss", str(EXAMPLES / "tanh-1d.h5"), "-o", str(tmp_path / "loss.pdf")],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    listed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "show", "-f", "condense"],
                            capture_output=True, text=True).stdout
    for name in ("condense/read.py", "condense/plot/theory.py", "condense/recorder.py", "condense_dump.py"):
        assert name in listed, listed
    assert "tests/" not in listed and "Requires: h5netcdf, h5py, numpy, xarray" in listed
