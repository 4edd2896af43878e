package org.vitspark.model.ops;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

    /** The forward pass row by row over native memory (SIMD through {@link VecMath}), rows split across threads. */
    static INDArray forwardHost(INDArray x, INDArray gamma, INDArray beta, Cache[] cacheOut) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        FloatBuffer xs = Host.buf(x);
        float[] g = new float[d];
        float[] b = new float[d];
        Host.read(gamma, g);
        Host.read(beta, b);
        INDArray y = Arena.uninitialized(x.dataType(), n, d);
        INDArray xhat = cacheOut == null ? null : Arena.uninitialized(x.dataType(), n, d);
        INDArray rstd = cacheOut == null ? null : Arena.uninitialized(x.dataType(), n, 1);
        FloatBuffer ys = Host.buf(y);
        FloatBuffer hs = xhat == null ? null : Host.buf(xhat);
        FloatBuffer rss = rstd == null ? null : Host.buf(rstd);
        Host.parallel(n, (chunk, from, to) -> {
            float[] row = new float[d];
            float[] out = new float[d];
            for (int r = from; r < to; r++) {
                int o = r * d;
                xs.get(o, row);
                float rs = FastMath.VECTOR ? VecMath.layerNormRow(row, g, b, out, d, EPS)
                        : FastMath.layerNormRow(row, g, b, out, d, EPS);
                if (hs != null) {
                    hs.put(o, row);
                    rss.put(r, rs);
                }
                ys.put(o, out);
            }
        });
        Host.keep(x, y, xhat, rstd);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(xhat, rstd);
        }
        return y;
    }

    /** The backward pass row by row; each thread sums its rows' dγ, dβ, then they are added. */
    static INDArray backwardHost(INDArray dy, Cache c, INDArray gamma, INDArray dGamma, INDArray dBeta) {
        int n = (int) dy.size(0);
        int d = (int) dy.size(1);
        FloatBuffer dys = Host.buf(dy);
        FloatBuffer hs = Host.buf(c.xhat());
        FloatBuffer rss = Host.buf(c.rstd());
        float[] g = new float[d];
        Host.read(gamma, g);
        INDArray dx = Arena.uninitialized(dy.dataType(), n, d);
        FloatBuffer dxs = Host.buf(dx);
        float[][] dgPart = new float[Host.chunks(n)][];
        float[][] dbPart = new float[Host.chunks(n)][];
        Host.parallel(n, (chunk, from, to) -> {
            float[] dg = new float[d];
            float[] db = new float[d];
            float[] v = new float[d];
            float[] h = new float[d];
            for (int r = from; r < to; r++) {
                int o = r * d;
                dys.get(o, v);
                hs.get(o, h);
                if (FastMath.VECTOR) {
                    VecMath.layerNormBackwardRow(v, h, g, rss.get(r), dg, db, d);
                } else {
                    FastMath.layerNormBackwardRow(v, h, g, rss.get(r), dg, db, d);
                }
                dxs.put(o, v);
            }
            dgPart[chunk] = dg;
            dbPart[chunk] = db;
        });
        Host.write(dGamma, Host.addUp(dgPart, d));
        Host.write(dBeta, Host.addUp(dbPart, d));
        Host.keep(dy, c, dx);
        return dx;
    }
}
