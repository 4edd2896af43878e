package org.vitspark.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector exp is the scalar one bit for bit (so the kernels give the same bits interpreted, compiled,
 * vectorised or in the scalar tail), and softmax rows sum to one.
 */
class VecMathTest {

    @Test
    void vectorExpEqualsScalarExpBitForBit() {
        assumeTrue(FastMath.VECTOR, "needs --add-modules jdk.incubator.vector");
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[lanes * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 100 - 95); // [-95, 5): underflow, negatives, positives
        }
        x[0] = 0f;
        x[1] = -87f;
        x[2] = -0.5f;
        x[3] = -1.5f;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += lanes) {
            VecMath.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(FastMath.exp(x[i])), Float.floatToIntBits(y[i]), "exp(" + x[i] + ")");
        }
        assertEquals(1f, y[0]);
    }

    @Test
    void softmaxRowsSumToOne() {
        assumeTrue(FastMath.VECTOR);
        float[] row = new float[77];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) Math.sin(i) * 6;
        }
        VecMath.softmaxRow(row, 0, row.length);
        double sum = 0;
        for (float v : row) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
    }
}
