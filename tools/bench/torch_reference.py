#!/usr/bin/env python3
"""PyTorch reference of condense's training recipe, for the benchmark (tools/bench/train-vs-pytorch.sh).

The same recipe as `condense train`: inputs x ~ U[-4, 2]^5 (80 points), target y = sum_k 3.5 sin(5 x_k + 1)
(the built-in `sin5d`), a fully connected network with nn.Linear hidden layers (with bias) and tanh, a readout
nn.Linear without bias, every parameter ~ N(0, std^2), loss 1/(2n) sum (f - y)^2, torch.optim.Adam, full batch,
and per step zero_grad / forward / backward / step. Float64 and a fixed thread count.

`--adam` picks torch's Adam implementation: `default` (what `torch.optim.Adam(params, lr)` runs on CPU tensors:
the single-tensor loop, one pass over memory per elementwise op), `foreach` or `fused` (one kernel per tensor;
opt-in on CPU). The benchmark's goals are against `default`, the recipe the papers' notebooks run; `fused` is
reported beside it as PyTorch's fastest CPU Adam.

Prints one JSON object: the median time per step over the repeats, and every repeat's time per step.
"""

import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def build(input_dim, widths, std):
    layers = []
    fan_in = input_dim
    for w in widths:
        layers += [nn.Linear(fan_in, w, bias=True), nn.Tanh()]
        fan_in = w
    layers.append(nn.Linear(fan_in, 1, bias=False))
    net = nn.Sequential(*layers)
    with torch.no_grad():
        for p in net.parameters():
            p.normal_(0.0, std)
    return net


def sin5d(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-4.0, 2.0, size=(n, 5))
    y = (3.5 * np.sin(5.0 * x + 1.0)).sum(axis=1, keepdims=True)
    return torch.from_numpy(x), torch.from_numpy(y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", default="50", help="hidden widths, comma-separated (e.g. 1000,1000)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--n-train", type=int, default=80)
    ap.add_argument("--init-std", type=float, default=0.005)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=float, default=0.5, help="seconds of warm-up steps before timing")
    ap.add_argument("--min-time", type=float, default=0.6, help="seconds per timed repeat (at least)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--adam", choices=["default", "foreach", "fused"], default="default",
                    help="torch's Adam implementation (default: what torch picks for CPU tensors)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(args.seed)

    widths = [int(w) for w in args.hidden.split(",")]
    x, y = sin5d(args.n_train, args.seed)
    net = build(x.shape[1], widths, args.init_std)
    implementation = {"default": {}, "foreach": {"foreach": True}, "fused": {"fused": True}}[args.adam]
    opt = torch.optim.Adam(net.parameters(), lr=args.lr, **implementation)
    n = x.shape[0]

    def step():
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).sum() / (2 * n)
        loss.backward()
        opt.step()
        return loss

    def run(k):
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        return time.perf_counter() - t0

    def timed_repeat():
        # Steps until `min_time` has passed (reading the clock costs ~0.1 us, far below one step).
        t0 = time.perf_counter()
        k = 0
        while True:
            step()
            k += 1
            t = time.perf_counter() - t0
            if t >= args.min_time and k >= 10:
                return t / k, k

    # Warm-up: at least 20 steps and `warmup` seconds.
    k, spent = 20, 0.0
    while spent < args.warmup:
        spent += run(k)
        k *= 2

    results = [timed_repeat() for _ in range(args.repeats)]
    times = [t for t, _ in results]
    steps = [k for _, k in results]
    loss = step().item()
    if not math.isfinite(loss):
        sys.exit(f"torch_reference: the loss is not finite ({loss}); the recipe diverged")
    print(json.dumps({
        "hidden": widths, "threads": args.threads, "dtype": str(torch.get_default_dtype()),
        "torch": torch.__version__, "adam": args.adam, "steps_per_repeat": steps,
        "seconds_per_step": statistics.median(times), "repeats": times, "final_loss": loss,
    }))


if __name__ == "__main__":
    main()
