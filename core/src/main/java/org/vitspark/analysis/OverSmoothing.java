package org.vitspark.analysis;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The over-smoothing metric of Gong et al. 2021 ("Vision Transformers with Patch Diversification"): the mean absolute cosine
 * similarity between different patch tokens of one image,
 * P(h) = 1/(n(n−1)) Σ_{i≠j} |h_i·h_j| / (‖h_i‖‖h_j‖), via the Gram matrix of the row-normalised tokens.
 * 1 when all patch tokens point the same way (or opposite), 0 when they are mutually orthogonal.
 */
public final class OverSmoothing {

    private OverSmoothing() {
    }

    /**
     * Σ over images of P(h) (divide by the image count for the mean).
     *
     * @param tokens [B, T, D]
     * @param skip leading tokens that are not patches (1 for a class token, else 0)
     */
    public static double sum(INDArray tokens, int skip) {
        long b = tokens.size(0);
        long n = tokens.size(1) - skip;
        if (n < 2) {
            throw new IllegalArgumentException("over-smoothing needs at least 2 patch tokens, got " + n);
        }
        double total = 0;
        for (long i = 0; i < b; i++) {
            INDArray h = tokens.get(NDArrayIndex.point(i), NDArrayIndex.interval(skip, tokens.size(1)),
                    NDArrayIndex.all()).dup('c');
            // rows to unit length; an all-zero token has no direction and contributes 0
            INDArray norms = h.norm2(true, 1);
            norms.addi(norms.eq(0).castTo(norms.dataType()));
            INDArray unit = h.diviColumnVector(norms);
            INDArray gram = Transforms.abs(unit.mmul(unit.transpose()), false);
            // the diagonal is |cos(h_i, h_i)| = ‖unit_i‖² (1, or 0 for a zero token)
            double offDiagonal = gram.sumNumber().doubleValue() - unit.mul(unit).sumNumber().doubleValue();
            total += offDiagonal / (n * (n - 1));
        }
        return total;
    }
}
