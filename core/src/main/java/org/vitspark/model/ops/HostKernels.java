package org.vitspark.model.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which implementation the elementwise kernels use. Fused Java loops over host copies are faster on the
 * CPU backend (one pass instead of ~8 ND4J ops, each allocating), but they run on host memory only, so
 * CUDA executors and double-precision runs use the ND4J-op twin; a test checks that both agree.
 * Config key {@code backend.kernels = nd4j} forces the twin everywhere.
 */
public final class HostKernels {

    private static final boolean CPU_BACKEND = Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");
    private static volatile boolean forcedNd4j;

    private HostKernels() {
    }

    /** True when the fused Java kernels apply to this array: float data on the CPU backend. */
    public static boolean applies(INDArray x) {
        return CPU_BACKEND && !forcedNd4j && x.dataType() == DataType.FLOAT;
    }

    /** backend.kernels: "auto" (host loops where they apply) or "nd4j" (ND4J ops everywhere). */
    public static void select(String kernels) {
        forcedNd4j = "nd4j".equals(kernels);
    }

    /**
     * The array's values as a heap copy in c order, by one bulk copy from the native buffer (DataBuffer's
     * asFloat() and Nd4j.createFromArray copy element by element: they cost more than the kernels).
     */
    static float[] heap(INDArray x) {
        boolean plain = x.ordering() == 'c' && x.offset() == 0 && x.data().length() == x.length()
                && Shape.hasDefaultStridesForShape(x);
        INDArray src = plain ? x : x.dup('c');
        float[] v = new float[(int) src.length()];
        src.data().asNioFloat().get(v);
        return v;
    }

    static INDArray array(float[] v, long... shape) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape);
        out.data().asNioFloat().put(v);
        return out;
    }
}
