package org.vitspark.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Chooses which ND4J CPU binary JavaCPP loads. Both onednn-avx512 (fastest here, docs/benchmarks.md)
 * and onednn-avx2 ship; without a choice JavaCPP takes the AVX2 one, so the safe binary is the default
 * and this class upgrades to AVX-512 only where the CPU has it. Must run before ND4J's first use.
 */
public final class NativeBinary {

    /** JavaCPP's switch between classifier variants of one native library. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    /** The AVX-512 subsets libnd4j's avx512 build is compiled for (-mavx512f/cd/bw/dq/vl). */
    static final Set<String> AVX512_FLAGS = Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private NativeBinary() {
    }

    /**
     * Sets the JavaCPP extension for {@code choice} (auto, onednn-avx512, onednn-avx2) unless the user
     * already set the property. Returns the extension in effect.
     */
    public static String select(String choice) {
        String preset = System.getProperty(EXTENSION_PROPERTY);
        if (preset != null && !preset.isEmpty()) {
            return preset;
        }
        String extension = switch (choice) {
            case "auto" -> hasAvx512(cpuFlags()) ? "-onednn-avx512" : "-onednn-avx2";
            case "onednn-avx512" -> "-onednn-avx512";
            case "onednn-avx2" -> "-onednn-avx2";
            default -> throw new IllegalArgumentException("backend.native-binary: unknown binary " + choice);
        };
        System.setProperty(EXTENSION_PROPERTY, extension);
        return extension;
    }

    static boolean hasAvx512(Set<String> flags) {
        return flags.containsAll(AVX512_FLAGS);
    }

    /** CPU feature flags of this machine (Linux /proc/cpuinfo); empty elsewhere, which selects AVX2. */
    static Set<String> cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return new HashSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or unreadable: fall through to the safe choice.
        }
        return Set.of();
    }
}
