package org.vitspark.data.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vitspark.rng.Rng;

/**
 * Assigns images to shards so that every shard is a class-balanced random mix: each class's images are
 * shuffled, the classes are interleaved (one image of each in turn, in proportion to their sizes), and the
 * interleaved sequence is dealt round-robin to the shards. The assignment depends only on the sorted
 * input and the seed, so a re-run over the same input writes the same shards.
 */
public final class ShardPlan {

    private ShardPlan() {
    }

    /** Shards for {@code totalBytes} of input at about {@code targetBytes} each, at least 1, at most {@code images}. */
    public static int shardCount(long totalBytes, long targetBytes, long images) {
        long n = Math.max(1, (totalBytes + targetBytes - 1) / targetBytes);
        return (int) Math.max(1, Math.min(n, Math.max(1, images)));
    }

    /** The shard index of each image, in the order of {@code images} after sorting them by key. */
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
        SplittableRandom r = Rng.of(seed, 0x5A4D);
        List<List<SourceImage>> classes = new ArrayList<>();
        for (List<SourceImage> members : new java.util.TreeMap<>(byClass).values()) {
            Collections.shuffle(members, new java.util.Random(r.nextLong()));
            classes.add(members);
        }
        // Interleave by position fraction: image i of a class of size n sits at (i + 0.5) / n.
        List<double[]> order = new ArrayList<>(sorted.size());
        for (int c = 0; c < classes.size(); c++) {
            int n = classes.get(c).size();
            for (int i = 0; i < n; i++) {
                order.add(new double[] {(i + 0.5) / n, c, i});
            }
        }
        order.sort(Comparator.<double[]>comparingDouble(o -> o[0]).thenComparingDouble(o -> o[1]));
        List<Assigned> out = new ArrayList<>(order.size());
        for (int k = 0; k < order.size(); k++) {
            double[] o = order.get(k);
            out.add(new Assigned(classes.get((int) o[1]).get((int) o[2]), k % shards));
        }
        return out;
    }

    /** An image and its shard. */
    public record Assigned(SourceImage image, int shard) implements java.io.Serializable {
    }
}
