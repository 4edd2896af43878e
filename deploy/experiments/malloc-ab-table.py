#!/usr/bin/env python3
"""The table of deploy/experiments/malloc-ab: per run, the training throughput of each epoch after the
first (images over the rounds' own seconds, from metrics.jsonl's images_per_s x round_s, so evaluations
and checkpoints between rounds do not count), the same over all those epochs, and from the /proc samples
the JVM's minor page faults per second and the kernel's share of its CPU time (first sample left out:
start-up). Then per pair the D35 arm's throughput over the default arm's, and their median.

Usage: malloc-ab-table.py OUTPUT_DIR   (the folder malloc-ab wrote: <arm>-<i>/<run dir>/metrics.jsonl and
<arm>-<i>.proc per run)
"""
import glob
import json
import os
import statistics
import sys

ARMS = ("default", "d35")


def epochs(run_root):
    found = sorted(glob.glob(os.path.join(run_root, "*", "metrics.jsonl")))
    if not found:
        sys.exit(f"malloc-ab-table: no metrics.jsonl under {run_root}")
    per = {}
    with open(found[-1]) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"malloc-ab-table: {found[-1]} line {n}: not JSON ({e.msg})")
            if row.get("kind") != "train":
                continue
            images, seconds = per.get(row["epoch"], (0.0, 0.0))
            per[row["epoch"]] = (images + row["images_per_s"] * row["round_s"], seconds + row["round_s"])
    return per


def proc(path):
    """(faults/s, kernel share) between the second and the last sample; NaN without two such samples."""
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            rows = [tuple(float(v) for v in line.split()) for line in f if len(line.split()) == 4]
    rows = rows[1:]
    if len(rows) < 2:
        return float("nan"), float("nan")
    (t0, f0, u0, s0), (t1, f1, u1, s1) = rows[0], rows[-1]
    cpu = (u1 - u0) + (s1 - s0)
    return (f1 - f0) / (t1 - t0), (s1 - s0) / cpu if cpu > 0 else float("nan")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: malloc-ab-table.py OUTPUT_DIR")
    out = sys.argv[1]
    runs = sorted({os.path.basename(d) for d in glob.glob(os.path.join(out, "*-*")) if os.path.isdir(d)},
                  key=lambda r: (int(r.rsplit("-", 1)[1]), ARMS.index(r.rsplit("-", 1)[0])))
    if not runs:
        sys.exit(f"malloc-ab-table: no runs in {out}")
    print("| run | arm | images/s per epoch (2, 3, ...) | images/s, epochs 2 on | minor faults/s | kernel share of CPU |")
    print("|---|---|---|---|---|---|")
    overall = {}
    for run in runs:
        arm, i = run.rsplit("-", 1)
        per = epochs(os.path.join(out, run))
        later = [e for e in sorted(per) if e >= 2]
        if not later:
            sys.exit(f"malloc-ab-table: run {run} has no epoch after the first")
        rate = sum(per[e][0] for e in later) / sum(per[e][1] for e in later)
        overall[(arm, i)] = rate
        faults, kernel = proc(os.path.join(out, run + ".proc"))
        print(f"| {i} | {arm} | {', '.join(f'{per[e][0] / per[e][1]:.1f}' for e in later)} | {rate:.1f} "
              f"| {faults:,.0f} | {kernel:.1%} |")
    pairs = sorted({i for _, i in overall if all((a, i) in overall for a in ARMS)}, key=int)
    ratios = [overall[("d35", i)] / overall[("default", i)] for i in pairs]
    print()
    for arm in ARMS:
        values = [overall[(arm, i)] for i in pairs]
        if values:
            print(f"{arm}: median {statistics.median(values):.1f} images/s over {len(values)} runs")
    if ratios:
        print(f"d35 / default per pair: {', '.join(f'{r:.3f}' for r in ratios)}; "
              f"median {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
