"""Summarises `condense propagate --json` output: per model the largest |z| and the rows at the last hidden layer."""
import json
import sys

title = sys.argv[1]
d = json.load(sys.stdin)
rows = d.get("comparison", [])
notes = d.get("notes", {})
last = max((r["layer"] for r in rows), default=0)
print("## " + title)
for m in ["finite_width", "linearised", "infinite_width", "mean_field", "lyapunov"]:
    rs = [r for r in rows if r["model"] == m and r["z"] is not None]
    if not rs:
        if m in notes:
            print("  %-15s n/a: %s" % (m, notes[m]))
        continue
    worst = max(rs, key=lambda r: abs(r["z"]))
    print("  %-15s max|z| = %6.2f (%s at layer %d) over %d rows" % (m, abs(worst["z"]), worst["quantity"], worst["layer"], len(rs)))
    for r in rs:
        if r["layer"] == last:
            ps = "" if r["predicted_std"] is None else " (std %.4f)" % r["predicted_std"]
            print("      layer %d %-14s predicted % .4f%s  simulated % .4f ± %.4f (std %.4f)  z = % .2f"
                  % (last, r["quantity"], r["predicted_mean"], ps, r["simulated_mean"], r["sem"], r["simulated_std"], r["z"]))
