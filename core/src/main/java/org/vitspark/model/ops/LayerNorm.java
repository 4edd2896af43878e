package org.vitspark.model.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** LayerNorm over the last dimension of [n, d] rows; eps 1e-6 as in timm's ViT and Mixer. */
public final class LayerNorm {

    public static final double EPS = 1e-6;

    /** What backward needs: the normalised input and 1/σ per row. */
    public record Cache(INDArray xhat, INDArray rstd) {
    }

    private LayerNorm() {
    }

    public static INDArray forward(INDArray x, INDArray gamma, INDArray beta, Cache[] cacheOut) {
        return HostKernels.applies(x) ? forwardHost(x, gamma, beta, cacheOut) : forwardNd4j(x, gamma, beta, cacheOut);
    }

    public static INDArray backward(INDArray dy, Cache c, INDArray gamma, INDArray dGamma, INDArray dBeta) {
        return HostKernels.applies(dy) ? backwardHost(dy, c, gamma, dGamma, dBeta) : backwardNd4j(dy, c, gamma, dGamma, dBeta);
    }

    static INDArray forwardNd4j(INDArray x, INDArray gamma, INDArray beta, Cache[] cacheOut) {
        INDArray mean = x.mean(true, 1);
        INDArray xc = x.subColumnVector(mean);
        INDArray var = xc.mul(xc).mean(true, 1);
        INDArray rstd = Transforms.pow(var.addi(EPS), -0.5, false);
        INDArray xhat = xc.muliColumnVector(rstd);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(xhat, rstd);
        }
        return xhat.mulRowVector(gamma).addiRowVector(beta);
    }

    /** dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), with dx̂ = dy·γ; writes dγ, dβ. */
    static INDArray backwardNd4j(INDArray dy, Cache c, INDArray gamma, INDArray dGamma, INDArray dBeta) {
        dGamma.assign(dy.mul(c.xhat()).sum(0));
        dBeta.assign(dy.sum(0));
        INDArray dxhat = dy.mulRowVector(gamma);
        INDArray m1 = dxhat.mean(true, 1);
        INDArray m2 = dxhat.mul(c.xhat()).mean(true, 1);
        return dxhat.subiColumnVector(m1).subi(c.xhat().mulColumnVector(m2)).muliColumnVector(c.rstd());
    }

    /** The forward pass as one Java loop per row (float, CPU backend). */
    static INDArray forwardHost(INDArray x, INDArray gamma, INDArray beta, Cache[] cacheOut) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        float[] xs = HostKernels.heap(x);
        float[] g = HostKernels.heap(gamma);
        float[] b = HostKernels.heap(beta);
        float[] xhat = new float[n * d];
        float[] y = new float[n * d];
        float[] rstd = new float[n];
        for (int r = 0; r < n; r++) {
            int o = r * d;
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += xs[o + j];
            }
            float mean = (float) (sum / d);
            double sq = 0;
            for (int j = 0; j < d; j++) {
                float c = xs[o + j] - mean;
                sq += c * c;
            }
            float rs = (float) (1.0 / Math.sqrt(sq / d + EPS));
            rstd[r] = rs;
            for (int j = 0; j < d; j++) {
                float h = (xs[o + j] - mean) * rs;
                xhat[o + j] = h;
                y[o + j] = h * g[j] + b[j];
            }
        }
        if (cacheOut != null) {
            cacheOut[0] = new Cache(HostKernels.array(xhat, n, d), HostKernels.array(rstd, n, 1));
        }
        return HostKernels.array(y, n, d);
    }

    /** The backward pass as one Java loop per row (float, CPU backend). */
    static INDArray backwardHost(INDArray dy, Cache c, INDArray gamma, INDArray dGamma, INDArray dBeta) {
        int n = (int) dy.size(0);
        int d = (int) dy.size(1);
        float[] dys = HostKernels.heap(dy);
        float[] xhat = HostKernels.heap(c.xhat());
        float[] rstd = HostKernels.heap(c.rstd());
        float[] g = HostKernels.heap(gamma);
        float[] dg = new float[d];
        float[] db = new float[d];
        float[] dx = new float[n * d];
        for (int r = 0; r < n; r++) {
            int o = r * d;
            float m1 = 0;
            float m2 = 0;
            for (int j = 0; j < d; j++) {
                float v = dys[o + j];
                float h = xhat[o + j];
                dg[j] += v * h;
                db[j] += v;
                float dh = v * g[j];
                m1 += dh;
                m2 += dh * h;
            }
            m1 /= d;
            m2 /= d;
            float rs = rstd[r];
            for (int j = 0; j < d; j++) {
                float h = xhat[o + j];
                dx[o + j] = rs * (dys[o + j] * g[j] - m1 - h * m2);
            }
        }
        dGamma.assign(HostKernels.array(dg, dGamma.shape()));
        dBeta.assign(HostKernels.array(db, dBeta.shape()));
        return HostKernels.array(dx, n, d);
    }
}
