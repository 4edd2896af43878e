package org.vitspark.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The memory limit of the container this JVM runs in (its cgroup: YARN, Kubernetes and Docker all set
 * one), so that a worker can tell before training whether JavaCPP's resident-set limit, the only thing
 * that makes the collector free ND4J's CPU arrays, lies above it (then the container is killed first).
 */
public final class ContainerMemory {

    /** cgroup v1 reports "no limit" as a page-rounded Long.MAX_VALUE; anything this large is no limit. */
    private static final long UNLIMITED_V1 = 1L << 62;

    private ContainerMemory() {
    }

    /** The limit in bytes, or empty when there is none or no cgroup file to read. */
    public static OptionalLong limit() {
        return parse(read(Path.of("/sys/fs/cgroup/memory.max")),
                read(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")));
    }

    /** @param v2 cgroup v2 memory.max ("max" or bytes) or null; @param v1 memory.limit_in_bytes or null */
    static OptionalLong parse(String v2, String v1) {
        if (v2 != null) {
            return v2.equals("max") ? OptionalLong.empty() : number(v2);
        }
        if (v1 != null) {
            OptionalLong n = number(v1);
            return n.isPresent() && n.getAsLong() >= UNLIMITED_V1 ? OptionalLong.empty() : n;
        }
        return OptionalLong.empty();
    }

    private static OptionalLong number(String s) {
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * A warning when the resident-set limit {@code physicalLimit} (0 = none) is not below the container's
     * {@code container} bytes, else null.
     */
    public static String warning(long physicalLimit, OptionalLong container) {
        if (container.isEmpty() || (physicalLimit > 0 && physicalLimit < container.getAsLong())) {
            return null;
        }
        return String.format("WARNING: the resident-set limit (-Dorg.bytedeco.javacpp.maxphysicalbytes, %s) is not"
                        + " below the container's memory limit (%,d MB): ND4J's arrays are freed only when the"
                        + " resident set passes it, so the container would be killed first; set it ~2g below",
                physicalLimit > 0 ? String.format("%,d MB", physicalLimit >> 20) : "none",
                container.getAsLong() >> 20);
    }
}
