package org.vitspark.model.ops;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout and stochastic depth (drop path, Huang et al. 2016) masks: 0 or 1/(1−p), drawn from
 * a derived generator so that SAM's second pass can replay the first pass's masks exactly.
 */
public final class Drop {

    private Drop() {
    }

    /** An element mask of the given shape, or null when p is 0. */
    public static INDArray elementMask(SplittableRandom r, DataType type, double p, long rows, long cols) {
        if (p <= 0) {
            return null;
        }
        double keep = 1.0 / (1.0 - p);
        double[] m = new double[Math.toIntExact(rows * cols)];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextDouble() < p ? 0.0 : keep;
        }
        return Nd4j.createFromArray(m).castTo(type).reshape('c', rows, cols);
    }

    /** A per-sample column [B, 1] for drop path, or null when p is 0. */
    public static INDArray sampleMask(SplittableRandom r, DataType type, double p, long batch) {
        return elementMask(r, type, p, batch, 1);
    }

    /** x·mask in place for an element mask; no-op for null. */
    public static INDArray apply(INDArray x, INDArray mask) {
        return mask == null ? x : x.muli(mask);
    }

    /** Scales each sample's rows of x [B·T, D] by its drop-path factor; no-op for null. */
    public static INDArray applyPerSample(INDArray x, INDArray sampleMask, long batch) {
        if (sampleMask == null) {
            return x;
        }
        x.reshape('c', batch, x.length() / batch).muliColumnVector(sampleMask);
        return x;
    }

    /** A copy when masks will scale it in place, else the array itself (read-only use saves a copy). */
    public static INDArray copyIf(boolean masked, INDArray x) {
        return masked ? Arena.copyOf(x) : x;
    }
}
