package org.vitspark.model.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bicubic resizing of a grid as a fixed linear operator, with PyTorch's {@code interpolate(mode="bicubic",
 * align_corners=False, size=...)} conventions: cubic convolution with A = −0.75 (Keys' kernel as PyTorch
 * and OpenCV use it), source coordinate (i + ½)·in/out − ½, border samples clamped to the edge. Resizing
 * a position-embedding grid for a smaller crop (DINO's {@code interpolate_pos_encoding}) is then one
 * matrix product M·pos, and its gradient is Mᵀ·grad, so the learned embedding trains from every crop size.
 * DINO itself passes {@code scale_factor=(w0 + 0.1)/√N}, which PyTorch uses for the coordinate mapping, so
 * its samples sit slightly off these (size-based) ones (facebookresearch/dino issue #8); later ports use
 * the size form, as here.
 */
public final class Bicubic {

    /** PyTorch's (and OpenCV's) cubic-convolution coefficient. */
    private static final double A = -0.75;

    private Bicubic() {
    }

    /** The 1-D operator [out, in]: row i holds the weights output sample i takes from the input samples. */
    public static double[][] weights(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("grid sizes must be positive: " + in + " -> " + out);
        }
        double[][] w = new double[out][in];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = (i + 0.5) * scale - 0.5; // not clamped at 0 for cubic, as PyTorch
            int x0 = (int) Math.floor(src);
            double t = src - x0;
            double[] k = {far(t + 1), near(t), near(1 - t), far(2 - t)};
            for (int j = 0; j < 4; j++) {
                int idx = Math.min(Math.max(x0 - 1 + j, 0), in - 1);
                w[i][idx] += k[j];
            }
        }
        return w;
    }

    /** Keys' kernel for |x| ≤ 1. */
    private static double near(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Keys' kernel for 1 < |x| < 2. */
    private static double far(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }

    /**
     * The 2-D operator [outH·outW, inH·inW] on row-major grids: the Kronecker product of the two 1-D
     * operators (bicubic resizing is separable).
     */
    public static INDArray grid(int inH, int inW, int outH, int outW, DataType dtype) {
        double[][] wy = weights(inH, outH);
        double[][] wx = weights(inW, outW);
        double[][] m = new double[outH * outW][inH * inW];
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                for (int p = 0; p < inH; p++) {
                    if (wy[i][p] == 0) {
                        continue;
                    }
                    for (int q = 0; q < inW; q++) {
                        m[i * outW + j][p * inW + q] = wy[i][p] * wx[j][q];
                    }
                }
            }
        }
        return Nd4j.create(m).castTo(dtype);
    }
}
