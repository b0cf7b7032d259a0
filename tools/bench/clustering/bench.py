#!/usr/bin/env python3
"""Orientation-clustering benchmark: our SphereClustering against scikit-learn.

For each configuration (N, D) it generates K orientation clusters with known labels (half of them
in antipodal pairs, i.e. lines), adds a few % uniform noise, writes the data, runs

  (i)   our clustering through `cluster-runner` (tools/bench/clustering/runner),
  (ii)  sklearn DBSCAN(metric="cosine", eps=1-tau, min_samples=M, algorithm="brute"),
  (iii) sklearn AgglomerativeClustering(linkage="average", metric="cosine", distance_threshold=1-tau),

and reports the adjusted Rand index against the truth and the wall time. Noise points (label -1,
and clusters smaller than M for agglomerative, which labels every point) count as singletons in the
ARI, for every method alike.

Interface with the runner (any program with the same interface can be benchmarked via --runner):
  runner INPUT N D LABELS --tau T --min-size M
  INPUT  : .npy file of float64, shape (N, D), C order (the runner skips the header: the values are
           the last N*D*8 bytes; a headerless raw little-endian file works as well)
  LABELS : N lines, one int64 label each, -1 for unclustered
  stdout : one JSON line with at least "seconds" (time of the clustering call itself)

Configurations: N = 2e3 and 2e4 for D = 2, 3, 6, 50, 1001 with 3 % noise; at N = 2e4 also 5 % noise
(D = 3, 6, 50) and *loose groups* (members up to 0.3 rad from their centre, pairwise cosines down to
~0.8, as while a layer is still collapsing: D = 6, 50; reported, not graded — at tau = 0.95 every method
cuts such a group into pieces, which `condense analyze` joins again as touching clusters); 1e6 x 6
with 3 % and 5 % noise (ours only).

Goals (issue "Speed at scale", checked and printed at the end): ARI >= 0.99 from D = 3 on (in D = 2 a
tau-cap is 10 % of the circle, so noise inside the caps is indistinguishable from members: reported);
at N = 2e4 on noisy data at least 50x DBSCAN's time; 1e6 noisy vectors in D = 6 in under 10 s.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def generate(n, d, k=8, spread=0.1, noise=0.03, seed=0):
    """n rows in R^d: k clusters within `spread` radians of their centre (centre orientations pairwise
    at cos < 0.5 for d >= 3, evenly spaced on the circle for d = 2), the first 2*(k//4) of them in
    antipodal pairs,
    plus round(noise*n) uniform directions (label -1). Rows get random positive scales in [0.1, 10]."""
    rng = np.random.default_rng(seed)
    pairs = k // 4                      # pairs of opposite clusters: 2*pairs clusters
    singles = k - 2 * pairs
    distinct = pairs + singles
    if d == 2:
        # k orientations evenly spaced; for even k, orientation i and i + k/2 are opposite
        angles = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(k) / k
        centres = np.stack([np.cos(angles), np.sin(angles)], 1)
    else:
        # orientations pairwise at signed cos < limit (antipodes of paired centres included);
        # the limit is relaxed slowly if random draws keep failing (D = 3 is crowded)
        centres, limit, tries = [], 0.5, 0
        while len(centres) < k:
            c = rng.standard_normal(d)
            c /= np.linalg.norm(c)
            paired = len(centres) < 2 * pairs
            new = [c, -c] if paired else [c]
            if all(v @ o < limit for v in new for o in centres):
                centres += new
            tries += 1
            if tries % 1000 == 0:
                limit += 0.05
        centres = np.array(centres)
    n_noise = int(round(noise * n))
    weights = rng.uniform(1, 2, size=k)
    sizes = np.floor(weights / weights.sum() * (n - n_noise)).astype(int)
    sizes[0] += n - n_noise - sizes.sum()
    rows, truth = [], []
    for c, (centre, size) in enumerate(zip(centres, sizes)):
        g = rng.standard_normal((size, d))
        g -= np.outer(g @ centre, centre)
        g /= np.linalg.norm(g, axis=1, keepdims=True)
        angle = spread * rng.uniform(size=(size, 1))
        rows.append(np.cos(angle) * centre + np.sin(angle) * g)
        truth += [c] * size
    u = rng.standard_normal((n_noise, d))
    rows.append(u / np.linalg.norm(u, axis=1, keepdims=True))
    truth += [-1] * n_noise
    x = np.concatenate(rows) * np.exp(rng.uniform(np.log(0.1), np.log(10), size=(n, 1)))
    perm = rng.permutation(n)
    return np.ascontiguousarray(x[perm]), np.array(truth)[perm]


def singletons(labels):
    """-1 labels become distinct singleton labels (so noise is not one big cluster in the ARI)."""
    labels = np.asarray(labels).copy()
    noise = labels < 0
    labels[noise] = labels.max(initial=0) + 1 + np.arange(noise.sum())
    return labels


def drop_small(labels, m):
    values, counts = np.unique(labels, return_counts=True)
    small = set(values[counts < m])
    return np.array([-1 if l in small else l for l in labels])


def run_ours(runner, x, tau, m, workdir):
    path = os.path.join(workdir, "data.npy")
    out = os.path.join(workdir, "labels.txt")
    np.save(path, x)
    start = time.perf_counter()
    done = subprocess.run([runner, path, str(x.shape[0]), str(x.shape[1]), out, "--tau", str(tau),
                           "--min-size", str(m)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    info = json.loads(done.stdout.strip().splitlines()[-1])
    labels = np.loadtxt(out, dtype=np.int64).reshape(-1)
    return labels, info["seconds"], wall


def run_dbscan(x, tau, m):
    from sklearn.cluster import DBSCAN
    start = time.perf_counter()
    labels = DBSCAN(eps=1 - tau, min_samples=m, metric="cosine", algorithm="brute").fit_predict(x)
    return labels, time.perf_counter() - start


def run_agglomerative(x, tau, m):
    from sklearn.cluster import AgglomerativeClustering
    start = time.perf_counter()
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=1 - tau, metric="cosine",
                                     linkage="average").fit_predict(x)
    return drop_small(labels, m), time.perf_counter() - start


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runner", default=os.path.join(here, ".build", "release", "cluster-runner"))
    p.add_argument("--tau", type=float, default=0.95)
    p.add_argument("--quick", action="store_true", help="small sizes only (a smoke test)")
    p.add_argument("--max-agglomerative", type=int, default=6000,
                   help="skip agglomerative above this N (it needs O(N^2) memory)")
    p.add_argument("--max-dbscan", type=int, default=40000)
    p.add_argument("--out", default=os.path.join(here, "results.json"))
    args = p.parse_args()

    dims = [2, 3, 6, 50, 1001]
    sizes = [2000] if args.quick else [2000, 20000]
    # (n, d, noise, spread, kind): kind says what the data are: "3%" / "5%" (share of uniform noise, members
    # within 0.1 rad), "loose" (3 % noise, members within 0.3 rad), "big 3%" / "big 5%" (10^6 rows, ours only).
    configs = [(n, d, 0.03, 0.1, "3%") for n in sizes for d in dims]
    if not args.quick:
        configs += [(20000, d, 0.05, 0.1, "5%") for d in (3, 6, 50)]
        configs += [(20000, d, 0.03, 0.3, "loose") for d in (6, 50)]
        configs += [(1_000_000, 6, noise, 0.1, f"big {noise:.0%}") for noise in (0.03, 0.05)]
    results = []
    with tempfile.TemporaryDirectory() as work:
        for n, d, noise, spread, kind in configs:
            x, truth = generate(n, d, spread=spread, noise=noise, seed=n + d + int(1000 * noise) + int(100 * spread))
            m = max(2, n // 200)              # minimum cluster size: 0.5 % of the rows
            row = {"n": n, "d": d, "noise": noise, "spread": spread, "kind": kind, "min_size": m}
            big = kind.startswith("big")
            labels, secs, wall = run_ours(args.runner, x, args.tau, m, work)
            row["ours"] = {"ari": adjusted(truth, labels), "ari_clusters": adjusted(truth, labels, True),
                           "seconds": secs, "wall": wall,
                           "clusters": int(labels.max(initial=-1) + 1)}
            if not big and n <= args.max_dbscan:
                labels, secs = run_dbscan(x, args.tau, m)
                row["dbscan"] = {"ari": adjusted(truth, labels), "seconds": secs}
            if not big and n <= args.max_agglomerative:
                labels, secs = run_agglomerative(x, args.tau, m)
                row["agglomerative"] = {"ari": adjusted(truth, labels), "seconds": secs}
            results.append(row)
            print(json.dumps(row), flush=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)

    print("\n n        D  kind    ours ARI  time s   dbscan ARI  time s   agglo ARI  time s   x DBSCAN")
    for r in results:
        o = r["ours"]
        line = f"{r['n']:>8} {r['d']:>5}  {r['kind']:<6}  {o['ari']:.4f}  {o['seconds']:8.3f}"
        for key in ("dbscan", "agglomerative"):
            if key in r:
                line += f"   {r[key]['ari']:.4f}    {r[key]['seconds']:8.3f}"
            else:
                line += "        -          -  "
        if "dbscan" in r:
            line += f"   {r['dbscan']['seconds'] / max(o['seconds'], 1e-9):8.1f}x"
        print(line)
    return 0 if grade(results) else 1


def grade(results):
    """Prints each goal with its value and met / NOT met; True when all are met."""
    print("\nGoals:")
    ok = True
    graded = [r for r in results if r["kind"] != "loose"]
    low = [r["ours"]["ari"] for r in graded if r["d"] >= 3]
    g = min(low) >= 0.99
    ok &= g
    circle = ", ".join(f"{r['ours']['ari']:.4f}" for r in graded if r["d"] == 2)
    members = min(r["ours"]["ari_clusters"] for r in graded if r["d"] >= 3)
    below = "; ".join(f"N = {r['n']}, D = {r['d']}, {r['kind']}: {r['ours']['ari']:.4f}, planted rows only "
                      f"{r['ours']['ari_clusters']:.4f}" for r in graded if r["d"] >= 3 and r["ours"]["ari"] < 0.99)
    print(f"  ARI >= 0.99 from D = 3 on: {'met' if g else 'NOT met'} (min {min(low):.4f}; over the planted "
          f"clusters' rows only {members:.4f}; D = 2: {circle}: there, and less so in D = 3, noise inside a cap is "
          f"indistinguishable from members)" + (f"\n    below 0.99: {below}" if below else ""))
    noisy = [r for r in results if r["n"] == 20000 and r["kind"] in ("3%", "5%") and "dbscan" in r]
    if noisy:
        ratios = [r["dbscan"]["seconds"] / r["ours"]["seconds"] for r in noisy]
        aris = [r["dbscan"]["ari"] for r in noisy if r["d"] >= 3]
        g = min(ratios) >= 50
        ok &= g
        print(f"  >= 50x DBSCAN at N = 2e4 on noisy data (3 %, 5 %): {'met' if g else 'NOT met'} "
              f"(min {min(ratios):.1f}x, median {sorted(ratios)[len(ratios) // 2]:.1f}x; DBSCAN's ARI from D = 3 "
              f"on: min {min(aris):.4f})")
    for r in results:
        if r["kind"].startswith("big"):
            g = r["ours"]["seconds"] < 10
            ok &= g
            print(f"  1e6 x 6 with {r['noise']:.0%} noise under 10 s: {'met' if g else 'NOT met'} "
                  f"({r['ours']['seconds']:.2f} s, {r['ours']['clusters']} clusters, ARI {r['ours']['ari']:.4f})")
    for r in results:
        if r["kind"] == "loose":
            d = r.get("dbscan", {})
            print(f"  (reported) loose groups, D = {r['d']}: ours {r['ours']['clusters']} clusters, ARI "
                  f"{r['ours']['ari']:.4f}; DBSCAN ARI {d.get('ari', float('nan')):.4f}")
    return ok


def adjusted(truth, labels, clusters_only=False):
    """ARI with -1 as singletons; with clusters_only, over the rows whose truth is a cluster."""
    from sklearn.metrics import adjusted_rand_score
    truth, labels = np.asarray(truth), np.asarray(labels)
    if clusters_only:
        keep = truth >= 0
        truth, labels = truth[keep], labels[keep]
    return float(adjusted_rand_score(singletons(truth), singletons(labels)))


if __name__ == "__main__":
    sys.exit(main())
