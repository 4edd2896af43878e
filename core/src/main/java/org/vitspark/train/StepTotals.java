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

    public void add(StepTotals o) {
        steps += o.steps;
        examples += o.examples;
        lossSum += o.lossSum;
        cleanLossSum += o.cleanLossSum;
        correct += o.correct;
        gradNormSum += o.gradNormSum;
        samSeconds = Math.max(samSeconds, o.samSeconds); // workers run in parallel: the slowest one counts
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
