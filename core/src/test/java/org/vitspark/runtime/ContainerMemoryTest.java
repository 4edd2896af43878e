package org.vitspark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ContainerMemoryTest {

    @Test
    void readsCgroupV2ThenV1() {
        assertEquals(OptionalLong.of(17L << 30), ContainerMemory.parse(String.valueOf(17L << 30), null));
        assertEquals(OptionalLong.empty(), ContainerMemory.parse("max", "1024"));
        assertEquals(OptionalLong.of(1024), ContainerMemory.parse(null, "1024"));
        // v1's "no limit" (this machine's value)
        assertEquals(OptionalLong.empty(), ContainerMemory.parse(null, "9223372036854771712"));
        assertEquals(OptionalLong.empty(), ContainerMemory.parse(null, null));
    }

    @Test
    void warnsWhenTheResidentSetLimitIsNotBelowTheContainer() {
        OptionalLong c = OptionalLong.of(17L << 30);
        assertNull(ContainerMemory.warning(15L << 30, c));
        assertNull(ContainerMemory.warning(32L << 30, OptionalLong.empty()));
        String w = ContainerMemory.warning(32L << 30, c);
        assertTrue(w.contains("maxphysicalbytes, 32,768 MB") && w.contains("17,408 MB"), w);
        assertTrue(ContainerMemory.warning(0, c).contains("none"));
    }
}
