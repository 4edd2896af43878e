package org.vitspark.data.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vitspark.rng.Rng;
import org.vitspark.rng.Purpose;

/**
 * Assigns images to shards so that every shard is a class-balanced random mix: each class's images are
 * shuffled and dealt round-robin to the shards, the deal continuing from one class to the next, and the
 * result is shuffled. The assignment depends only on the set of inputs and the seed, so a re-run over the
 * same input writes the same shards.
 */
public final class ShardPlan {

    private ShardPlan() {
    }

    /** Shards for {@code totalBytes} of input at about {@code targetBytes} each, at least 1, at most {@code images}. */
    public static int shardCount(long totalBytes, long targetBytes, long images) {
        long n = Math.max(1, (totalBytes + targetBytes - 1) / targetBytes);
        return (int) Math.max(1, Math.min(n, Math.max(1, images)));
    }

    /** Each image with its shard, in a seeded random order. */
    public static List<Assigned> assign(List<SourceImage> images, int shards, long seed) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        List<SourceImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparing(SourceImage::key));
        Map<String, List<SourceImage>> byClass = new LinkedHashMap<>();
        for (SourceImage s : sorted) {
            byClass.computeIfAbsent(s.className(), c -> new ArrayList<>()).add(s);
        }
        SplittableRandom r = Rng.of(seed, Purpose.SHARD_PLAN.code);
        List<Assigned> out = new ArrayList<>(sorted.size());
        // One round-robin through the classes' shuffled members, continuing from class to class: every
        // shard gets ⌊n/shards⌋ or ⌈n/shards⌉ of each class and of the total.
        int next = r.nextInt(shards);
        for (List<SourceImage> members : new java.util.TreeMap<>(byClass).values()) {
            Collections.shuffle(members, new java.util.Random(r.nextLong()));
            for (SourceImage m : members) {
                out.add(new Assigned(m, next));
                next = (next + 1) % shards;
            }
        }
        Collections.shuffle(out, new java.util.Random(r.nextLong())); // rows of a shard in random class order
        return out;
    }

    /** An image and its shard. */
    public record Assigned(SourceImage image, int shard) implements java.io.Serializable {
    }
}
