package org.vitspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static Pixels ramp(int c, int h, int w) {
        float[] v = new float[c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 256;
        }
        return new Pixels(c, h, w, v);
    }

    @Test
    void everyStepParsesAndTheOutputHasTheSize() {
        Pipeline p = Pipeline.parse("rrc(0.05,1) flip randaugment(2,9) normalize(half)");
        Pixels out = p.apply(ramp(3, 30, 40), 16, new SplittableRandom(1));
        assertEquals(16, out.height());
        assertEquals(16, out.width());
        for (float x : out.data()) {
            assertTrue(x >= -1 && x <= 1, "half normalisation maps 0..255 to -1..1: " + x);
        }
        Pixels eval = Pipeline.parse("resize(1.143) center-crop").apply(ramp(3, 30, 40), 16, new SplittableRandom(1));
        assertEquals(16, eval.height());
        assertArrayEquals(eval.data(), Pipeline.parse("resize(1.143) center-crop")
                .apply(ramp(3, 30, 40), 16, new SplittableRandom(99)).data(), "eval is deterministic");
        Pixels small = Pipeline.parse("pad-crop(4) flip normalize(unit)").apply(ramp(1, 28, 28), 28,
                new SplittableRandom(2));
        assertEquals(1, small.channels());
        assertEquals(28 * 28, small.data().length);
    }

    @Test
    void sameGeneratorSameBytes() {
        Pipeline p = Pipeline.parse("rrc(0.08,1) flip randaugment(2,9) normalize(imagenet)");
        Pixels img = ramp(3, 50, 37);
        assertArrayEquals(p.apply(img, 24, new SplittableRandom(7)).data(),
                p.apply(img, 24, new SplittableRandom(7)).data());
    }

    @Test
    void badSpecsNameTheStep() {
        assertMessage("rrc(0.05)", "takes 2");
        assertMessage("rrc(0.5,0.1)", "out of range");
        assertMessage("flip blur", "unknown step 'blur'");
        assertMessage("normalize(cifar)", "imagenet, half or unit");
        assertMessage("normalize(half) flip", "last step");
        assertMessage("randaugment(2,x)", "'x' is not a number");
        assertMessage("  ", "empty");
    }

    private static void assertMessage(String spec, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipeline.parse(spec));
        assertTrue(e.getMessage().contains(part), spec + ": " + e.getMessage());
    }
}
