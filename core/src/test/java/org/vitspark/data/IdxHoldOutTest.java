package org.vitspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The held-out choice is a seeded partition: disjoint, complete, the requested size, the same for the same seed. */
class IdxHoldOutTest {

    @Test
    void aSeededPartitionOfTheTrainingImages() {
        int[][] a = IdxImages.holdOut(60_000, 5_000, 0);
        assertEquals(55_000, a[0].length);
        assertEquals(5_000, a[1].length);
        Set<Integer> all = new HashSet<>();
        for (int[] part : a) {
            for (int i : part) {
                assertFalse(!all.add(i), "index " + i + " in both parts");
            }
        }
        assertEquals(60_000, all.size());
        assertArrayEquals(a[1], IdxImages.holdOut(60_000, 5_000, 0)[1]);
        assertFalse(java.util.Arrays.equals(a[1], IdxImages.holdOut(60_000, 5_000, 1)[1]));
        // spread over the file, not its first rows
        assertEquals(0.5, java.util.Arrays.stream(a[1]).average().orElseThrow() / 60_000, 0.02);
        assertThrows(IllegalArgumentException.class, () -> IdxImages.holdOut(100, 100, 0));
    }
}
