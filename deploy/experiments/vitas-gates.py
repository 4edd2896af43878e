#!/usr/bin/env python3
"""Issue 17's ViTAS gates from the experiment's outputs (standard library only).

Arguments: the search directory (top-genomes.json, random-genomes.json), the ablation directory
(cyclic/scores.json, left/scores.json), the two supernet run names' folders (runs/vitas-supernet-cyclic,
runs/vitas-supernet-left), then the retrained runs (vitas-<baseline|best>-s<seed> run directories).
Gates:
- search works: the GA's best inherited score >= the 95th percentile of the random in-band genomes' scores;
- claim: retrained best >= baseline + 0.3 points at <= the baseline's MACs (mean of the seeds both have), or
  >= baseline - 0.1 points at <= 0.8 x its MACs.
Reported: cyclic vs left supernet on the same 30 genomes: Kendall tau-b of their rankings, mean inherited
accuracy, and the standard deviation of the training loss over the last 20% of steps.
Usage: vitas-gates.py [--json FILE] SEARCH_DIR ABLATION_DIR CYCLIC_RUNS LEFT_RUNS RUN_DIR...
       (FILE: the metrics as JSON, for nightly suites)
"""
import json
import os
import re
import sys
from statistics import mean, pstdev

from gates_common import take_json, write_json


def load(path):
    return json.load(open(path)) if os.path.exists(path) else None


def percentile(values, q):
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(len(s) - 1, lo + 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


def kendall_tau_b(x, y):
    n = len(x)
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx = (x[i] > x[j]) - (x[i] < x[j])
            dy = (y[i] > y[j]) - (y[i] < y[j])
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx == dy:
                concordant += 1
            else:
                discordant += 1
    denom = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denom if denom else float("nan")


def newest_finished(folder):
    if not os.path.isdir(folder):
        return None
    for d in sorted(os.listdir(folder), reverse=True):
        if os.path.exists(os.path.join(folder, d, "summary.json")):
            return os.path.join(folder, d)
    return None


def loss_spread(run):
    rows = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl")) if l.strip()]
    train = [r for r in rows if r.get("kind") == "train"]
    last = train[-1]["step"]
    tail = [r["loss"] for r in train if r["step"] > 0.8 * last]
    return pstdev(tail), mean(tail), len(tail)


def main(argv):
    search, ablation, cyclic_runs, left_runs, runs = argv[0], argv[1], argv[2], argv[3], argv[4:]
    metrics = {}
    top = load(os.path.join(search, "top-genomes.json"))
    rnd = load(os.path.join(search, "random-genomes.json"))
    if top and rnd:
        best = top["genomes"][0]
        scores = [g["score"] for g in rnd["genomes"]]
        p95 = percentile(scores, 0.95)
        print(f"search: best inherited score {best['score']:.4f} ({best['macs']:,} MACs: {best['genome']})")
        print(f"random in-band genomes ({len(scores)}): mean {mean(scores):.4f}, median {percentile(scores, 0.5):.4f}, "
              f"95th percentile {p95:.4f}, max {max(scores):.4f}")
        print(f"Gate: GA best >= 95th percentile of random: {best['score']:.4f} vs {p95:.4f}: "
              f"{'met' if best['score'] >= p95 else 'not met'}")
        metrics.update(ga_best_score=best["score"], random_p95_score=p95, ga_vs_random_p95_pt=100 * (best["score"] - p95))
    else:
        print("search: not run yet")

    arms = {}
    for run in runs:
        m = re.search(r"vitas-(baseline|best)-s(\d+)", run)
        if not m:
            continue
        summary = load(os.path.join(run, "summary.json"))
        arms.setdefault(m.group(1), {})[int(m.group(2))] = summary
        print(f"retrained {m.group(1)} seed {m.group(2)}: test top-1 {summary['test_top1']:.4f}, "
              f"{summary.get('macs', 0):,} MACs, {summary['params']:,} params ({run})")
    if "baseline" in arms and "best" in arms:
        seeds = sorted(set(arms["baseline"]) & set(arms["best"]))
        if seeds:
            base = mean(arms["baseline"][s]["test_top1"] for s in seeds)
            found = mean(arms["best"][s]["test_top1"] for s in seeds)
            base_macs = arms["baseline"][seeds[0]]["macs"]
            found_macs = arms["best"][seeds[0]]["macs"]
            diff = 100 * (found - base)
            ratio = found_macs / base_macs
            met = (diff >= 0.3 and ratio <= 1.0) or (diff >= -0.1 and ratio <= 0.8)
            print(f"Gate: retrained best vs baseline (mean of {len(seeds)} seed(s) {seeds}): {100 * found:.2f} vs "
                  f"{100 * base:.2f} = {diff:+.2f} pt at {ratio:.3f} x MACs: {'met' if met else 'not met'}")
            metrics.update(seeds=len(seeds), retrain_gain_pt=diff, macs_ratio=ratio, claim_met=met,
                           baseline_top1=base, found_top1=found)

    cyc = load(os.path.join(ablation, "cyclic", "scores.json"))
    left = load(os.path.join(ablation, "left", "scores.json"))
    if cyc and left:
        a = [g["score"] for g in cyc["genomes"]]
        b = [g["score"] for g in left["genomes"]]
        metrics["ablation_tau"] = kendall_tau_b(a, b)
        print(f"ablation on {len(a)} fixed genomes: Kendall tau-b {kendall_tau_b(a, b):.3f}; mean inherited "
              f"accuracy cyclic {mean(a):.4f}, left {mean(b):.4f}")
    for label, folder in (("cyclic", cyclic_runs), ("left", left_runs)):
        run = newest_finished(folder)
        if run:
            sd, mu, n = loss_spread(run)
            print(f"supernet {label}: training loss over the last 20% of steps: mean {mu:.4f}, std {sd:.4f} "
                  f"({n} rounds; {run})")
    return metrics


if __name__ == "__main__":
    out, args = take_json(sys.argv[1:])
    if len(args) < 4:
        sys.exit(__doc__)
    write_json(out, main(args))
