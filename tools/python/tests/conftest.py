"""Shared fixtures: the condense binary (CONDENSE_BIN, set by tools/test.sh), small real run files, and small
sweeps, made once per session."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # figures render off-screen, also in child processes
ROOT = Path(__file__).resolve().parents[3]
PACKAGE_DIR = ROOT / "tools" / "python"
EXAMPLES = ROOT / "notebooks-data"
sys.path.insert(0, str(PACKAGE_DIR))  # the condense package (and the condense_dump shim), not pip-installed here
sys.path.insert(0, str(ROOT / "tools"))  # plot_run, the old command's wrapper


def child_env():
    """The environment for `python -m condense` children: the package importable without installing it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_DIR)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _find_binary() -> Path:
    env = os.environ.get("CONDENSE_BIN")
    if env:
        return Path(env)
    for config in ("debug", "release"):
        candidate = ROOT / ".build" / config / "condense"
        if candidate.exists():
            return candidate
    pytest.exit("no condense binary: run `swift build --product condense` or set CONDENSE_BIN", returncode=2)


@pytest.fixture(scope="session")
def condense_bin() -> Path:
    return _find_binary()


@pytest.fixture(scope="session")
def condense(condense_bin):
    """Runs `condense ARGS…`; fails the test with condense's stderr when it exits non-zero."""
    def run(*args, check=True):
        r = subprocess.run([str(condense_bin), *map(str, args)], capture_output=True, text=True)
        if check and r.returncode != 0:
            pytest.fail(f"condense {' '.join(map(str, args))} exited {r.returncode}: {r.stderr.strip()}")
        return r
    return run


@pytest.fixture(scope="session")
def analyze_json(condense):
    """`condense analyze PATH --json --no-write` as a dict."""
    def run(path, *extra):
        return json.loads(condense("analyze", path, "--json", "--no-write", *extra).stdout)
    return run


@pytest.fixture(scope="session")
def tanh1d_run(tmp_path_factory, condense) -> Path:
    """1-20-1 tanh on sin1d with a test set, small init, 300 Adam steps, analyzed in place (seed 3)."""
    path = tmp_path_factory.mktemp("runs") / "tanh1d.h5"
    condense("train", "--target", "sin1d", "--hidden", "20", "--steps", "300", "--snapshots", "every:20",
             "--n-test", "20", "--seed", "3", "-q", "-o", path)
    condense("analyze", path)
    return path


@pytest.fixture(scope="session")
def deep_run(tmp_path_factory, condense) -> Path:
    """3-12-8-1 xtanh / tanh (two hidden layers) on the teacher target, log-spaced snapshots, analyzed (seed 5)."""
    path = tmp_path_factory.mktemp("runs") / "deep.h5"
    condense("train", "--target", "teacher", "--input-dim", "3", "--hidden", "12,8", "--activation", "xtanh",
             "--activation", "tanh", "--steps", "120", "--snapshots", "log:8", "--n-train", "40",
             "--n-test", "10", "--seed", "5", "-q", "-o", path)
    condense("analyze", path)
    return path


@pytest.fixture(scope="session")
def grid_sweep(tmp_path_factory, condense) -> Path:
    """`condense sweep plan/run/collect`: 1-20-1 on sin1d over activation (tanh, xtanh) × seeds 1, 2."""
    d = tmp_path_factory.mktemp("sweeps")
    spec = d / "grid.json"
    spec.write_text(json.dumps({"name": "grid", "options": {"target": "sin1d", "hidden": 20, "steps": 200,
                                                            "snapshots": "every:20", "n-test": 0},
                                "axes": [{"option": "activation", "values": ["tanh", "xtanh"]}], "seeds": 2}))
    sweep = d / "grid"
    condense("sweep", "plan", spec, "-o", sweep)
    condense("sweep", "run", sweep, "--jobs", "2")
    condense("sweep", "collect", sweep)
    return sweep


@pytest.fixture(scope="session")
def sw_sweep(tmp_path_factory, condense) -> Path:
    """A small phase-diagram sweep: two-layer ReLU on tworelu1d over γ (0.5, 1.75) × γ′ (0, 1) × width
    (40, 80, 160), one seed; collect fits S_w per (γ, γ′)."""
    d = tmp_path_factory.mktemp("sweeps")
    spec = d / "sw.json"
    spec.write_text(json.dumps({
        "name": "sw", "options": {"activation": "relu", "target": "tworelu1d", "n-test": 0, "optimizer": "sgd",
                                  "lr": 0.02, "loss": "half-sum", "steps": 200, "snapshots": "log:6"},
        "axes": [{"option": "gamma", "values": [0.5, 1.75]}, {"option": "readout-gamma", "values": [0, 1]},
                 {"option": "hidden", "values": [40, 80, 160]}], "seeds": 1}))
    sweep = d / "sw"
    condense("sweep", "plan", spec, "-o", sweep)
    condense("sweep", "run", sweep, "--jobs", "2")
    condense("sweep", "collect", sweep)
    return sweep
