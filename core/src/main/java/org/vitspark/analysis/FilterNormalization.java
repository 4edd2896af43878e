package org.vitspark.analysis;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ParamLayout;
import org.vitspark.rng.Rng;

/**
 * Random directions for loss-landscape plots with filter normalisation (Li et al. 2018): a Gaussian
 * direction shaped like the weights, where each filter (one output unit: a row of a [out, in] matrix,
 * one output channel of the patch convolution, i.e. a slice along the first dimension) is rescaled to
 * the L2 norm of the same filter of the weights, so plots of differently scaled networks compare. The
 * direction is zero on 1-D parameters (biases, LayerNorm), as Li et al.'s code does by default
 * (Li et al. 2018 section 4; docs/diagnostics.md).
 */
public final class FilterNormalization {

    // Li et al.'s code adds 1e-10 to the direction filter's norm before dividing.
    private static final double EPS = 1e-10;

    private FilterNormalization() {
    }

    /** A direction for {@code params} ([1, P], any float type), reproducible from {@code seed}. */
    public static INDArray direction(ParamLayout layout, INDArray params, long seed) {
        double[] w = params.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        double[] d = new double[w.length];
        for (ParamLayout.Entry e : layout.entries()) {
            if (e.shape().length <= 1) {
                continue; // stays zero
            }
            SplittableRandom r = Rng.of(seed, e.offset());
            long filters = e.shape()[0];
            int size = (int) (e.length() / filters);
            for (int f = 0; f < filters; f++) {
                int start = (int) (e.offset() + (long) f * size);
                double dn = 0;
                double wn = 0;
                for (int i = start; i < start + size; i++) {
                    d[i] = r.nextGaussian();
                    dn += d[i] * d[i];
                    wn += w[i] * w[i];
                }
                double scale = Math.sqrt(wn) / (Math.sqrt(dn) + EPS);
                for (int i = start; i < start + size; i++) {
                    d[i] *= scale;
                }
            }
        }
        return Nd4j.create(d, params.shape(), 'c').castTo(params.dataType());
    }
}
