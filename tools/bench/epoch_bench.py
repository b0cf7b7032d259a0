#!/usr/bin/env python3
"""One epoch of 784-30-1 on Fashion-MNIST: condense train against PyTorch in the same run (tools/bench/epoch-vs-pytorch.sh).

The recipe, the same on both sides: the 60 000 training images of the installed `dataset-fashion-mnist`, pixels
scaled to [0, 1], the label's value (0…9) as the one output (P1 Fig. 4(b)'s regression), 784-30-1 with x²·tanh
hidden units (hidden bias, no readout bias), every parameter ~ N(0, 0.001²), loss 1/(2n)Σ(f − y)² over each
mini-batch, Adam lr 1e-3, mini-batches of 128 shuffled each epoch (469 updates, the last one of 96), Float64, the
same thread count.

- condense: time per epoch = (T(3 epochs) − T(1 epoch)) / 2 of two `condense train -q --snapshots list:0
  --n-test 0` runs, T = the run file's `wall_time` at the last snapshot (seconds of training since the run
  started, read with the system python's h5py): reading and decompressing the images, writing them into the run
  file and the last snapshot's cost are outside it or cancel. (The process's wall clock was tried first: the
  seconds of reading and writing 0.4 GB of images vary by more than an epoch takes on a shared machine.)
- PyTorch: torch.optim.Adam (the default, single-tensor loop on CPU) and per step zero_grad / forward / backward /
  step, a warm-up of 20 updates, then one timed epoch (its shuffling included, as condense's).

A repeat runs condense (1 epoch, 3 epochs), PyTorch's epoch, condense (3 epochs, 1 epoch) and pairs PyTorch's time
with the mean of condense's: the shared machine's load drifts, and each repeat's ratio sees the same load on both
sides. Prints one JSON object.
"""

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"
BATCH = 128
N = 60000
STEPS_PER_EPOCH = (N + BATCH - 1) // BATCH
# The goal: PyTorch's time per epoch / condense's, the median of the paired repeats.
GOAL = 2.0
# An interpreter with h5py for reading condense's run files (Debian's python3-h5py; the torch venv has none).
H5PYTHON = os.environ.get("H5PYTHON", "/usr/bin/python3")


def idx(path):
    """An IDX file (gzip) as a numpy array: magic 0x0000 08 D, then D big-endian sizes, then unsigned bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def condense_epochs(binary, threads, epochs, workdir):
    out = os.path.join(workdir, f"epoch{epochs}.h5")
    cmd = [binary, "train", "--dataset", "fashion-mnist", "--n-test", "0", "--hidden", "30", "--activation", "x2tanh",
           "--init-std", "0.001", "--optimizer", "adam", "--lr", "1e-3", "--batch-size", str(BATCH),
           "--steps", str(epochs * STEPS_PER_EPOCH), "--snapshots", "list:0", "--threads", str(threads),
           "-q", "--force", "-o", out]
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"condense failed ({r.returncode}): {r.stderr.strip()}")
    read = subprocess.run([H5PYTHON, "-c", "import h5py, sys; print(h5py.File(sys.argv[1], 'r')['wall_time'][-1])", out],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if read.returncode != 0:
        sys.exit(f"cannot read wall_time with {H5PYTHON} (python3-h5py): {read.stderr.strip()}")
    os.remove(out)
    return float(read.stdout)


class X2Tanh(nn.Module):
    def forward(self, x):
        return x * x * torch.tanh(x)


def torch_epoch(x, y, threads, seed):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(784, 30, bias=True), X2Tanh(), nn.Linear(30, 1, bias=False))
    with torch.no_grad():
        for p in net.parameters():
            p.normal_(0.0, 0.001)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step(xb, yb):
        opt.zero_grad()
        loss = 0.5 * ((net(xb) - yb) ** 2).mean()
        loss.backward()
        opt.step()

    for k in range(20):
        step(x[k * BATCH:(k + 1) * BATCH], y[k * BATCH:(k + 1) * BATCH])
    t0 = time.perf_counter()
    order = torch.randperm(N)
    for k in range(STEPS_PER_EPOCH):
        b = order[k * BATCH:(k + 1) * BATCH]
        step(x[b], y[b])
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--condense", required=True, help="the condense binary (release build)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    torch.set_default_dtype(torch.float64)
    images = idx(f"{DATA}/train-images-idx3-ubyte.gz").reshape(N, 784).astype(np.float64) / 255.0
    labels = idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.float64).reshape(N, 1)
    x, y = torch.from_numpy(images), torch.from_numpy(labels)
    load_before = os.getloadavg()
    condense_s, torch_s, ratios = [], [], []
    with tempfile.TemporaryDirectory() as work:
        for r in range(args.repeats):
            a1 = condense_epochs(args.condense, args.threads, 1, work)
            a3 = condense_epochs(args.condense, args.threads, 3, work)
            t = torch_epoch(x, y, args.threads, seed=r + 1)
            b3 = condense_epochs(args.condense, args.threads, 3, work)
            b1 = condense_epochs(args.condense, args.threads, 1, work)
            c = ((a3 - a1) + (b3 - b1)) / 4
            condense_s.append(c)
            torch_s.append(t)
            ratios.append(t / c if c > 0 else float("nan"))
    print(json.dumps({
        "recipe": "784-30-1 x2tanh, 60000 Fashion-MNIST images, batch 128 (469 updates), Adam lr 1e-3, float64",
        "threads": args.threads, "repeats": args.repeats,
        "condense_s_per_epoch": condense_s, "torch_s_per_epoch": torch_s, "ratios": ratios,
        "median_condense_s": statistics.median(condense_s), "median_torch_s": statistics.median(torch_s),
        "median_ratio": statistics.median(ratios), "goal": GOAL, "goal_met": statistics.median(ratios) >= GOAL,
        "min_ratio": min(ratios), "max_ratio": max(ratios),
        # What each side ran on: condense `--threads N` with OpenBLAS at N (its trainer sets BLAS to one thread and
        # shares work through its own team only where a layer is cut into blocks); PyTorch's intra-op threads
        # (MKL and OpenMP follow them) and its inter-op pool.
        "torch_threads": torch.get_num_threads(), "torch_interop_threads": torch.get_num_interop_threads(),
        "torch": torch.__version__, "cpu": platform.processor() or platform.machine(),
        "load_before": load_before, "load_after": os.getloadavg(),
    }, indent=1))


if __name__ == "__main__":
    main()
