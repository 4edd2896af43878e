package org.vitspark.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector exp is the scalar one bit for bit (so the kernels give the same bits interpreted, compiled,
 * vectorised or in the scalar tail), softmax rows sum to one, and LayerNorm rows agree with their scalar twin.
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

    @Test
    void layerNormRowsAgreeWithTheScalarTwin() {
        assumeTrue(FastMath.VECTOR);
        SplittableRandom r = new SplittableRandom(5);
        for (int d : new int[] {64, 192, 77, 5}) { // whole vectors, a tail, shorter than one vector
            float[] x = new float[d];
            float[] g = new float[d];
            float[] b = new float[d];
            float[] dy = new float[d];
            for (int j = 0; j < d; j++) {
                x[j] = (float) (r.nextGaussian() * 3 + 1);
                g[j] = (float) (1 + 0.3 * r.nextGaussian());
                b[j] = (float) r.nextGaussian();
                dy[j] = (float) r.nextGaussian();
            }
            float[] hv = x.clone();
            float[] hs = x.clone();
            float[] yv = new float[d];
            float[] ys = new float[d];
            float rv = VecMath.layerNormRow(hv, g, b, yv, d, LayerNorm.EPS);
            float rs = FastMath.layerNormRow(hs, g, b, ys, d, LayerNorm.EPS);
            assertEquals(rs, rv, 1e-6 * rs, "rstd, d " + d);
            float[] dv = dy.clone();
            float[] ds = dy.clone();
            float[] dgv = new float[d];
            float[] dgs = new float[d];
            float[] dbv = new float[d];
            float[] dbs = new float[d];
            VecMath.layerNormBackwardRow(dv, hv, g, rv, dgv, dbv, d);
            FastMath.layerNormBackwardRow(ds, hs, g, rs, dgs, dbs, d);
            for (int j = 0; j < d; j++) {
                assertEquals(hs[j], hv[j], 1e-5, "x-hat, d " + d);
                assertEquals(ys[j], yv[j], 1e-5, "y, d " + d);
                assertEquals(ds[j], dv[j], 1e-5, "dx, d " + d);
                assertEquals(dgs[j], dgv[j], 1e-5, "d gamma, d " + d);
                assertEquals(dbs[j], dbv[j], 0, "d beta, d " + d);
            }
        }
    }
}
