package org.vitspark.runtime;

import org.nd4j.linalg.factory.Nd4j;

/** Starts ND4J the way the configuration asks: binary choice first (before ND4J loads), then threads. */
public final class Backend {

    private Backend() {
    }

    /** Selects the native binary and thread count, loads ND4J and returns a one-line description. */
    public static String start(String nativeBinary, int ompThreads) {
        String extension = NativeBinary.select(nativeBinary);
        if (ompThreads > 0) {
            Nd4j.getEnvironment().setMaxThreads(ompThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(ompThreads);
        }
        return "ND4J " + Nd4j.getBackend().getClass().getSimpleName() + " (binary " + extension.substring(1)
                + ", " + Nd4j.getEnvironment().maxThreads() + " threads)";
    }
}
