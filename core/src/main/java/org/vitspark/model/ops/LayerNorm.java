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
    public static INDArray backward(INDArray dy, Cache c, INDArray gamma, INDArray dGamma, INDArray dBeta) {
        dGamma.assign(dy.mul(c.xhat()).sum(0));
        dBeta.assign(dy.sum(0));
        INDArray dxhat = dy.mulRowVector(gamma);
        INDArray m1 = dxhat.mean(true, 1);
        INDArray m2 = dxhat.mul(c.xhat()).mean(true, 1);
        return dxhat.subiColumnVector(m1).subi(c.xhat().mulColumnVector(m2)).muliColumnVector(c.rstd());
    }
}
