package org.vitspark.model.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which implementation the elementwise kernels use. Fused Java loops over host copies are faster on the
 * CPU backend (one pass instead of ~8 ND4J ops, each allocating), but they run on host memory only, so
 * CUDA executors and double-precision runs use the ND4J-op twin; a test checks that both agree.
 * {@code -Dvitspark.kernels=nd4j} forces the twin everywhere.
 */
public final class HostKernels {

    private static final boolean CPU_BACKEND = Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");
    private static final boolean FORCED_ND4J = "nd4j".equals(System.getProperty("vitspark.kernels"));

    private HostKernels() {
    }

    /** True when the fused Java kernels apply to this array: float data on the CPU backend. */
    public static boolean applies(INDArray x) {
        return CPU_BACKEND && !FORCED_ND4J && x.dataType() == DataType.FLOAT;
    }

    /** The array's values as a heap copy in c order (one bulk copy). */
    static float[] heap(INDArray x) {
        boolean plain = x.ordering() == 'c' && x.offset() == 0 && x.data().length() == x.length()
                && Shape.hasDefaultStridesForShape(x);
        return (plain ? x : x.dup('c')).data().asFloat();
    }

    static INDArray array(float[] v, long... shape) {
        return Nd4j.createFromArray(v).reshape('c', shape);
    }
}
