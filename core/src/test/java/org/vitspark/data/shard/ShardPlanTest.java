package org.vitspark.data.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardPlanTest {

    static List<SourceImage> images(int[] perClass) {
        List<SourceImage> out = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                String cls = String.format("n%08d", c);
                out.add(new SourceImage("/in/" + cls + "/" + i + ".JPEG", cls + "/" + i + ".JPEG", cls));
            }
        }
        return out;
    }

    @Test
    void everyShardHoldsEachClassInProportion() {
        int[] perClass = {300, 150, 60, 90};
        int shards = 6;
        List<ShardPlan.Assigned> plan = ShardPlan.assign(images(perClass), shards, 7);
        assertEquals(600, plan.size());
        int[][] counts = new int[shards][perClass.length];
        for (ShardPlan.Assigned a : plan) {
            counts[a.shard()][Integer.parseInt(a.image().className().substring(1))]++;
        }
        for (int s = 0; s < shards; s++) {
            for (int c = 0; c < perClass.length; c++) {
                double expected = perClass[c] / (double) shards;
                assertTrue(Math.abs(counts[s][c] - expected) <= 1.0,
                        "shard " + s + " class " + c + ": " + counts[s][c] + " vs " + expected);
            }
        }
    }

    @Test
    void theSameInputAndSeedGiveTheSameShardsWhateverTheListingOrder() {
        List<SourceImage> in = images(new int[] {40, 25});
        List<SourceImage> reversed = new ArrayList<>(in);
        java.util.Collections.reverse(reversed);
        assertEquals(ShardPlan.assign(in, 3, 1), ShardPlan.assign(reversed, 3, 1));
        assertNotEquals(ShardPlan.assign(in, 3, 1), ShardPlan.assign(in, 3, 2), "the seed shuffles");
        Set<String> keys = new HashSet<>();
        ShardPlan.assign(in, 3, 1).forEach(a -> keys.add(a.image().key()));
        assertEquals(65, keys.size(), "every image exactly once");
    }

    @Test
    void shardCountFollowsTheTargetSize() {
        assertEquals(1024, ShardPlan.shardCount(1024L * 128 << 20, 128L << 20, 1_281_167));
        assertEquals(1, ShardPlan.shardCount(10, 128L << 20, 5));
        assertEquals(3, ShardPlan.shardCount(1000, 1, 3), "never more shards than images");
    }
}
