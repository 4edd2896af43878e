package org.vitspark.objective;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax cross-entropy against soft targets (one-hot, mixed by CutMix/Mixup, or DINO's), with label
 * smoothing y' = (1−ε)·y + ε/C (Szegedy et al. 2016). The loss is the batch mean, and the gradient is
 * that of the mean: (softmax(z) − y') / B.
 */
public final class SoftTargetCrossEntropy {

    private SoftTargetCrossEntropy() {
    }

    public static INDArray smoothed(INDArray targets, double smoothing) {
        if (smoothing == 0) {
            return targets;
        }
        return targets.mul(1.0 - smoothing).addi(smoothing / targets.size(1));
    }

    /** log softmax over rows, computed as z − max − log Σ exp(z − max) so large logits do not overflow. */
    public static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(lse);
    }

    /** Loss per example, [B, 1]. */
    public static INDArray perExample(INDArray logits, INDArray targets, double smoothing) {
        return logSoftmax(logits).muli(smoothed(targets, smoothing)).sum(true, 1).negi();
    }

    public static double mean(INDArray logits, INDArray targets, double smoothing) {
        return perExample(logits, targets, smoothing).meanNumber().doubleValue();
    }

    /** d mean loss / d logits. */
    public static INDArray gradient(INDArray logits, INDArray targets, double smoothing) {
        return Transforms.softmax(logits, true).subi(smoothed(targets, smoothing)).divi(logits.size(0));
    }
}
