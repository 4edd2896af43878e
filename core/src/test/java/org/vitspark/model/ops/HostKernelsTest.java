package org.vitspark.model.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused Java kernels (float, CPU) agree with their ND4J-op twins, which CUDA executors and the
 * double-precision gradient checks use.
 */
class HostKernelsTest {

    private static void assertClose(INDArray host, INDArray nd4j, double tol, String what) {
        double scale = Math.max(1.0, nd4j.amaxNumber().doubleValue());
        double diff = host.castTo(DataType.DOUBLE).sub(nd4j.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + ": max difference " + diff + " (scale " + scale + ")");
    }

    @Test
    void layerNormForwardAndBackwardAgree() {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 37, 24).muli(3).addi(1);
        INDArray g = Nd4j.randn(DataType.FLOAT, 24);
        INDArray b = Nd4j.randn(DataType.FLOAT, 24);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 37, 24);
        assertTrue(HostKernels.applies(x), "host kernels are active for float on the CPU backend");
        LayerNorm.Cache[] ch = new LayerNorm.Cache[1];
        LayerNorm.Cache[] cn = new LayerNorm.Cache[1];
        assertClose(LayerNorm.forwardHost(x, g, b, ch), LayerNorm.forwardNd4j(x, g, b, cn), 1e-5, "LN forward");
        INDArray dgH = Nd4j.zeros(DataType.FLOAT, 24);
        INDArray dbH = Nd4j.zeros(DataType.FLOAT, 24);
        INDArray dgN = Nd4j.zeros(DataType.FLOAT, 24);
        INDArray dbN = Nd4j.zeros(DataType.FLOAT, 24);
        assertClose(LayerNorm.backwardHost(dy, ch[0], g, dgH, dbH), LayerNorm.backwardNd4j(dy, cn[0], g, dgN, dbN),
                1e-5, "LN backward dx");
        assertClose(dgH, dgN, 1e-5, "LN dgamma");
        assertClose(dbH, dbN, 1e-5, "LN dbeta");
    }

    @Test
    void geluForwardAndBackwardAgreeOverTheWholeRange() {
        INDArray x = Nd4j.linspace(-40, 40, 8001, DataType.FLOAT).reshape(1, 8001);
        INDArray dy = Nd4j.ones(DataType.FLOAT, 1, 8001);
        assertClose(Gelu.forwardHost(x), Gelu.forwardNd4j(x), 1e-6, "GELU");
        assertClose(Gelu.backwardHost(dy, x), Gelu.backwardNd4j(dy, x), 2e-6, "GELU'");
    }
}
