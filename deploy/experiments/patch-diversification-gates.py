#!/usr/bin/env python3
"""Issue 15's gates from the experiment's run directories (standard library only).

Reads each run's analysis/analysis.json (per-block mean |cos| of the patch tokens, 1,000 test images as
stored, and the value after the final LayerNorm), metrics.jsonl (test top-1 per epoch, per-term losses)
and summary.json (final test top-1, wall time of the last part), and prints a table and the gates:
- depth 12: final-block |cos| <= 0.70 x the baseline's, and the mean over blocks 7-12 <= 0.80 x;
- depth 12: test top-1 >= baseline - 0.3 points (stretch: >= +0.5), per seed and as the mean of seeds;
- reported, not gated: the baseline's over-smoothing at 12 vs 6 layers, and the accuracy gain at 12 vs 6.
Usage: patch-diversification-gates.py [--json FILE] RUN_DIR...   (FILE: the metrics as JSON, for nightly suites)
       patch-diversification-gates.py --keep DEST RUN_DIR...   (copies what the gates read, compactly, to
       DEST/<run name>/<run id>/, for runs whose directories will not outlive the machine)
"""
import json
import os
import re
import sys
from statistics import mean

from gates_common import take_json, write_json


def load(run):
    name = os.path.basename(os.path.dirname(run.rstrip("/")))
    m = re.match(r"patchdiv-(baseline|diversified)-d(\d+)-s(\d+)", name)
    if not m:
        sys.exit(f"{run}: not a patch-diversification run directory (run name {name})")
    a = json.load(open(os.path.join(run, "analysis", "analysis.json")))
    s = json.load(open(os.path.join(run, "summary.json")))
    rows = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl")) if l.strip()]
    evals = [r for r in rows if r.get("kind") == "eval"]
    train = [r for r in rows if r.get("kind") == "train"]
    terms = {k: train[-1][k] for k in train[-1] if k.startswith("loss_")} if train else {}
    wall = train[-1]["train_s_so_far"] if train and "train_s_so_far" in train[-1] else sum(r.get("round_s", 0) for r in train)
    cos = a["oversmoothing"]["patch_cosine"]
    return {"kind": m.group(1), "depth": int(m.group(2)), "seed": int(m.group(3)), "run": run, "cos": cos,
            "final_norm": a["oversmoothing"].get("patch_cosine_final_norm"), "top1": s["test_top1"],
            "top1_per_epoch": [e["top1"] for e in evals], "terms": terms, "train_s": wall}


