package org.vitspark.analysis;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.rng.Rng;

/** Standard Gaussian vectors reproducible from a seed alone (not ND4J's global generator, which is shared state). */
public final class RandomVectors {

    private RandomVectors() {
    }

    /** [1, length] of N(0, 1) draws. */
    public static INDArray gaussian(long length, DataType type, long... seed) {
        SplittableRandom r = Rng.of(seed);
        double[] v = new double[Math.toIntExact(length)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {1, length}, 'c').castTo(type);
    }
}
