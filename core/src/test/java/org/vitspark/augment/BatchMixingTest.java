package org.vitspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The packed targets the patch-mixing loss reads, from the batch-mixing step the reader and local trainer share. */
class BatchMixingTest {

    private static Pixels image(float value) {
        float[] d = new float[28 * 28];
        java.util.Arrays.fill(d, value);
        return new Pixels(1, 28, 28, d);
    }

    @Test
    void packedTargetsGiveEachPatchTheLabelOfTheImageItCameFrom() {
        float[][] oneHot = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        for (int seed = 0; seed < 50; seed++) {
            Pixels[] images = {image(0), image(1), image(2), image(3)};
            BatchMixing.Batch b = BatchMixing.apply(images, oneHot, 0, 1.0, 1, 4, true, new SplittableRandom(seed));
            assertEquals(3 * 3 + 49, b.labels()[0].length, "mixed | own | partner | mask");
            INDArray labels = Nd4j.createFromArray(b.labels());
            INDArray perPatch = MixedTargets.patchTargets(labels, 3, 49);
            for (int i = 0; i < 4; i++) {
                int pasted = 0;
                for (int p = 0; p < 49; p++) {
                    boolean fromPartner = b.patchFromPartner()[i][p];
                    pasted += fromPartner ? 1 : 0;
                    assertArrayEquals(oneHot[fromPartner ? 3 - i : i], perPatch.getRow(i * 49L + p).toFloatVector(),
                            "seed " + seed + " image " + i + " patch " + p);
                }
                // the class target weighs the partner by exactly the pasted patches (images 1 and 2 have different
                // labels; 0 and 3 share one)
                if (i == 1 || i == 2) {
                    assertEquals(pasted / 49f, b.labels()[i][argMax(oneHot[3 - i])], 1e-6f, "seed " + seed);
                    assertEquals(1 - pasted / 49f, b.labels()[i][argMax(oneHot[i])], 1e-6f, "seed " + seed);
                }
            }
        }
    }

    @Test
    void withoutCutMixEveryPatchTakesTheImagesTarget() {
        float[][] oneHot = {{1, 0}, {0, 1}};
        BatchMixing.Batch b = BatchMixing.apply(new Pixels[] {image(0), image(1)}, oneHot, 0, 0, 1, 4, true, null);
        INDArray perPatch = MixedTargets.patchTargets(Nd4j.createFromArray(b.labels()), 2, 49);
        for (int p = 0; p < 98; p++) {
            assertArrayEquals(oneHot[p / 49], perPatch.getRow(p).toFloatVector());
        }
        assertArrayEquals(oneHot, BatchMixing.apply(new Pixels[] {image(0), image(1)}, oneHot, 0, 0, 1, 4, false, null)
                .labels(), "unpacked without the mixing loss");
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    /** augment.mix-prob: about that share of batches is mixed, the rest keep their one-hot labels. */
    @org.junit.jupiter.api.Test
    void mixProbabilityMixesAboutThatShareOfBatches() {
        float[][] oneHot = {{1, 0}, {0, 1}};
        int mixedBatches = 0;
        for (int seed = 0; seed < 400; seed++) {
            BatchMixing.Batch b = BatchMixing.apply(new Pixels[] {image(0), image(1)}, oneHot, 1.0, 1.0, 0.5, 4, false,
                    new SplittableRandom(seed));
            mixedBatches += java.util.Arrays.deepEquals(b.labels(), oneHot) ? 0 : 1;
        }
        org.junit.jupiter.api.Assertions.assertTrue(mixedBatches > 160 && mixedBatches < 240, "mixed " + mixedBatches);
    }
}
