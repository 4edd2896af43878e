package org.vitspark.model.ops;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)), as PyTorch's nn.GELU() and timm compute it. Its derivative
 * Φ(x) + x·φ(x) is finite everywhere (exp(−x²/2) underflows to 0), unlike DL4J's Activation.GELU
 * (docs/decisions.md D9).
 */
public final class Gelu {

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    /** Host kernel block: elements staged through heap arrays per step of the loop. */
    private static final int BLOCK = 2048;

    private Gelu() {
    }

    /** Φ(x) = ½(1 + erf(x/√2)). */
    private static INDArray cdf(INDArray x) {
        INDArray e = x.mul(INV_SQRT2);
        Nd4j.exec(new Erf(e, e));
        return e.addi(1.0).muli(0.5);
    }

    public static INDArray forward(INDArray x) {
        return forward(x, null);
    }

    /**
     * GELU(x); with {@code slopeOut} the host kernel also stores the derivative Φ(x) + x·φ(x), computed from
     * the same e^{−x²/2}, so that {@link #backward} is one multiply (slopeOut[0] stays null on the ND4J path,
     * whose backward recomputes it).
     */
    public static INDArray forward(INDArray x, INDArray[] slopeOut) {
        return HostKernels.applies(x) ? forwardHost(x, slopeOut) : forwardNd4j(x);
    }

    /** dy·(Φ(x) + x·φ(x)) for the pre-activation x, or dy·slope when the forward pass stored it. */
    public static INDArray backward(INDArray dy, INDArray x, INDArray slope) {
        if (slope != null) {
            return HostKernels.applies(dy) ? product(dy, slope) : dy.mul(slope);
        }
        return HostKernels.applies(x) ? backwardHost(dy, x) : backwardNd4j(dy, x);
    }

    static INDArray forwardNd4j(INDArray x) {
        return cdf(x).muli(x);
    }

    static INDArray backwardNd4j(INDArray dy, INDArray x) {
        INDArray pdf = Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI);
        return cdf(x).addi(pdf.muli(x)).muli(dy);
    }

    static INDArray forwardHost(INDArray x, INDArray[] slopeOut) {
        FloatBuffer xs = Host.buf(x);
        INDArray y = Arena.uninitialized(x.dataType(), x.shape());
        INDArray slope = slopeOut == null ? null : Arena.uninitialized(x.dataType(), x.shape());
        FloatBuffer ys = Host.buf(y);
        FloatBuffer ss = slope == null ? null : Host.buf(slope);
        Host.parallel((int) x.length(), (chunk, from, to) -> {
            float[] xv = new float[BLOCK];
            float[] yv = new float[BLOCK];
            float[] sv = ss == null ? null : new float[BLOCK];
            for (int o = from; o < to; o += BLOCK) {
                int len = Math.min(BLOCK, to - o);
                xs.get(o, xv, 0, len);
                if (FastMath.VECTOR) {
                    VecMath.gelu(xv, yv, sv, len);
                } else {
                    FastMath.gelu(xv, yv, sv, 0, len);
                }
                ys.put(o, yv, 0, len);
                if (ss != null) {
                    ss.put(o, sv, 0, len);
                }
            }
        });
        Host.keep(x, y, slope);
        if (slopeOut != null) {
            slopeOut[0] = slope;
        }
        return y;
    }

    private static INDArray product(INDArray a, INDArray b) {
        FloatBuffer as = Host.buf(a);
        FloatBuffer bs = Host.buf(b);
        INDArray out = Arena.uninitialized(a.dataType(), a.shape());
        FloatBuffer os = Host.buf(out);
        Host.parallel((int) a.length(), (chunk, from, to) -> {
            float[] av = new float[BLOCK];
            float[] bv = new float[BLOCK];
            for (int o = from; o < to; o += BLOCK) {
                int len = Math.min(BLOCK, to - o);
                as.get(o, av, 0, len);
                bs.get(o, bv, 0, len);
                if (FastMath.VECTOR) {
                    VecMath.multiply(av, bv, len);
                } else {
                    for (int i = 0; i < len; i++) {
                        av[i] *= bv[i];
                    }
                }
                os.put(o, av, 0, len);
            }
        });
        Host.keep(a, b, out);
        return out;
    }

    static INDArray backwardHost(INDArray dy, INDArray x) {
        FloatBuffer xs = Host.buf(x);
        FloatBuffer d = Host.buf(dy);
        INDArray out = Arena.uninitialized(dy.dataType(), dy.shape());
        FloatBuffer os = Host.buf(out);
        Host.parallel((int) x.length(), (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                float xi = xs.get(i);
                float e = FastMath.exp(-0.5f * xi * xi);
                os.put(i, d.get(i) * (FastMath.phi(xi, e) + xi * e * (float) INV_SQRT_2PI));
            }
        });
        Host.keep(dy, x, out);
        return out;
    }
}
