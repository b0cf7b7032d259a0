#!/usr/bin/env python3
"""PyTorch reference for many networks at once (tools/bench/seeds-vs-pytorch.sh): K independent networks of the
recipe in torch_reference.py (sin5d data, tanh hidden layer with bias, readout without bias, every parameter
~ N(0, std^2), loss 1/(2n) sum (f - y)^2 per network, Adam, full batch, Float64), each with its own data set (as
condense's seeds draw their own), stacked along a leading network axis.

`--mode bmm`: the parameters are (K, ...) tensors and the forward pass is torch.baddbmm / torch.bmm; `--mode vmap`:
torch.func.vmap of torch.func.functional_call of one nn.Sequential over the stacked parameters, gradients by
torch.func.grad. Either way one torch.optim.Adam steps the stacked tensors, which is each network's own Adam (the
update is elementwise and the summed loss's gradient with respect to one network's parameters is that network's).

Prints one JSON object: the median time per step of all K networks, and per network (÷ K).
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


def data(k, n, seed0):
    xs, ys = [], []
    for s in range(k):
        rng = np.random.default_rng(seed0 + s)
        x = rng.uniform(-4.0, 2.0, size=(n, 5))
        xs.append(x)
        ys.append((3.5 * np.sin(5.0 * x + 1.0)).sum(axis=1, keepdims=True))
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=50)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--n-train", type=int, default=80)
    ap.add_argument("--init-std", type=float, default=0.005)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--mode", choices=["bmm", "vmap"], default="bmm")
    ap.add_argument("--warmup", type=float, default=0.5)
    ap.add_argument("--min-time", type=float, default=0.6)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(1)
    k, m, n = args.networks, args.hidden, args.n_train
    x, y = data(k, n, 1)

    if args.mode == "bmm":
        w1 = torch.empty(k, m, 5).normal_(0, args.init_std).requires_grad_()
        b1 = torch.empty(k, 1, m).normal_(0, args.init_std).requires_grad_()
        w2 = torch.empty(k, m, 1).normal_(0, args.init_std).requires_grad_()
        params = [w1, b1, w2]

        def loss_fn():
            h = torch.tanh(torch.baddbmm(b1, x, w1.transpose(1, 2)))
            f = torch.bmm(h, w2)
            return ((f - y) ** 2).sum() / (2 * n)   # the sum over networks of each network's loss

        opt = torch.optim.Adam(params, lr=args.lr)

        def step():
            opt.zero_grad()
            loss = loss_fn()
            loss.backward()
            opt.step()
            return loss
    else:
        from torch.func import functional_call, grad, stack_module_state, vmap

        def build():
            net = nn.Sequential(nn.Linear(5, m), nn.Tanh(), nn.Linear(m, 1, bias=False))
            with torch.no_grad():
                for p in net.parameters():
                    p.normal_(0.0, args.init_std)
            return net

        nets = [build() for _ in range(k)]
        stacked, _ = stack_module_state(nets)
        base = build().to("meta")
        names = list(stacked.keys())
        params = [stacked[name].detach().requires_grad_(False) for name in names]

        def one_loss(p, xi, yi):
            f = functional_call(base, dict(zip(names, p)), (xi,))
            return ((f - yi) ** 2).sum() / (2 * n)

        grads = vmap(grad(one_loss), in_dims=(0, 0, 0))
        opt = torch.optim.Adam(params, lr=args.lr)

        def step():
            g = grads(tuple(params), x, y)
            for p, gi in zip(params, g):
                p.grad = gi
            opt.step()
            return None

    def run(steps):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        return time.perf_counter() - t0

    def timed_repeat():
        t0 = time.perf_counter()
        steps = 0
        while True:
            step()
            steps += 1
            t = time.perf_counter() - t0
            if t >= args.min_time and steps >= 10:
                return t / steps

    steps, spent = 20, 0.0
    while spent < args.warmup:
        spent += run(steps)
        steps *= 2
    times = [timed_repeat() for _ in range(args.repeats)]
    t = statistics.median(times)
    finite = all(bool(torch.isfinite(p).all()) for p in params)
    if not finite:
        sys.exit("torch_batched: a parameter is not finite; the recipe diverged")
    print(json.dumps({"mode": args.mode, "networks": k, "hidden": m, "threads": args.threads,
                      "torch": torch.__version__, "seconds_per_step_all": t, "seconds_per_network_step": t / k,
                      "repeats": times}))


if __name__ == "__main__":
    main()
