package org.vitspark.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixingTest {

    static Pixels constant(float v, int side) {
        float[] d = new float[3 * side * side];
        java.util.Arrays.fill(d, v);
        return new Pixels(3, side, side, d);
    }

    static float[][] oneHot(int... labels) {
        float[][] t = new float[labels.length][4];
        for (int i = 0; i < labels.length; i++) {
            t[i][labels[i]] = 1;
        }
        return t;
    }

    @Test
    void betaSamplesHaveTheRightMean() {
        SplittableRandom r = new SplittableRandom(3);
        for (double[] ab : new double[][] {{0.2, 0.2}, {1, 1}, {0.8, 2.0}}) {
            double sum = 0;
            int n = 40_000;
            for (int i = 0; i < n; i++) {
                double x = Mixing.beta(ab[0], ab[1], r);
                assertTrue(x >= 0 && x <= 1);
                sum += x;
            }
            assertEquals(ab[0] / (ab[0] + ab[1]), sum / n, 0.01, "Beta" + java.util.Arrays.toString(ab));
        }
    }

    @Test
    void mixupBlendsImagesAndTargetsWithTheSameWeight() {
        Pixels[] imgs = {constant(0, 4), constant(100, 4)};
        Mixing.Mixed m = Mixing.mixup(imgs, oneHot(0, 2), 1.0, new SplittableRandom(5));
        float lam = m.targets()[0][0];
        assertEquals(1 - lam, m.targets()[0][2], 1e-6f);
        assertEquals((1 - lam) * 100, m.images()[0].get(1, 2, 3), 1e-4f);
        assertEquals(lam * 100, m.images()[1].get(0, 0, 0), 1e-4f, "the partner of image 1 is image 0");
    }

    @Test
    void cutmixPastesWholePatchesAndWeighsLabelsByThePastedArea() {
        int side = 28;
        int patch = 4;
        for (int seed = 0; seed < 200; seed++) {
            Pixels[] imgs = {constant(1, side), constant(2, side), constant(3, side)};
            Mixing.Mixed m = Mixing.cutmix(imgs, oneHot(0, 1, 3), 1.0, patch, new SplittableRandom(seed));
            boolean[] mask = m.patchFromPartner()[0];
            int pasted = 0;
            for (int py = 0; py < side / patch; py++) {
                for (int px = 0; px < side / patch; px++) {
                    boolean fromPartner = mask[py * (side / patch) + px];
                    pasted += fromPartner ? 1 : 0;
                    // every pixel of the patch agrees with the mask: patch-aligned
                    for (int y = py * patch; y < (py + 1) * patch; y++) {
                        for (int x = px * patch; x < (px + 1) * patch; x++) {
                            assertEquals(fromPartner ? 3f : 1f, m.images()[0].get(2, y, x), "seed " + seed);
                        }
                    }
                }
            }
            float keep = 1f - pasted / 49f;
            assertEquals(keep, m.targets()[0][0], 1e-6f, "label weight = kept area");
            assertEquals(1 - keep, m.targets()[0][3], 1e-6f);
            for (float v : m.images()[1].data()) {
                assertEquals(2f, v, "the middle image of an odd batch is its own partner: unchanged");
            }
            assertEquals(1f, m.targets()[1][1], 1e-6f);
        }
    }
}
