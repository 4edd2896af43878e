package org.vitspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RandAugment's operations against hand-computed values (PIL's definitions). */
class RandAugmentTest {

    private static Pixels gray(int h, int w, float... v) {
        return new Pixels(1, h, w, v);
    }

    @Test
    void pointOpsMatchHandValues() {
        Pixels p = gray(1, 4, 10, 100, 200, 250);
        assertArrayEquals(new float[] {10, 100, 55, 5}, RandAugment.solarize(p, 128).data());
        assertArrayEquals(new float[] {0, 96, 192, 240}, RandAugment.posterize(p, 4).data(), "top 4 bits");
        assertArrayEquals(new float[] {0, 95.625f, 201.875f, 255}, RandAugment.autoContrast(p).data(), 1e-3f);
        // brightness factor 0.5 against black; contrast 2 against the mean luma round(140) = 140
        assertArrayEquals(new float[] {5, 50, 100, 125},
                RandAugment.blend(RandAugment.constant(p, 0), p, 0.5).data());
        assertArrayEquals(new float[] {0, 60, 255, 255},
                RandAugment.blend(RandAugment.meanGray(p), p, 2).data(), "clamped to 0..255");
    }

    @Test
    void equalizeFollowsPilsLookupTable() {
        // histogram: 0 x2, 50 x1, 200 x1 -> step = (4 - 1) / 255 = 0: unchanged (PIL returns the image)
        Pixels few = gray(1, 4, 0, 0, 50, 200);
        assertArrayEquals(few.data(), RandAugment.equalize(few).data());
        // 1020 pixels: 255 at level 10, 255 at 20, 510 at 30: step = (1020 - 510) / 255 = 2
        float[] v = new float[1020];
        for (int i = 0; i < 1020; i++) {
            v[i] = i < 255 ? 10 : i < 510 ? 20 : 30;
        }
        Pixels e = RandAugment.equalize(gray(1, 1020, v));
        // lut[10] = (1)/2 = 0, lut[20] = (1 + 255)/2 = 128, lut[30] = (1 + 510)/2 = 255
        assertEquals(0f, e.data()[0]);
        assertEquals(128f, e.data()[300]);
        assertEquals(255f, e.data()[600]);
    }

    @Test
    void geometricOpsAtZeroMagnitudeAreIdentityAndTranslateShifts() {
        float[] v = new float[25];
        for (int i = 0; i < 25; i++) {
            v[i] = i * 10;
        }
        Pixels p = gray(5, 5, v);
        for (String op : new String[] {"rotate", "shear-x", "shear-y", "translate-x", "translate-y"}) {
            assertArrayEquals(v, RandAugment.op(op, p, 0, new SplittableRandom(1)).data(), 1e-4f, op);
        }
        // translate-x by exactly +1 pixel: output (x, y) samples input (x + 1, y); the last column is fill
        Pixels t = Geometry.affine(p, 1, 0, 1, 0, 1, 0, 128f);
        assertEquals(p.get(0, 2, 3), t.get(0, 2, 2));
        assertEquals(128f, t.get(0, 2, 4));
        // rotate by 90 degrees maps the top row onto a side column
        Pixels r = RandAugment.rotate(p, 90);
        for (int i = 0; i < 5; i++) {
            assertEquals(p.get(0, 0, i), r.get(0, 4 - i, 0), 1e-3f, "PIL: positive angles turn counter-clockwise");
        }
    }

    @Test
    void applyIsAPureFunctionOfItsGeneratorAndStaysInRange() {
        float[] v = new float[3 * 16 * 16];
        SplittableRandom fill = new SplittableRandom(3);
        for (int i = 0; i < v.length; i++) {
            v[i] = fill.nextInt(256);
        }
        Pixels p = new Pixels(3, 16, 16, v);
        for (int seed = 0; seed < 40; seed++) {
            Pixels a = RandAugment.apply(p, 2, 9, new SplittableRandom(seed));
            Pixels b = RandAugment.apply(p, 2, 9, new SplittableRandom(seed));
            assertArrayEquals(a.data(), b.data());
            for (float x : a.data()) {
                assertTrue(x >= 0 && x <= 255, "value " + x);
            }
        }
    }
}
