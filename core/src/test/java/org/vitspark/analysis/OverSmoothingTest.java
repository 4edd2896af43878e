package org.vitspark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OverSmoothingTest {

    @Test
    void identicalTokensGiveOneAndOrthogonalTokensZero() {
        INDArray same = Nd4j.create(new double[][][] {{{1, 2, 3}, {1, 2, 3}, {1, 2, 3}, {2, 4, 6}}});
        assertEquals(1.0, OverSmoothing.sum(same, 0), 1e-12);
        INDArray orthogonal = Nd4j.create(new double[][][] {{{3, 0, 0}, {0, -2, 0}, {0, 0, 5}}});
        assertEquals(0.0, OverSmoothing.sum(orthogonal, 0), 1e-12);
        // opposite directions count as similar: the metric takes |cos|
        INDArray opposite = Nd4j.create(new double[][][] {{{1, 1}, {-2, -2}}});
        assertEquals(1.0, OverSmoothing.sum(opposite, 0), 1e-12);
    }

    @Test
    void handComputedMixtureSkipsTheClassTokenAndSumsOverImages() {
        // patch tokens (1,0), (1,1), (0,1): |cos| pairs 1/√2, 0, 1/√2 → mean over the 6 ordered pairs = √2/3
        INDArray tokens = Nd4j.create(new double[][][] {
            {{9, 9}, {1, 0}, {1, 1}, {0, 1}},
            {{-1, 5}, {0, 2}, {0, 3}, {0, -1}}}); // second image: all parallel → 1
        assertEquals(Math.sqrt(2) / 3 + 1.0, OverSmoothing.sum(tokens, 1), 1e-12);
        assertEquals(Math.sqrt(2) / 3, OverSmoothing.sum(tokens.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), 1), 1e-12);
        assertEquals(DataType.DOUBLE, tokens.dataType());
    }
}
