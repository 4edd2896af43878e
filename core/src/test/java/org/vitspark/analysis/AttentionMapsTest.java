package org.vitspark.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AttentionMapsTest {

    // one image, two heads, three tokens (class token + 2 patches); rows sum to 1
    private static final double[][] HEAD_A = {{0.2, 0.6, 0.2}, {0.5, 0.25, 0.25}, {0.1, 0.1, 0.8}};
    private static final double[][] HEAD_B = {{0.4, 0.2, 0.4}, {0.3, 0.35, 0.35}, {0.3, 0.3, 0.4}};

    @Test
    void lastLayerIsTheHeadMeanOfTheClassTokenRow() {
        INDArray att = Nd4j.create(new double[][][][] {{HEAD_A, HEAD_B}});
        assertArrayEquals(new double[] {0.4, 0.3}, AttentionMaps.lastLayer(att, true).toDoubleVector(), 1e-12);
        // GAP: the mean over all query rows (here every token is a query)
        assertArrayEquals(new double[] {0.3, 0.3, 0.4}, AttentionMaps.lastLayer(att, false).toDoubleVector(), 1e-12);
    }

    @Test
    void rolloutMultipliesResidualAugmentedLayersFromTheFirstUp() {
        INDArray l1 = Nd4j.create(new double[][][][] {{HEAD_A, HEAD_B}});
        INDArray l2 = Nd4j.create(new double[][][][] {{HEAD_B, HEAD_B}});
        // by hand: Â = ½·mean_h A + ½I; mean(A,B) = [[.3,.4,.3],[.4,.3,.3],[.2,.2,.6]]
        double[][] a1 = {{0.65, 0.2, 0.15}, {0.2, 0.65, 0.15}, {0.1, 0.1, 0.8}};
        double[][] a2 = {{0.7, 0.1, 0.2}, {0.15, 0.675, 0.175}, {0.15, 0.15, 0.7}};
        // R = Â2 Â1, class-token row = row 0 of Â2 times Â1
        double[] row = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++) {
                row[j] += a2[0][k] * a1[k][j];
            }
        }
        assertArrayEquals(new double[] {row[1], row[2]},
                AttentionMaps.rollout(List.of(l1, l2), true).toDoubleVector(), 1e-12);
        // a single identity-like layer (all attention on itself) rolls out to the identity: class token sees no patch
        INDArray self = Nd4j.create(new double[][][][] {{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}});
        assertArrayEquals(new double[] {0, 0}, AttentionMaps.rollout(List.of(self, self), true).toDoubleVector(), 1e-12);
    }
}
