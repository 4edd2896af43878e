package org.vitspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SigmoidGeluTest {

    private static final double[] XS = {-80, -30, -5, -1, -0.1, 0, 0.3, 1, 4, 29, 31, 45, 80};

    private static double f(double x) {
        return x / (1 + Math.exp(-1.702 * x));
    }

    @Test
    void valuesAndDerivativesMatchTheFormulaAndFiniteDifferences() {
        SigmoidGelu gelu = new SigmoidGelu();
        INDArray x = Nd4j.createFromArray(XS).castTo(DataType.DOUBLE);
        INDArray y = gelu.getActivation(x.dup(), true);
        INDArray dy = gelu.backprop(x.dup(), Nd4j.ones(DataType.DOUBLE, XS.length)).getFirst();
        for (int i = 0; i < XS.length; i++) {
            double h = 1e-6;
            double numeric = (f(XS[i] + h) - f(XS[i] - h)) / (2 * h);
            assertEquals(f(XS[i]), y.getDouble(i), 1e-12, "value at " + XS[i]);
            assertEquals(numeric, dy.getDouble(i), 1e-8, "derivative at " + XS[i]);
        }
    }

    @Test
    void derivativeStaysFiniteInFloatWhereDl4jGeluReturnsNaN() {
        INDArray x = Nd4j.createFromArray(new float[] {30f, 45f, 60f, 1000f, -1000f});
        INDArray dy = new SigmoidGelu().backprop(x, Nd4j.ones(DataType.FLOAT, 5)).getFirst();
        for (int i = 0; i < 5; i++) {
            assertTrue(Double.isFinite(dy.getDouble(i)), "derivative at index " + i + " is " + dy.getDouble(i));
        }
        assertEquals(1.0, dy.getDouble(0), 1e-6);
        assertEquals(0.0, dy.getDouble(4), 1e-6);
    }
}
