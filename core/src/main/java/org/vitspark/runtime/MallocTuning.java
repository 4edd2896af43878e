package org.vitspark.runtime;

/**
 * Whether glibc's allocator keeps the native memory ND4J frees. Every training step allocates fresh
 * off-heap buffers of 0.1–10 MB and frees them when the collector finds them unreachable. With glibc's
 * defaults a freed buffer above the (dynamic) mmap threshold is unmapped and the arenas' free tops are
 * trimmed, so the next allocation page-faults zeroed pages from the kernel: DINO pretraining of the
 * issue-16 model spent 30–48% of its CPU time in the kernel (126k–286k page faults/s), 2% once the
 * thresholds were fixed (docs/benchmarks.md, docs/decisions.md D35). The launchers set
 * {@code GLIBC_TUNABLES}; a worker started without it says so in its preflight line.
 */
public final class MallocTuning {

    /** What deploy/lib.sh sets; the templates in deploy/ and the pom carry the same value (checked by a test). */
    public static final String RECOMMENDED =
            "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=4294967296:glibc.malloc.arena_max=4";

    private MallocTuning() {
    }

    /**
     * A one-line warning when {@code tunables} (the value of GLIBC_TUNABLES, null when unset) leaves
     * either threshold to glibc, else null. Both are needed: a fixed trim threshold alone also freezes the
     * mmap threshold at 128 KB, so every buffer is mapped and unmapped (measured: more faults, not fewer).
     */
    public static String warning(String tunables) {
        String t = tunables == null ? "" : tunables;
        if (t.contains("glibc.malloc.mmap_threshold=") && t.contains("glibc.malloc.trim_threshold=")) {
            return null;
        }
        return "GLIBC_TUNABLES does not fix glibc.malloc.mmap_threshold and trim_threshold: ND4J's freed buffers"
                + " go back to the kernel and return as page faults (docs/decisions.md D35); set GLIBC_TUNABLES="
                + RECOMMENDED + " as deploy/ does";
    }
}
