package org.vitspark.config;

/**
 * {@code backend.*}: which ND4J native binary loads, its thread count (0 = ND4J's default) and which
 * kernels run the model's ops (auto | host | nd4j).
 */
public record BackendSettings(String nativeBinary, int ompThreads, String kernels) {
}
