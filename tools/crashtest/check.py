"""Checks for tools/crashtest.sh: read run files with h5py (system python3-h5py) and compare them bit for bit.

Every command prints one line of 0/1 flags and never raises: an unreadable file is a 0, not a traceback.

  check.py prefix REF CUT      readable intact : CUT opens, and its snapshots (counted by /step) are an exact
                                prefix of REF's (steps and every layer's weights, bit for bit)
  check.py equal REF CUT       same            : CUT holds exactly REF's snapshots, bit for bit
  check.py last REF CUT        same            : CUT's last snapshot equals REF's last (step and weights)
  check.py grid REF CUT        readable intact : every snapshot of CUT whose step REF also has equals REF's, steps
                                strictly increasing (an interrupted run adds a final snapshot off REF's grid)
  check.py analysis FILE       readable intact : FILE opens and, when it has /analysis, every dataset in it reads
  check.py count FILE          n               : snapshots in FILE (counted by /step), -1 when it does not open
"""
import sys

import numpy as np


def open_run(path):
    import h5py
    try:
        return h5py.File(path, "r")
    except Exception:
        # A killed --live writer leaves the SWMR mark: SWMR readers still see every flushed snapshot.
        return h5py.File(path, "r", libver="latest", swmr=True)


def snapshots(f):
    steps = np.asarray(f["step"][:])
    layers = [str(n) for n in f["layers"].attrs["order"]]
    weights = [f["layers"][name]["weights"] for name in layers]
    n = min([len(steps)] + [w.shape[0] for w in weights])
    return steps[:n], [w[:n] for w in weights]


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def prefix(ref, cut):
    try:
        f = open_run(cut)
    except Exception:
        return "0 0"
    try:
        rs, rw = snapshots(open_run(ref))
        cs, cw = snapshots(f)
        k = len(cs)
        ok = k <= len(rs) and np.array_equal(cs, rs[:k]) and all(same_bits(c, r[:k]) for c, r in zip(cw, rw))
        return "1 %d" % ok
    except Exception:
        return "1 0"


def equal(ref, cut):
    try:
        rs, rw = snapshots(open_run(ref))
        cs, cw = snapshots(open_run(cut))
        return "%d" % (np.array_equal(rs, cs) and all(same_bits(c, r) for c, r in zip(cw, rw)))
    except Exception:
        return "0"


def last(ref, cut):
    try:
        rs, rw = snapshots(open_run(ref))
        cs, cw = snapshots(open_run(cut))
        return "%d" % (rs[-1] == cs[-1] and all(same_bits(c[-1], r[-1]) for c, r in zip(cw, rw)))
    except Exception:
        return "0"


def grid(ref, cut):
    try:
        f = open_run(cut)
    except Exception:
        return "0 0"
    try:
        rs, rw = snapshots(open_run(ref))
        cs, cw = snapshots(f)
        ok = len(cs) > 0 and bool(np.all(np.diff(cs) > 0))
        where = {int(s): i for i, s in enumerate(rs)}
        for j, s in enumerate(cs):
            i = where.get(int(s))
            if i is not None:
                ok = ok and all(same_bits(c[j], r[i]) for c, r in zip(cw, rw))
        return "1 %d" % ok
    except Exception:
        return "1 0"


def analysis(path):
    try:
        f = open_run(path)
    except Exception:
        return "0 0"
    try:
        if "analysis" not in f:
            return "1 1"
        group = f["analysis"]
        if group.attrs.get("schema") is None:
            return "1 0"
        bad = []

        def visit(name, obj):
            if hasattr(obj, "shape"):
                try:
                    obj[()]
                except Exception:
                    bad.append(name)
        group.visititems(visit)
        return "1 %d" % (not bad)
    except Exception:
        return "1 0"


def count(path):
    try:
        return "%d" % len(snapshots(open_run(path))[0])
    except Exception:
        return "-1"


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    print({"prefix": prefix, "equal": equal, "last": last, "grid": grid, "analysis": analysis, "count": count}[command](*args))
