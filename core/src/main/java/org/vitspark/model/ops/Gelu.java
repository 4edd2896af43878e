package org.vitspark.model.ops;

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

    private Gelu() {
    }

    /** Φ(x) = ½(1 + erf(x/√2)). */
    private static INDArray cdf(INDArray x) {
        INDArray e = x.mul(INV_SQRT2);
        Nd4j.exec(new Erf(e, e));
        return e.addi(1.0).muli(0.5);
    }

    public static INDArray forward(INDArray x) {
        return HostKernels.applies(x) ? forwardHost(x) : forwardNd4j(x);
    }

    /** dy·(Φ(x) + x·φ(x)) for the pre-activation x. */
    public static INDArray backward(INDArray dy, INDArray x) {
        return HostKernels.applies(x) ? backwardHost(dy, x) : backwardNd4j(dy, x);
    }

    static INDArray forwardNd4j(INDArray x) {
        return cdf(x).muli(x);
    }

    static INDArray backwardNd4j(INDArray dy, INDArray x) {
        INDArray pdf = Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI);
        return cdf(x).addi(pdf.muli(x)).muli(dy);
    }

    static INDArray forwardHost(INDArray x) {
        float[] v = HostKernels.heap(x);
        float[] y = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            float xi = v[i];
            float e = FastMath.exp(-0.5f * xi * xi);
            y[i] = xi * FastMath.phi(xi, e);
        }
        return HostKernels.array(y, x.shape());
    }

    static INDArray backwardHost(INDArray dy, INDArray x) {
        float[] v = HostKernels.heap(x);
        float[] d = HostKernels.heap(dy);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            float xi = v[i];
            float e = FastMath.exp(-0.5f * xi * xi); // shared by Φ (through erf) and φ
            out[i] = d[i] * (FastMath.phi(xi, e) + xi * e * (float) INV_SQRT_2PI);
        }
        return HostKernels.array(out, x.shape());
    }
}
