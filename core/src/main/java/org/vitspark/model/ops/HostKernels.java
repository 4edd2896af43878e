package org.vitspark.model.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which implementation the training step's kernels use. The host kernels (Java loops and BLAS calls on
 * the arrays' native memory, docs/decisions.md D16) are faster on the CPU backend, but they run on host
 * memory and in float only, so CUDA executors and double-precision runs use the ND4J-op twins; tests
 * check that both agree.
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
}
