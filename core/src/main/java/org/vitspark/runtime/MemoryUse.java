package org.vitspark.runtime;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * This JVM's memory in one line for progress output: the Java heap (used of committed) and the process's
 * resident set. ND4J's CPU arrays live outside the heap and are not counted by JavaCPP's off-heap tally
 * (measured: a new 1 GB array leaves {@code Pointer.totalBytes()} at 0), so the resident set is the figure
 * that shows them; it also holds memory the C allocator keeps after a free.
 */
public final class MemoryUse {

    private MemoryUse() {
    }

    public static String line() {
        Runtime rt = Runtime.getRuntime();
        long committed = rt.totalMemory();
        long used = committed - rt.freeMemory();
        return String.format(Locale.ROOT, "heap %.1f of %.1f GB, resident %.1f GB", gb(used), gb(committed),
                gb(Pointer.physicalBytes()));
    }

    private static double gb(long bytes) {
        return bytes / (1024.0 * 1024 * 1024);
    }
}
