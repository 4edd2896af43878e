package org.vitspark.model;

import java.util.SplittableRandom;
import org.vitspark.rng.Rng;

/**
 * One forward pass's settings: batch and token counts, whether dropout/drop path are active, the seed
 * their masks derive from (same seed → same masks, which SAM's second pass relies on), and whether to
 * keep what backward and the named intermediates need, including the patch tokens before the position
 * embedding (free with a class token, a copy without one).
 */
public record Pass(int batch, int tokens, boolean training, long dropSeed, boolean keep, boolean keepPatchTokens) {

    /** The generator for one site (block index, or -1 for the embedding), or null when not training. */
    public SplittableRandom random(int site) {
        return training ? Rng.of(dropSeed, site) : null;
    }

    /** timm's stochastic-depth rule: rates rise linearly from 0 (first block) to {@code rate} (last). */
    public static double dropPathRate(double rate, int block, int depth) {
        return depth <= 1 ? 0.0 : rate * block / (depth - 1);
    }
}
