#!/usr/bin/env python3
"""Issue 16's small-data SSL gates from the experiment's run directories (standard library only).

Pretraining runs (ssl-pretrain-5k = arm A, ssl-pretrain-60k = arm B): the k-NN health metric of
metrics.jsonl (kind knn: round 0 is the random initialisation, the last row the pretrained teacher;
kind knn_pixels: raw pixels) and whether the loss sat at ln K (within 0.1 nats, the teacher's output as
good as uniform) at any logged round after the warm-ups (the later of the learning-rate and the
teacher-temperature warm-up).
Fine-tuning runs (ssl-ft-<scratch|a|b>-s<seed>): final-epoch test top-1 (summary.json, primary) and the
best epoch's (metrics.jsonl, secondary, as the paper reports). Gates:
- health: teacher k-NN >= random-init k-NN + 5 points and >= raw-pixel k-NN; loss never pinned at ln K;
- claim: arm A fine-tuned >= scratch + 2.0 points (mean of the seeds both have, final epoch). Arm B reported.
Usage: small-data-ssl-gates.py [--json FILE] RUN_DIR...   (FILE: the metrics as JSON, for nightly suites)
"""
import json
import math
import os
import re
import sys
from statistics import mean

from gates_common import take_json, write_json


def rows(run):
    return [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl")) if l.strip()]


def pretrain(run, name):
    r = rows(run)
    knn = [x for x in r if x.get("kind") == "knn"]
    pixels = [x for x in r if x.get("kind") == "knn_pixels"]
    train = [x for x in r if x.get("kind") == "train"]
    k = 1024
    conf = open(os.path.join(run, "config.conf")).read()
    m = re.search(r"prototypes\s*=\s*(\d+)", conf)
    if m:
        k = int(m.group(1))
    ln_k = math.log(k)
    fracs = [float(m.group(1)) for m in re.finditer(r"(?:teacher-temp-warmup|lr-warmup)\s*=\s*([0-9.eE-]+)", conf)]
    frac = max(fracs) if fracs else 0.15
    last_step = train[-1]["step"] if train else 0
    after = [x for x in train if x["step"] > frac * last_step]
    pinned = [x["round"] for x in after if x["loss"] > ln_k - 0.1]
    return {"name": name, "init": knn[0]["top1"] if knn else float("nan"),
            "final": knn[-1]["top1"] if knn else float("nan"), "pixels": pixels[0]["top1"] if pixels else float("nan"),
            "ln_k": ln_k, "pinned": pinned, "first_loss": train[0]["loss"] if train else float("nan"),
            "last_loss": train[-1]["loss"] if train else float("nan"),
            "entropy": train[-1].get("teacher_entropy", float("nan")) if train else float("nan"),
            "knn": [(x["epochs_done"], x["top1"]) for x in knn]}


def finetune(run, arm, seed):
    s = json.load(open(os.path.join(run, "summary.json")))
    evals = [x for x in rows(run) if x.get("kind") == "eval"]
    return {"arm": arm, "seed": seed, "final": s["test_top1"], "best": max(x["top1"] for x in evals)}


def main(dirs):
    pre, ft = {}, []
    metrics = {}
    for d in dirs:
        name = os.path.basename(os.path.dirname(d.rstrip("/")))
        m = re.match(r"ssl-ft-(scratch|a|b)-s(\d+)$", name)
        if m:
            ft.append(finetune(d, m.group(1), int(m.group(2))))
        elif name in ("ssl-pretrain-5k", "ssl-pretrain-60k"):
            pre["a" if name.endswith("5k") else "b"] = pretrain(d, name)
        else:
            sys.exit(f"{d}: not a small-data-ssl run directory (run name {name})")
    for arm, p in sorted(pre.items()):
        print(f"pretraining arm {arm.upper()} ({p['name']}): k-NN top-1 random init {p['init']:.4f}, raw pixels "
              f"{p['pixels']:.4f}, pretrained teacher {p['final']:.4f}; loss {p['first_loss']:.4f} -> "
              f"{p['last_loss']:.4f} (ln K = {p['ln_k']:.4f}), final teacher entropy {p['entropy']:.3f}")
        print("  k-NN by epochs done: " + ", ".join(f"{e}: {v:.4f}" for e, v in p["knn"]))
        ok = p["final"] >= p["init"] + 0.05 and p["final"] >= p["pixels"] and not p["pinned"]
        print(f"  health gate (>= init + 5 pt {p['final'] >= p['init'] + 0.05}, >= pixels {p['final'] >= p['pixels']}, "
              f"never pinned at ln K {not p['pinned']}): {'MET' if ok else 'NOT MET'}")
        metrics.update({f"knn_{arm}": p["final"], f"knn_gain_pt_{arm}": 100 * (p["final"] - p["init"]),
                        f"knn_vs_pixels_pt_{arm}": 100 * (p["final"] - p["pixels"]),
                        f"pinned_rounds_{arm}": len(p["pinned"]), f"health_met_{arm}": ok})
    if not ft:
        return metrics
    print(f"\n{'fine-tuning':<14} {'seed':>4} {'final':>7} {'best':>7}")
    for r in sorted(ft, key=lambda r: (r["arm"], r["seed"])):
        print(f"{r['arm']:<14} {r['seed']:>4} {r['final']:7.4f} {r['best']:7.4f}")
    by = {(r["arm"], r["seed"]): r for r in ft}
    for arm in ("a", "b"):
        seeds = sorted(s for (a, s) in by if a == arm and ("scratch", s) in by)
        if not seeds:
            continue
        d_final = mean(by[(arm, s)]["final"] - by[("scratch", s)]["final"] for s in seeds) * 100
        d_best = mean(by[(arm, s)]["best"] - by[("scratch", s)]["best"] for s in seeds) * 100
        line = (f"arm {arm.upper()} - scratch over seeds {seeds}: final epoch {d_final:+.2f} pt, best epoch "
                f"{d_best:+.2f} pt")
        if arm == "a":
            line += f"; claim gate (>= +2.0 pt, final epoch, mean of 2 seeds): " + (
                ("MET" if d_final >= 2.0 else "NOT MET") if len(seeds) >= 2 else "pending (needs 2 seeds)")
        print(line)
        metrics.update({f"gain_pt_{arm}": d_final, f"gain_best_pt_{arm}": d_best, f"seeds_{arm}": len(seeds)})
    scratch = [r["final"] for r in ft if r["arm"] == "scratch"]
    if scratch:
        metrics["scratch_top1"] = mean(scratch)
    return metrics


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out, dirs = take_json(sys.argv[1:])
    write_json(out, main(dirs))
