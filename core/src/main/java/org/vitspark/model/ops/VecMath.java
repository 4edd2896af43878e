package org.vitspark.model.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of the host kernels' transcendental loops through the JDK's Vector API
 * ({@code jdk.incubator.vector}, which the launchers add with {@code --add-modules}). Its lane-wise EXP
 * is the JDK's vectorised math library: 0.2 ns per float here against ~4 ns for {@link FastMath#exp}
 * and ~13 ns for {@code Math.exp}, and exp was the largest host-kernel cost (softmax, GELU). Only loaded
 * when {@link FastMath#VECTOR} says the module is present; {@link FastMath} is the scalar fallback.
 */
final class VecMath {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    private VecMath() {
    }

    /** Softmax of {@code row[0..n)} in place, shifted by the row maximum for stability. */
    static void softmaxRow(float[] row, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> m = S.indexInRange(i, n);
            max = Math.max(max, FloatVector.fromArray(S, row, i, m).reduceLanes(VectorOperators.MAX, m));
        }
        float sum = 0;
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector e = FloatVector.fromArray(S, row, i, m).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(row, i, m);
            sum += e.reduceLanes(VectorOperators.ADD, m);
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, row, i, m).mul(inv).intoArray(row, i, m);
        }
    }

    /**
     * y = x·Φ(x) for {@code x[0..n)}, and when {@code slope} is not null also Φ(x) + x·φ(x). Φ through
     * erf by Abramowitz and Stegun 7.1.26 (|error| ≤ 1.5e-7), as in {@link FastMath#phi}.
     */
    static void gelu(float[] x, float[] y, float[] slope, int n) {
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, i, m);
            FloatVector e = v.mul(v).mul(-0.5f).lanewise(VectorOperators.EXP);
            FloatVector z = v.abs().mul(INV_SQRT2);
            FloatVector t = FloatVector.broadcast(S, 1f).div(z.fma(FastMath.P, 1f));
            FloatVector poly = t.fma(FastMath.A5, FastMath.A4).mul(t).add(FastMath.A3).mul(t).add(FastMath.A2).mul(t)
                    .add(FastMath.A1).mul(t);
            FloatVector tail = poly.mul(e).mul(0.5f); // = ½(1 − erf(|x|/√2))
            FloatVector cdf = tail.neg().add(1f).blend(tail, v.compare(VectorOperators.LT, 0f));
            v.mul(cdf).intoArray(y, i, m);
            if (slope != null) {
                v.mul(e).mul(INV_SQRT_2PI).add(cdf).intoArray(slope, i, m);
            }
        }
    }
}
