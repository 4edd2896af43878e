package org.vitspark.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.Intermediates;
import org.vitspark.model.ModelSpec;

class ActivityStatsTest {

    // 1 image, 2x2 patches + class token = 5 tokens, width 2, 2 blocks, MLP width 3
    private static final ModelSpec SPEC = new ModelSpec("s", ModelSpec.Family.VIT, 4, 1, 2, 2, 2, 2, 1, 3, 0,
            ModelSpec.Pooling.CLS, 0, 0, true);

    private static Intermediates batch(double[][] hidden0, double[][] hidden1, double[][] tokens) {
        INDArray t = Nd4j.create(new double[][][] {tokens});
        INDArray att = Nd4j.ones(1, 1, 5, 5).divi(5);
        return new Intermediates(null, t, List.of(t, t), List.of(att, att), List.of(Nd4j.create(hidden0), Nd4j.create(hidden1)),
                List.of(), t, t.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0)),
                Nd4j.create(new double[][] {{0.1, 0.9}}));
    }

    @Test
    void countsActiveUnitsPerBlockAndAveragesSmoothingOverImages() {
        double[][] tokens = {{5, 5}, {1, 0}, {2, 0}, {0, 3}, {0, 1}}; // patches: pairs |cos| 1,0,0,0,0,1 → 1/3
        double[][] h0 = {{0.5, -0.1, 0}, {1, 2, 3}, {-1, -2, -3}, {0.1, 0, 0}, {0, 0, 0}}; // 5 of 15 > 0
        double[][] h1 = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, -1e-3}}; // 14 of 15
        ActivityStats a = new ActivityStats(2, false);
        a.add(SPEC, batch(h0, h1, tokens), Nd4j.zeros(1, 1, 4, 4), new int[] {1}, 1);
        ActivityStats b = new ActivityStats(2, false);
        b.add(SPEC, batch(h1, h1, tokens), Nd4j.zeros(1, 1, 4, 4), new int[] {0}, 1);
        a.plus(b, 1);
        assertEquals(2, a.images());
        assertArrayEquals(new double[] {(5 + 14) / 30.0, 28 / 30.0}, a.activeRatio(), 1e-12);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0}, a.overSmoothing(), 1e-12);
        assertEquals(1, a.maps().size(), "maps are capped");
        assertEquals(1, a.maps().get(0).label());
        assertEquals(1, a.maps().get(0).predicted());
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f, 0.2f}, a.maps().get(0).lastLayer(), 1e-6f);
    }
}
