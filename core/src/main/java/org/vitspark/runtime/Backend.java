package org.vitspark.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.config.BackendSettings;
import org.vitspark.model.ops.HostKernels;

/** Starts ND4J the way the configuration asks: binary choice first (before ND4J loads), then threads. */
public final class Backend {

    private Backend() {
    }

    /** backend.*: native binary, thread count and kernels; loads ND4J and returns a one-line description. */
    public static String start(BackendSettings b) {
        String extension = NativeBinary.select(b.nativeBinary());
        int ompThreads = b.ompThreads();
        if (ompThreads > 0) {
            Nd4j.getEnvironment().setMaxThreads(ompThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(ompThreads);
        }
        String kernels = b.kernels();
        HostKernels.select(kernels);
        return "ND4J " + Nd4j.getBackend().getClass().getSimpleName() + " (binary " + extension.substring(1)
                + ", " + Nd4j.getEnvironment().maxThreads() + " threads, kernels " + kernels + ")";
    }
}
