package org.vitspark.runtime;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MallocTuningTest {

    @Test
    void bothThresholdsFixedIsQuietAnythingLessWarnsWithTheValueToSet() {
        assertNull(MallocTuning.warning(MallocTuning.RECOMMENDED));
        assertNull(MallocTuning.warning("glibc.malloc.trim_threshold=1:glibc.malloc.mmap_threshold=2"));
        for (String partial : new String[] {null, "", "glibc.malloc.arena_max=4",
                "glibc.malloc.trim_threshold=4294967296", "glibc.malloc.mmap_threshold=1073741824"}) {
            String w = MallocTuning.warning(partial);
            assertTrue(w != null && w.startsWith("GLIBC_TUNABLES does not fix") && w.contains(MallocTuning.RECOMMENDED),
                    partial + " -> " + w);
            assertTrue(!w.contains("\n"), "one line");
        }
    }
}
