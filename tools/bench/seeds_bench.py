#!/usr/bin/env python3
"""Driver of tools/bench/seeds-vs-pytorch.sh: many seeds of the 5-50-1 tanh recipe (sin5d, n = 80, Adam lr 1e-3,
full batch, Float64; the train benchmark's case (a)) trained by `condense train --seeds 1-K` in one process,
against K separate `condense train --seed S` processes one after the other, against PyTorch one network at a time
(torch_reference.py) and against PyTorch batched over the networks (torch_batched.py, bmm and vmap).

Throughput (goal >= 4x): K networks x STEPS steps per wall second, each side's wall time whole (start-up, data,
files and snapshots included: what a user waits for), best of the repeats.

Per-network step time of the batch (goal >= 100x PyTorch one at a time): (wall(K, N2 steps) - wall(K, N1 steps))
/ (K (N2 - N1)), which cancels start-up as bench.py does for one network; PyTorch's is torch_reference.py's median
time per step on one thread. The same against PyTorch batched (ratio reported, no goal).

Prints each goal with its ratio and met / not met, and appends a dated section to tools/bench/results.md.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RECIPE = ["--hidden", "50", "--activation", "tanh", "--init-std", "0.005", "--optimizer", "adam", "--lr", "1e-3",
          "--target", "sin5d", "--full-batch"]
THROUGHPUT_GOAL = 4.0
PER_NETWORK_GOAL = 100.0


def load():
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


CPU = [0.0]   # CPU seconds (user + system) of the last wall() call's child


def wall(cmd, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        sys.exit(f"seeds_bench: failed (exit {r.returncode}): {' '.join(cmd)}\n{r.stderr.strip()}")
    return t, r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--condense", required=True)
    ap.add_argument("--python", required=True, help="the interpreter with torch (tools/bench/.venv)")
    ap.add_argument("--seeds", type=int, default=16)
    ap.add_argument("--steps", default="100,10000",
                    help="steps per network for the throughput comparison, one comparison per comma-separated count")
    ap.add_argument("--snapshots", default="every:10",
                    help="the snapshot schedule of the throughput comparison (every:10, the papers' and the default)")
    ap.add_argument("--threads", type=int, default=2, help="--threads of the batched condense")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--n1", type=int, default=1000)
    ap.add_argument("--n2", type=int, default=20000)
    ap.add_argument("--results", default=os.path.join(HERE, "results.md"))
    args = ap.parse_args()

    k = args.seeds
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    work = tempfile.mkdtemp(prefix="condense-seeds-bench-")
    before = load()

    cpu = [0.0, 0.0]   # CPU seconds of the batched and of the separate runs of the current comparison

    def batch(steps, snapshots):
        out = os.path.join(work, "batch", "")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        t, _ = wall([args.condense, "train", *RECIPE, "--steps", str(steps), "--snapshots", snapshots,
                     "--seeds", f"1-{k}", "--threads", str(args.threads), "-o", out, "-q"], env)
        cpu[0] += CPU[0]
        return t

    def separate(steps, snapshots):
        total = 0.0
        for s in range(1, k + 1):
            out = os.path.join(work, f"single{s}.h5")
            t, _ = wall([args.condense, "train", *RECIPE, "--steps", str(steps), "--snapshots", snapshots,
                         "--seed", str(s), "--threads", "1", "-o", out, "--force", "-q"], env)
            total += t
            cpu[1] += CPU[0]
        return total

    # 1. Throughput: the same K runs, one process against K processes, alternating (ABBA within a repeat).
    throughput = []
    for steps in [int(v) for v in args.steps.split(",")]:
        batched, separated = [], []
        cpu[0] = cpu[1] = 0.0
        for _ in range(args.repeats):
            a1 = batch(steps, args.snapshots)
            b1 = separate(steps, args.snapshots)
            b2 = separate(steps, args.snapshots)
            a2 = batch(steps, args.snapshots)
            batched.append((a1 + a2) / 2)
            separated.append((b1 + b2) / 2)
        ratios = [s / b for s, b in zip(separated, batched)]
        throughput.append((steps, batched, separated, ratios, statistics.median(ratios), cpu[1] / cpu[0]))

    # 2. Per-network step time of the batch, start-up cancelled, without snapshots between the first and last.
    per_network = []
    for _ in range(args.repeats):
        t1 = batch(args.n1, "list:0")
        t2 = batch(args.n2, "list:0")
        per_network.append((t2 - t1) / (k * (args.n2 - args.n1)))
    ours = statistics.median(per_network)

    # 3. PyTorch: one network at a time (one thread, its fastest for this size), and batched over K networks.
    def torch_json(script, *extra):
        _, out = wall([args.python, os.path.join(HERE, script), *extra])
        return json.loads(out)

    single = torch_json("torch_reference.py", "--hidden", "50", "--threads", "1", "--repeats", "5")
    torch_single = single["seconds_per_step"]
    batched_torch = {}
    for mode in ["bmm", "vmap"]:
        for threads in [1, args.threads]:
            r = torch_json("torch_batched.py", "--mode", mode, "--networks", str(k), "--threads", str(threads))
            batched_torch[(mode, threads)] = r["seconds_per_network_step"]
    best_mode = min(batched_torch, key=batched_torch.get)
    torch_batched = batched_torch[best_mode]
    after = load()

    single_ratio = torch_single / ours
    batched_ratio = torch_batched / ours
    rows = [
        (f"throughput, {k} seeds × {steps} steps in one process vs {k} processes", f"{ratio:.2f}×",
         f"≥ {THROUGHPUT_GOAL:g}×", "met" if ratio >= THROUGHPUT_GOAL else "not met")
        for steps, _, _, _, ratio, _ in throughput
    ] + [
        ("per-network step vs PyTorch one at a time", f"{single_ratio:.0f}×", f"≥ {PER_NETWORK_GOAL:g}×",
         "met" if single_ratio >= PER_NETWORK_GOAL else "not met"),
        (f"per-network step vs PyTorch batched ({best_mode[0]}, {best_mode[1]} thread(s), its fastest)",
         f"{batched_ratio:.0f}×", "(reported)", ""),
    ]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Many seeds in one process (tools/bench/seeds-vs-pytorch.sh, issue 18)",
        "",
        f"{k} seeds of 5-50-1 tanh (sin5d, n = 80, Adam lr 1e-3, full batch, Float64), measured {now} on "
        f"{platform.node()} ({os.cpu_count()} cores), load average {before} before, {after} after.",
        f"Throughput: `condense train --seeds 1-{k} --threads {args.threads} --steps N --snapshots "
        f"{args.snapshots}` against {k} `condense train --seed S --threads 1` processes one after the other (same "
        f"options), wall time whole, {args.repeats} ABBA repeats, median of the paired ratios.",
        "",
        "| goal | ratio | target | verdict |",
        "|---|---:|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        *[f"- {steps} steps: one process {', '.join(f'{t:.3f}' for t in b)} s; {k} processes "
          f"{', '.join(f'{t:.3f}' for t in sep)} s; paired ratios {', '.join(f'{r:.2f}' for r in rs)}; CPU "
          f"seconds (user + system) of the separate runs ÷ the batch's: {c:.2f}."
          for steps, b, sep, rs, _, c in throughput],
        f"- condense batched, per network and step ((wall({args.n2}) − wall({args.n1})) / ({k}·{args.n2 - args.n1})): "
        f"{', '.join(f'{t * 1e3:.4f}' for t in per_network)} ms, median {ours * 1e3:.4f} ms.",
        f"- PyTorch {single['torch']} one network at a time (torch_reference.py, default Adam, 1 thread): "
        f"{torch_single * 1e3:.3f} ms per step.",
        "- PyTorch batched over the networks, ms per network and step (torch_batched.py): "
        + ", ".join(f"{m} on {t} thread(s) {v * 1e3:.4f}" for (m, t), v in batched_torch.items()) + ".",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    with open(args.results, "a") as f:
        f.write("\n" + text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
