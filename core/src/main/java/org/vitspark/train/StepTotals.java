package org.vitspark.train;

import java.io.Serializable;

/**
 * Sums over the optimiser steps of one worker between two reads: what a round's metrics line reports
 * (means are sums over steps or examples). A plain class: Spark's Kryo cannot serialise records.
 */
public final class StepTotals implements Serializable {

    private static final long serialVersionUID = 1L;

    public long steps;
    public long examples;
    /** Loss of the gradient that was applied: L(w + ε) under SAM, else L(w). */
    public double lossSum;
    /** L(w), the clean loss at the current weights. */
    public double cleanLossSum;
    /** Examples whose clean-pass arg-max matched the (arg-max of the) label. */
    public long correct;
    /** L2 norm of the applied gradient before clipping. */
    public double gradNormSum;
    /** Time in SAM's ascent step and second pass. */
    public double samSeconds;
    /** An objective of several terms: each term's value, summed over steps (clean pass); else empty. */
    public java.util.LinkedHashMap<String, Double> termSums = new java.util.LinkedHashMap<>();
    /** And each term's share of the gradient norm at the final LayerNorm's tokens, summed over steps. */
    public java.util.LinkedHashMap<String, Double> gradShareSums = new java.util.LinkedHashMap<>();
    /** The layer's per-step monitors (DINO's teacher entropy, KL), summed over steps; else empty. */
    public java.util.LinkedHashMap<String, Double> monitorSums = new java.util.LinkedHashMap<>();

    public void add(StepTotals o) {
        steps += o.steps;
        examples += o.examples;
        lossSum += o.lossSum;
        cleanLossSum += o.cleanLossSum;
        correct += o.correct;
        gradNormSum += o.gradNormSum;
        samSeconds = Math.max(samSeconds, o.samSeconds); // workers run in parallel: the slowest one counts
        o.termSums.forEach((k, v) -> termSums.merge(k, v, Double::sum));
        o.gradShareSums.forEach((k, v) -> gradShareSums.merge(k, v, Double::sum));
        o.monitorSums.forEach((k, v) -> monitorSums.merge(k, v, Double::sum));
    }

    /**
     * Per-term means over the steps, as metrics: {@code loss_<term>} and {@code grad_share_<term>} (empty for
     * one term), and each monitor's mean under its own name.
     */
    public java.util.Map<String, Double> termMeans() {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        termSums.forEach((k, v) -> out.put("loss_" + k, v / steps));
        gradShareSums.forEach((k, v) -> out.put("grad_share_" + k, v / steps));
        monitorSums.forEach((k, v) -> out.put(k, v / steps));
        return out;
    }

    public double meanLoss() {
        return lossSum / steps;
    }

    public double meanCleanLoss() {
        return cleanLossSum / steps;
    }

    public double accuracy() {
        return (double) correct / examples;
    }

    public double meanGradNorm() {
        return gradNormSum / steps;
    }
}