def main(dirs):
    runs = [load(d) for d in dirs]
    metrics = {}
    print(f"{'arm':<28} {'top-1':>7} {'last |cos|':>10} {'|cos| 7-12':>10} {'final LN':>9} {'train s':>8}  per-block |cos|")
    for r in sorted(runs, key=lambda r: (r["depth"], r["seed"], r["kind"])):
        deep = mean(r["cos"][6:]) if len(r["cos"]) >= 12 else float("nan")
        arm = f"{r['kind']}-d{r['depth']}-s{r['seed']}"
        print(f"{arm:<28} {r['top1']:7.4f} {r['cos'][-1]:10.3f} {deep:10.3f} "
              f"{r['final_norm'] or float('nan'):9.3f} {r['train_s']:8.0f}  " + " ".join(f"{c:.3f}" for c in r["cos"]))
    for r in runs:
        print(f"  {r['kind']}-d{r['depth']}-s{r['seed']} top-1 per epoch: " + " ".join(f"{t:.4f}" for t in r["top1_per_epoch"]))
        if len(r["terms"]) > 1:
            print("    last round's terms: " + ", ".join(f"{k} {v:.4f}" for k, v in r["terms"].items()))

    def pick(kind, depth):
        return {r["seed"]: r for r in runs if r["kind"] == kind and r["depth"] == depth}

    b12, d12 = pick("baseline", 12), pick("diversified", 12)
    seeds = sorted(set(b12) & set(d12))
    if seeds:
        print("\nGates (depth 12):")
        for s in seeds:
            b, d = b12[s], d12[s]
            last = d["cos"][-1] / b["cos"][-1]
            deep = mean(d["cos"][6:]) / mean(b["cos"][6:])
            dacc = 100 * (d["top1"] - b["top1"])
            print(f"  seed {s}: final-block |cos| ratio {last:.3f} (gate <= 0.70: {'met' if last <= 0.70 else 'NOT met'}); "
                  f"blocks 7-12 ratio {deep:.3f} (gate <= 0.80: {'met' if deep <= 0.80 else 'NOT met'}); "
                  f"top-1 {d['top1']:.4f} vs {b['top1']:.4f} = {dacc:+.2f} pt "
                  f"(gate >= -0.3: {'met' if dacc >= -0.3 else 'NOT met'}; stretch >= +0.5: {'met' if dacc >= 0.5 else 'not met'})")
        dmean = 100 * (mean(d12[s]["top1"] for s in seeds) - mean(b12[s]["top1"] for s in seeds))
        spread = (f"{100 * (max(b12[s]['top1'] for s in seeds) - min(b12[s]['top1'] for s in seeds)):.2f} pt"
                  if len(seeds) > 1 else "unknown (one seed)")
        print(f"  mean over {len(seeds)} seed(s): top-1 {dmean:+.2f} pt; seed spread of the baseline {spread}")
        metrics.update(seeds=len(seeds), top1_gain_pt=dmean,
                       cos_ratio_final=mean(d12[s]["cos"][-1] / b12[s]["cos"][-1] for s in seeds),
                       cos_ratio_deep=mean(mean(d12[s]["cos"][6:]) / mean(b12[s]["cos"][6:]) for s in seeds),
                       cos_final_baseline=mean(b12[s]["cos"][-1] for s in seeds),
                       cos_final_diversified=mean(d12[s]["cos"][-1] for s in seeds))
    b6, d6 = pick("baseline", 6), pick("diversified", 6)
    if 42 in b6 and 42 in b12:
        print(f"\nReported: baseline final-block |cos| at depth 12 {b12[42]['cos'][-1]:.3f} vs depth 6 {b6[42]['cos'][-1]:.3f}"
              " (the paper's premise: deeper over-smooths more)")
    if 42 in b6 and 42 in d6 and 42 in b12 and 42 in d12:
        g12 = 100 * (d12[42]["top1"] - b12[42]["top1"])
        g6 = 100 * (d6[42]["top1"] - b6[42]["top1"])
        print(f"Reported: accuracy gain from the losses at depth 12 {g12:+.2f} pt vs depth 6 {g6:+.2f} pt")
    return metrics


def keep(dest, dirs):
    for run in dirs:
        run = run.rstrip("/")
        target = os.path.join(dest, os.path.basename(os.path.dirname(run)), os.path.basename(run))
        os.makedirs(os.path.join(target, "analysis"), exist_ok=True)
        for f in ("summary.json", "config.conf", os.path.join("analysis", "analysis.json")):
            with open(os.path.join(run, f)) as src, open(os.path.join(target, f), "w") as out:
                out.write(src.read())
        # every evaluation, and the last training row of each epoch with the training seconds so far
        rows = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl")) if l.strip()]
        kept, train_s = [], 0.0
        for i, row in enumerate(rows):
            if row.get("kind") == "train":
                train_s += row.get("round_s", 0)
                nxt = next((r for r in rows[i + 1:] if r.get("kind") == "train"), None)
                if nxt is not None and nxt.get("epoch") == row.get("epoch"):
                    continue
                row = {k: v for k, v in row.items() if k in ("kind", "epoch", "round", "step", "loss", "accuracy")
                       or k.startswith("loss_") or k.startswith("grad_share_")}
                row["train_s_so_far"] = train_s
            kept.append(row)
        with open(os.path.join(target, "metrics.jsonl"), "w") as out:
            out.writelines(json.dumps(r) + "\n" for r in kept)
        print("kept", target)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--keep"]:
        keep(sys.argv[2], sys.argv[3:])
    else:
        out, dirs = take_json(sys.argv[1:])
        write_json(out, main(dirs))
