package org.vitspark.rng;

import java.util.SplittableRandom;

/**
 * Derived randomness: a generator is a pure function of its coordinates (seed, epoch, step, partition,
 * purpose, ...), never shared global state, so a retry, a resume or SAM's second pass sees the same bits.
 */
public final class Rng {

    private Rng() {
    }

    /** A generator for the given coordinates; equal coordinates give equal streams. */
    public static SplittableRandom of(long... coordinates) {
        return new SplittableRandom(mix(coordinates));
    }

    /** Folds coordinates into one seed with SplitMix64's finaliser (Steele et al. 2014). */
    public static long mix(long... coordinates) {
        long h = 0x9E3779B97F4A7C15L;
        for (long c : coordinates) {
            h = finalise(h ^ finalise(c + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
