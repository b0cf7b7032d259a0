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
  check.py count_unlocked FILE n               : the same for a file still being written (read without HDF5's
                                file lock, only to see whether its first snapshot is in)
  check.py whole FILE          readable intact : any HDF5 file (a summary): it opens and every dataset reads back;
                                "1 1" when FILE does not exist (never written is not torn)
  check.py data REF CUT        same            : every dataset of REF exists in CUT with the same values (NaN equal
                                to NaN; attributes such as creation times are not compared)
  check.py json FILE           readable        : FILE parses as JSON ("1" when it does not exist)

  check.py --serve             reads one command per line on stdin (the words above, separated by tabs) and
                                answers each with its line: the harness starts it once, so numpy and h5py are
                                imported once instead of per check. Every file is closed before the answer, so no
                                check holds a file that condense is about to write.
"""
import json
import os
import sys

import numpy as np

_open_files = []


def open_run(path):
    import h5py
    try:
        f = h5py.File(path, "r")
    except Exception:
        try:
            # A killed writer (every run is written in SWMR mode) leaves the SWMR mark: SWMR readers still see
            # every flushed snapshot.
            f = h5py.File(path, "r", libver="latest", swmr=True)
        except Exception:
            # A killed in-place analyze (a plain writable session on a latest-format file) leaves the plain "open
            # for writing" mark, which SWMR readers refuse: `h5clear -s --increment=0` clears it, as every condense
            # command reading the file does by itself (FORMAT.md); the file must then open. (`h5clear -s` alone
            # would also cut the file at its stored end, dropping what the killed writer wrote past it, which the
            # file's own structures may point to.)
            import subprocess
            subprocess.run(["h5clear", "-s", "--increment=0", str(path)], check=True, capture_output=True)
            f = h5py.File(path, "r")
    _open_files.append(f)
    return f


def close_all():
    while _open_files:
        try:
            _open_files.pop().close()
        except Exception:
            pass


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


def reads_whole(group):
    bad = []

    def visit(name, obj):
        if hasattr(obj, "shape"):
            try:
                obj[()]
            except Exception:
                bad.append(name)
    group.visititems(visit)
    return not bad


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
        return "1 %d" % reads_whole(group)
    except Exception:
        return "1 0"


def whole(path):
    if not os.path.lexists(path):
        return "1 1"
    try:
        f = open_run(path)
    except Exception:
        return "0 0"
    try:
        return "1 %d" % (len(f.keys()) > 0 and reads_whole(f))
    except Exception:
        return "1 0"


def data(ref, cut):
    try:
        r, c = open_run(ref), open_run(cut)
        names = []
        r.visititems(lambda name, obj: names.append(name) if hasattr(obj, "shape") else None)
        for name in names:
            a, b = np.asarray(r[name][()]), np.asarray(c[name][()])
            if a.shape != b.shape:
                return "0"
            if a.dtype.kind == "f":
                if not np.array_equal(a, b, equal_nan=True):
                    return "0"
            elif not np.array_equal(a, b):
                return "0"
        return "1"
    except Exception:
        return "0"


def json_file(path):
    if not os.path.lexists(path):
        return "1"
    try:
        with open(path) as f:
            json.load(f)
        return "1"
    except Exception:
        return "0"


def count(path):
    try:
        return "%d" % len(snapshots(open_run(path))[0])
    except Exception:
        return "-1"


def count_unlocked(path):
    # A file whose writer is still running: read without HDF5's file lock (only to see how far it is).
    import h5py
    try:
        f = h5py.File(path, "r", locking=False)
    except Exception:
        try:   # a --live writer's file: as a SWMR reader
            f = h5py.File(path, "r", libver="latest", swmr=True, locking=False)
        except Exception:
            return "-1"
    _open_files.append(f)
    try:
        return "%d" % len(f["step"])
    except Exception:
        return "-1"


COMMANDS = {"prefix": prefix, "equal": equal, "last": last, "grid": grid, "analysis": analysis, "count": count, "count_unlocked": count_unlocked,
            "whole": whole, "data": data, "json": json_file}


def answer(words):
    try:
        return COMMANDS[words[0]](*words[1:])
    except Exception as e:   # a wrong command is the harness's bug: say so on the answer line
        return "error %s" % e
    finally:
        close_all()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        for line in sys.stdin:
            words = line.rstrip("\n").split("\t")
            sys.stdout.write(answer(words) + "\n")
            sys.stdout.flush()
    else:
        print(answer(sys.argv[1:]))
