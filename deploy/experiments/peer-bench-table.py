#!/usr/bin/env python3
"""The table of deploy/experiments/peer-bench: per (config, batch, optimizer) the per-run medians of both
sides, the median over runs, vitspark's throughput relative to the peer (peer ms / vitspark ms), and
SAM/plain per run (the same run's SAM step over its plain step).

Usage: peer-bench-table.py OURS.jsonl PEER.jsonl   (JSON lines of `bench` and torch_vit_bench.py, each with
a "run" number added; lines without "config" are skipped)
"""
import json
import statistics
import sys


def load(path):
    cells = {}
    extra = set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"peer-bench-table: {path} line {n}: not JSON ({e.msg})")
            if "blas_core" in row:
                extra.add(row["blas_core"])
            if "config" not in row:
                continue
            key = (row["config"], row["batch"], row["optimizer"])
            cells.setdefault(key, {})[row["run"]] = row["median_ms"]
    return cells, extra


def fmt(values):
    return ", ".join(f"{v:.1f}" for v in values)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: peer-bench-table.py OURS.jsonl PEER.jsonl")
    ours, _ = load(sys.argv[1])
    peer, cores = load(sys.argv[2])
    print(f"peer blas_core: {', '.join(sorted(cores)) or 'not reported'}")
    print()
    print("| config | optimizer | vitspark ms (runs) | median | peer ms (runs) | median | throughput vs peer |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(ours, key=lambda k: (k[0], k[1], k[2])):
        if key not in peer:
            continue
        o = [ours[key][r] for r in sorted(ours[key])]
        p = [peer[key][r] for r in sorted(peer[key])]
        mo, mp = statistics.median(o), statistics.median(p)
        print(f"| {key[0]} b{key[1]} | {key[2]} | {fmt(o)} | {mo:.1f} | {fmt(p)} | {mp:.1f} | **{mp / mo:.2f}×** |")
    print()
    for config, batch, opt in sorted(ours):
        if opt != "sam" or (config, batch, "adamw") not in ours:
            continue
        plain = ours[(config, batch, "adamw")]
        sam = ours[(config, batch, "sam")]
        ratios = [sam[r] / plain[r] for r in sorted(sam) if r in plain]
        print(f"SAM/plain {config} b{batch} (vitspark, per run): {', '.join(f'{x:.3f}' for x in ratios)}"
              f"; median {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
