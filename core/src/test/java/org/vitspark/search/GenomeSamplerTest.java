package org.vitspark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vitspark.model.ModelSize;
import org.vitspark.model.ModelSpec;
import org.vitspark.rng.Rng;

/** The step's genome is a function of (seed, step); calibration brings the mean MACs into the band. */
class GenomeSamplerTest {

    private final SearchSpace s = Spaces.fashion();

    @Test
    void everyWorkerDerivesTheSameGenomeForAStep() {
        GenomeSampler a = new GenomeSampler(s, 0.3);
        GenomeSampler b = new GenomeSampler(s, 0.3);
        for (long step = 0; step < 100; step++) {
            assertEquals(a.atStep(42, step), b.atStep(42, step));
        }
        assertNotEquals(a.atStep(42, 5), a.atStep(42, 6));
        assertNotEquals(a.atStep(42, 5), a.atStep(43, 5));
    }

    @Test
    void calibrationPutsTheMeanMacsInsideTheBand() {
        // the experiment's band: 0.8-1.0 × the hand-made baseline (patch 4, dim 96, depth 4, 4 heads, MLP 192)
        ModelSpec baseline = s.base().toBuilder().patch(4).dim(96).depth(4).heads(4).mlpDim(192).build();
        long max = ModelSize.macs(baseline);
        long min = (long) (0.8 * max);
        for (double[] band : new double[][] {{0.8, 1.0}, {0.3, 0.4}, {1.4, 1.6}}) {
            long lo = (long) (band[0] * max);
            long hi = (long) (band[1] * max);
            GenomeSampler c = new GenomeSampler(s, 0.5).calibrated(7, lo, hi);
            double mean = c.meanMacs(Rng.of(99), GenomeSampler.CALIBRATION_SAMPLES);
            System.out.printf("band %.1f-%.1f: identity probability %.2f, mean MACs %.0f in [%d, %d]%n", band[0],
                    band[1], c.identityProb(), mean, lo, hi);
            // a fresh 1,000-sample mean of the calibrated sampler lies within 5% of the band
            assertTrue(mean >= 0.95 * lo && mean <= 1.05 * hi, "mean " + mean);
            if (band[0] < 0.5) {
                assertTrue(c.identityProb() > 0.5, "a smaller band needs more identities");
            } else if (band[0] > 1.2) {
                assertTrue(c.identityProb() < 0.5, "a larger band needs fewer identities");
            }
        }
        Genome g = new GenomeSampler(s, 0.5).sampleInBand(Rng.of(1), min, max);
        long macs = GenomeSize.macs(s, g);
        assertTrue(macs >= min && macs <= max);
        assertThrows(IllegalArgumentException.class, () -> new GenomeSampler(s, 0.5).calibrated(7, 1, 2));
    }
}
