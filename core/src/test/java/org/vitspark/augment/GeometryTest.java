package org.vitspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vitspark.rng.Rng;

class GeometryTest {

    static Pixels ramp(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = i % w; // value = column index
        }
        return new Pixels(c, h, w, d);
    }

    @Test
    void randomResizedCropBoxesStayInRangeAndReplay() {
        for (int seed = 0; seed < 2000; seed++) {
            Geometry.Box b = Geometry.randomResizedCrop(375, 500, 0.05, 1.0, 3.0 / 4, 4.0 / 3, Rng.of(seed));
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= 375 && b.left() + b.width() <= 500,
                    "inside the image: " + b);
            double area = b.height() * b.width() / (375.0 * 500);
            double ratio = b.width() / b.height();
            assertTrue(area >= 0.05 * 0.97 && area <= 1.0, "area " + area);
            assertTrue(ratio >= 0.75 * 0.97 && ratio <= 4.0 / 3 * 1.03, "ratio " + ratio);
            assertEquals(b, Geometry.randomResizedCrop(375, 500, 0.05, 1.0, 3.0 / 4, 4.0 / 3, Rng.of(seed)),
                    "the same generator state gives the same box");
        }
    }

    @Test
    void impossibleCropsFallBackToTheClampedCentre() {
        // 500x33 (an ImageNet extreme): no box of the whole area has a ratio in [3/4, 4/3]
        Geometry.Box b = Geometry.randomResizedCrop(33, 500, 1.0, 1.0, 3.0 / 4, 4.0 / 3, new SplittableRandom(1));
        assertEquals(new Geometry.Box(0, (500 - 44) / 2.0, 33, 44), b);
    }

    @Test
    void resampleIsExactForTheIdentityAndLinearOnARamp() {
        Pixels img = ramp(3, 6, 8);
        assertArrayEquals(img.data(), Geometry.resample(img, new Geometry.Box(0, 0, 6, 8), 6, 8).data());
        // 8 -> 4 columns: output x samples source x = 2x + 0.5, between columns 2x and 2x+1
        Pixels half = Geometry.resample(img, new Geometry.Box(0, 0, 6, 8), 3, 4);
        for (int x = 0; x < 4; x++) {
            assertEquals(2 * x + 0.5f, half.get(1, 2, x), 1e-6f);
        }
        // a centre crop of columns 2..5 at the same scale is those columns exactly
        Pixels crop = Geometry.resample(img, Geometry.center(6, 8, 6, 4), 6, 4);
        assertEquals(2f, crop.get(0, 0, 0), 0f);
        assertEquals(5f, crop.get(2, 5, 3), 0f);
    }

    @Test
    void flipMirrorsRowsAndTwiceIsIdentity() {
        Pixels img = ramp(2, 3, 5);
        Pixels once = Geometry.flip(img, 1.0, new SplittableRandom(0));
        assertEquals(4f, once.get(1, 2, 0), 0f);
        assertEquals(0f, once.get(1, 2, 4), 0f);
        assertArrayEquals(img.data(), Geometry.flip(once, 1.0, new SplittableRandom(0)).data());
        assertArrayEquals(img.data(), Geometry.flip(img, 0.0, new SplittableRandom(0)).data(), "p = 0 never flips");
    }

    @Test
    void normalisationMatchesHandValues() {
        Pixels p = new Pixels(3, 1, 2, new float[] {0, 255, 0, 255, 0, 255});
        assertArrayEquals(new float[] {-1, 1, -1, 1, -1, 1}, Normalize.apply(p, Normalize.HALF, Normalize.HALF).data(),
                1e-6f);
        float red = Normalize.apply(p, Normalize.IMAGENET_MEAN, Normalize.IMAGENET_STD).data()[1];
        assertEquals((1 - 0.485f) / 0.229f, red, 1e-5f);
    }

    @Test
    void padCropShiftsContentAndFillsWithZeros() {
        Pixels img = ramp(1, 5, 5);
        assertArrayEquals(img.data(), Geometry.padCrop(img, 0, new SplittableRandom(1)).data());
        Pixels plusOne = new Pixels(1, 5, 5, addOne(img.data())); // values 1..5, so 0 can only be padding
        boolean shifted = false;
        for (int seed = 0; seed < 50; seed++) {
            Pixels out = Geometry.padCrop(plusOne, 2, new SplittableRandom(seed));
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 5; x++) {
                    float v = out.get(0, y, x);
                    // either padding (0) or a source column value + 1, shifted by at most 2 columns
                    assertTrue(v == 0 || Math.abs((v - 1) - x) <= 2, "seed " + seed + " at " + y + "," + x + ": " + v);
                    shifted |= v != 0 && v - 1 != x;
                }
            }
        }
        assertTrue(shifted, "some offsets move the content");
    }

    private static float[] addOne(float[] d) {
        float[] o = d.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] += 1;
        }
        return o;
    }

    @Test
    void multiCropGivesTwoGlobalAndNLocalViewsReproducibly() {
        Pixels img = ramp(3, 28, 28);
        MultiCrop.View global = new MultiCrop.View(0.4, 1.0, 28);
        MultiCrop.View local = new MultiCrop.View(0.05, 0.4, 12);
        java.util.List<Pixels> v = MultiCrop.views(img, global, 2, local, 6, new SplittableRandom(9));
        assertEquals(8, v.size());
        for (int i = 0; i < 8; i++) {
            int side = i < 2 ? 28 : 12;
            assertEquals(side, v.get(i).height());
            assertEquals(side, v.get(i).width());
            assertEquals(3, v.get(i).channels());
        }
        java.util.List<Pixels> again = MultiCrop.views(img, global, 2, local, 6, new SplittableRandom(9));
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(v.get(i).data(), again.get(i).data(), "view " + i + " replays from the same seed");
        }
    }
}
