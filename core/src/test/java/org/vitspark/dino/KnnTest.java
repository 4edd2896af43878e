package org.vitspark.dino;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The weighted k-NN vote on hand-made features. */
public class KnnTest {

    @Test
    void weightedVoteOfTheNearest() {
        // bank: two class-0 images along x, one class-1 image along y, one class-2 along -x
        var bank = Nd4j.create(new double[][] {{1, 0}, {2, 0.1}, {0, 1}, {-1, 0}});
        int[] bankLabels = {0, 0, 1, 2};
        // test 0 near x → 0; test 1 at 45°: k = 3 neighbours are x, x', y; class 0 has two weights, 1 has one
        // weight at the same cosine: class 0 wins; test 2 along y → 1
        var test = Nd4j.create(new double[][] {{3, 0.2}, {1, 1}, {0.1, 5}});
        Knn.Result r = Knn.classify(bank.castTo(DataType.FLOAT), bankLabels, test.castTo(DataType.FLOAT),
                new int[] {0, 1, 1}, 3, 3, 0.07);
        // test 1 is labelled 1 but predicted 0: top-1 2 of 3, top-5 (3 classes) all
        assertEquals(2.0 / 3, r.top1(), 1e-12);
        assertEquals(1.0, r.top5(), 1e-12);
    }

    @Test
    void temperatureWeightsTheCloserNeighbourMore() {
        var bank = Nd4j.create(new double[][] {{1, 0}, {1, 0.05}, {0.9, 0.45}});
        int[] labels = {0, 0, 1};
        var test = Nd4j.create(new double[][] {{0.95, 0.4}});
        // k = 3: two class-0 neighbours (cos ≈ 0.92) against one class-1 neighbour (cos ≈ 1.0); at T = 0.01
        // the closer one outweighs both, at T = 10 the count wins
        assertEquals(1.0, Knn.classify(bank, labels, test, new int[] {1}, 2, 3, 0.01).top1(), 0);
        assertEquals(0.0, Knn.classify(bank, labels, test, new int[] {1}, 2, 3, 10).top1(), 0);
    }
}
