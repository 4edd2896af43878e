#!/usr/bin/env python3
"""Issue 18's SAM-regime gates from the experiment's run directories (standard library only).

Reads each run's summary.json (final test top-1), metrics.jsonl (test and training-split evaluations per
epoch) and analysis/analysis.json (Hessian lambda_max with its power-iteration history, active neurons per
block, over-smoothing), prints a table and the gates:
- SAM's test top-1 >= AdamW's + 1.0 point, mean of the seeds both arms have (SAM at the rho with the best
  seed-42 test top-1 of the sweep);
- lambda_max(AdamW) >= 3 x lambda_max(SAM), both estimates converged (relative change below tolerance).
Usage: sam-regime-gates.py [--json FILE] RUN_DIR...   (FILE: the metrics as JSON, for nightly suites)
       sam-regime-gates.py --best-rho RUN_DIR...        (prints the rho of the sweep's best seed-42 run)
"""
import json
import os
import re
import sys
from statistics import mean

from gates_common import take_json, write_json


def load(run):
    name = os.path.basename(os.path.dirname(run.rstrip("/")))
    m = re.match(r"samreg-(adamw|sam([0-9.]+))-s(\d+)$", name)
    if not m:
        sys.exit(f"{run}: not a sam-regime run directory (run name {name})")
    rows = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl")) if l.strip()]
    s = json.load(open(os.path.join(run, "summary.json")))
    a = json.load(open(os.path.join(run, "analysis", "analysis.json")))
    h = a["hessian"]
    hist = h["history"]
    rel = abs(hist[-1] - hist[-2]) / abs(hist[-2]) if len(hist) > 1 else float("nan")
    test = [r for r in rows if r.get("kind") == "eval"]
    train = [r for r in rows if r.get("kind") == "eval_train"]
    return {"arm": "adamw" if m.group(1) == "adamw" else "sam", "rho": float(m.group(2)) if m.group(2) else 0.0,
            "seed": int(m.group(3)), "run": run, "top1": s["test_top1"], "test_loss": s.get("test_loss"),
            "train_top1": train[-1]["top1"] if train else float("nan"),
            "train_loss": train[-1]["loss"] if train else float("nan"),
            "first_99": next((r["epochs_done"] for r in train if r["top1"] >= 0.99), None),
            "lmax": h["lambda_max"], "iters": h["iterations"], "converged": h["converged"], "rel": rel,
            "active": a.get("neurons", {}).get("active_ratio", []),
            "cos": a.get("oversmoothing", {}).get("patch_cosine", [])}


def best_rho(runs):
    sweep = [r for r in runs if r["arm"] == "sam" and r["seed"] == 42]
    return max(sweep, key=lambda r: r["top1"])["rho"] if sweep else None


def main(dirs):
    runs = sorted((load(d) for d in dirs), key=lambda r: (r["seed"], r["arm"], r["rho"]))
    metrics = {}
    print(f"{'arm':<16} {'test':>7} {'train':>7} {'train loss':>10} {'99% at':>6} {'lambda_max':>10} {'iters':>5} "
          f"{'rel chg':>8}  active ratio per block / final-block |cos|")
    for r in runs:
        arm = f"{r['arm']}{'' if r['arm'] == 'adamw' else r['rho']}-s{r['seed']}"
        print(f"{arm:<16} {r['top1']:7.4f} {r['train_top1']:7.4f} {r['train_loss']:10.4f} {str(r['first_99']):>6} "
              f"{r['lmax']:10.3f} {r['iters']:5d} {r['rel']:8.1e}  "
              + " ".join(f"{v:.3f}" for v in r["active"]) + (f" / {r['cos'][-1]:.3f}" if r["cos"] else ""))
    best = best_rho(runs)
    if best is None:
        return metrics
    metrics["best_rho"] = best
    print(f"\nbest rho on seed 42 (test top-1 of the sweep): {best}")
    adamw = {r["seed"]: r for r in runs if r["arm"] == "adamw"}
    sam = {r["seed"]: r for r in runs if r["arm"] == "sam" and r["rho"] == best}
    seeds = sorted(set(adamw) & set(sam))
    for s in seeds:
        a, b = adamw[s], sam[s]
        print(f"  seed {s}: SAM {b['top1']:.4f} vs AdamW {a['top1']:.4f} = {100 * (b['top1'] - a['top1']):+.2f} pt; "
              f"lambda_max AdamW/SAM {a['lmax'] / b['lmax']:.2f} (converged: AdamW {a['converged']} after "
              f"{a['iters']}, rel {a['rel']:.1e}; SAM {b['converged']} after {b['iters']}, rel {b['rel']:.1e})")
    if seeds:
        gain = 100 * mean(sam[s]["top1"] - adamw[s]["top1"] for s in seeds)
        ratio = mean(adamw[s]["lmax"] / sam[s]["lmax"] for s in seeds)
        conv = all(adamw[s]["converged"] and sam[s]["converged"] for s in seeds)
        print(f"Gate: SAM top-1 >= AdamW + 1.0 pt (mean of {len(seeds)} seed(s)): {gain:+.2f} pt: "
              + ("met" if gain >= 1.0 else "not met"))
        print(f"Gate: lambda_max >= 3x lower with SAM, both converged: ratio {ratio:.2f}, converged {conv}: "
              + ("met" if ratio >= 3.0 and conv else "not met"))
        metrics.update(seeds=len(seeds), sam_gain_pt=gain, lambda_ratio=ratio, lambda_converged=conv,
                       sam_top1=mean(sam[s]["top1"] for s in seeds), adamw_top1=mean(adamw[s]["top1"] for s in seeds))
    return metrics


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "--best-rho":
        print(best_rho([load(d) for d in sys.argv[2:]]))
    else:
        out, dirs = take_json(sys.argv[1:])
        write_json(out, main(dirs))
