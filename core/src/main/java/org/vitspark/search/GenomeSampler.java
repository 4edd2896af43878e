package org.vitspark.search;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.vitspark.rng.Purpose;
import org.vitspark.rng.Rng;

/**
 * Uniform genomes of a space with identity slots at probability {@code identityProb} (ViTAS's sampler:
 * patch, widths and head counts uniform; each slot identity with p_id), and p_id's calibration so that the
 * mean MACs of sampled genomes fall in the search's MACs band.
 */
public final class GenomeSampler implements Serializable {

    /** ViTAS calibrates p_id on this many sampled genomes, moving it by this step (trainer.py). */
    public static final int CALIBRATION_SAMPLES = 1000;
    static final double CALIBRATION_STEP = 0.01;

    private final SearchSpace space;
    private final double identityProb;

    public GenomeSampler(SearchSpace space, double identityProb) {
        if (!(identityProb >= 0 && identityProb < 1)) {
            throw new IllegalArgumentException("identity probability " + identityProb + " outside [0, 1)");
        }
        this.space = space;
        this.identityProb = identityProb;
    }

    public double identityProb() {
        return identityProb;
    }

    /** A genome drawn from {@code r} (redrawn while every slot is identity). */
    public Genome sample(SplittableRandom r) {
        int[] g = new int[space.geneCount()];
        while (true) {
            boolean block = false;
            g[0] = r.nextInt(space.bound(0) + 1);
            g[1] = r.nextInt(space.bound(1) + 1);
            for (int i = 0; i < space.slots(); i++) {
                boolean identity = r.nextDouble() < identityProb;
                g[2 + 3 * i] = identity ? space.identityOp() : r.nextInt(space.heads().size());
                g[3 + 3 * i] = r.nextInt(space.attnDims().size());
                g[4 + 3 * i] = r.nextInt(space.mlpDims().size());
                block |= !identity;
            }
            if (block) {
                return Genome.of(space, g);
            }
        }
    }

    /**
     * The supernet's genome at global step {@code step}: a function of (seed, step) alone, so every worker of
     * a round and SAM's second pass use the same architecture without anything being broadcast.
     */
    public Genome atStep(long seed, long step) {
        return sample(Rng.of(seed, Purpose.GENOME.code, step));
    }

    /** A genome whose MACs lie in [min, max], by rejection (the GA's initial population and random baselines). */
    public Genome sampleInBand(SplittableRandom r, long min, long max) {
        for (int tries = 0; tries < 1_000_000; tries++) {
            Genome g = sample(r);
            long macs = GenomeSize.macs(space, g);
            if (macs >= min && macs <= max) {
                return g;
            }
        }
        throw new IllegalStateException("no genome in the MACs band [" + min + ", " + max
                + "] in a million draws: widen search.band or change the space");
    }

    /** Mean MACs of {@code n} genomes drawn from {@code r}. */
    public double meanMacs(SplittableRandom r, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += GenomeSize.macs(space, sample(r));
        }
        return sum / n;
    }

    /**
     * ViTAS's p_id calibration (trainer.py): draw {@value #CALIBRATION_SAMPLES} genomes, raise p_id by 0.01
     * while their mean MACs are above the band and lower it while below, until the mean is inside. Returns the
     * calibrated sampler; fails, naming the band, when no p_id in [0, 0.99] brings the mean inside.
     */
    public GenomeSampler calibrated(long seed, long min, long max) {
        double p = identityProb;
        for (int round = 0; round < 200; round++) {
            double mean = new GenomeSampler(space, p).meanMacs(Rng.of(seed, Purpose.CALIBRATION.code, round),
                    CALIBRATION_SAMPLES);
            if (mean > max && p + CALIBRATION_STEP < 1) {
                p = Math.min(0.99, p + CALIBRATION_STEP);
            } else if (mean < min && p > 0) {
                p = Math.max(0, p - CALIBRATION_STEP);
            } else if (mean >= min && mean <= max) {
                return new GenomeSampler(space, Math.round(p * 100) / 100.0);
            } else {
                break;
            }
        }
        throw new IllegalArgumentException(String.format("search.band: no identity probability brings the mean "
                + "MACs of sampled genomes into [%,d, %,d]; widen the band or change the space", min, max));
    }
}
