"""Analysis at scale (issue goals): `condense analyze` of a wide noisy layer, timed, with the growth of the file.

Writes a run file with the condense Python package: 5-m-1 (m = 20 000 by default), 3 snapshots of a layer whose
input weights form 8 orientations (4 antipodal pairs, within 0.05 rad) plus 4 % uniform noise, readout weights 1.
Then runs `condense analyze` on it (in place) and prints the wall time and the bytes the analysis added, against
the goals: < 10 s and ≤ 100 MB. Usage (from the repository root, with a release build):
    PY=$(tools/python/venv.sh); $PY tools/bench/analyze_scale.py --condense .build/release/condense
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
from condense import RunRecorder  # noqa: E402

GOAL_SECONDS, GOAL_BYTES = 10.0, 100e6


def layer(m, d, rng, noise=0.04, k=8, spread=0.05):
    """m unit-ish rows in R^(d+1): k orientations in antipodal pairs, `noise` of them uniform."""
    dim = d + 1
    centres = []
    while len(centres) < k // 2:
        c = rng.normal(size=dim)
        c /= np.linalg.norm(c)
        if all(abs(c @ o) < 0.5 for o in centres):
            centres.append(c)
    centres = [s * c for c in centres for s in (1, -1)]
    n_noise = int(round(noise * m))
    rows = []
    for i in range(m - n_noise):
        c = centres[i % k]
        g = rng.normal(size=dim)
        g -= (g @ c) * c
        g /= np.linalg.norm(g)
        a = spread * rng.uniform()
        rows.append(np.cos(a) * c + np.sin(a) * g)
    rows += list(rng.normal(size=(n_noise, dim)))
    w = np.array(rows) * rng.uniform(0.5, 2.0, size=(m, 1))
    return w[:, :d], w[:, d]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--condense", required=True)
    ap.add_argument("--width", type=int, default=20000)
    ap.add_argument("--snapshots", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory(prefix="condense-scale-") as work:
        path = os.path.join(work, "wide.h5")
        with RunRecorder(path, widths=[5, args.width, 1], activations="tanh") as rec:
            for s in range(args.snapshots):
                w, b = layer(args.width, 5, rng)
                rec.snapshot(10 * s, weights=[w, np.ones((1, args.width))], biases=[b, None])
        before = os.path.getsize(path)
        start = time.perf_counter()
        out = subprocess.run([args.condense, "analyze", path], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if out.returncode != 0:
            sys.exit(f"analyze failed: {out.stderr.strip()}")
        added = os.path.getsize(path) - before
        head = [l for l in out.stdout.splitlines() if l.startswith("layer_1 (")]
        print(f"analyze of a {args.width}-neuron layer, {args.snapshots} snapshots, 4 % noise: {seconds:.2f} s "
              f"(goal < {GOAL_SECONDS:g} s: {'met' if seconds < GOAL_SECONDS else 'NOT met'}), "
              f"{added / 1e6:.1f} MB added (goal ≤ {GOAL_BYTES / 1e6:g} MB: {'met' if added <= GOAL_BYTES else 'NOT met'})")
        print("  " + (head[0] if head else "(no headline)"))


if __name__ == "__main__":
    main()
