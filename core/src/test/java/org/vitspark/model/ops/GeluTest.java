package org.vitspark.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Exact GELU against hand values, and a derivative that stays finite where DL4J's is NaN (D9). */
class GeluTest {

    @Test
    void valuesMatchXTimesTheNormalCdf() {
        INDArray x = Nd4j.createFromArray(-3.0, -1.0, 0.0, 0.5, 2.0);
        // x·Φ(x) with Φ from tables: Φ(−3) 0.0013499, Φ(−1) 0.1586553, Φ(0.5) 0.6914625, Φ(2) 0.9772499
        double[] expected = {-3 * 0.0013498980, -0.1586552539, 0.0, 0.5 * 0.6914624613, 2 * 0.9772498681};
        INDArray y = Gelu.forward(x);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], y.getDouble(i), 1e-9);
        }
    }

    @Test
    void derivativeIsFiniteAndSaturatesForLargeFloatInputs() {
        INDArray x = Nd4j.createFromArray(30f, 45f, 1000f, -1000f, -30f);
        INDArray d = Gelu.backward(Nd4j.ones(DataType.FLOAT, 5), x, null);
        for (int i = 0; i < 5; i++) {
            assertTrue(Float.isFinite(d.getFloat(i)), "derivative at " + x.getFloat(i));
        }
        assertEquals(1.0, d.getDouble(0), 1e-6);
        assertEquals(0.0, d.getDouble(3), 1e-6);
    }
}
