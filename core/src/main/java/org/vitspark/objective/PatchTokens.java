package org.vitspark.objective;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vitspark.model.ModelSpec;

/** The patch tokens of a pass's [B, T, D] tokens (the class token left out) and the vector algebra the patch losses share. */
final class PatchTokens {

    /** A patch loss on [B, n, D] tokens: its value and, when asked, its gradient at the tokens (else null). */
    record Value(double loss, INDArray dTokens) {
    }

    /** The norm floor: a token shorter than this counts as having this length (no NaN for a zero token). */
    static final double EPS = 1e-8;

    private PatchTokens() {
    }

    /** The patch tokens as a dense [B, n, D] copy. */
    static INDArray of(INDArray tokens, ModelSpec m) {
        int skip = m.hasClassToken() ? 1 : 0;
        return tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(skip, tokens.size(1)), NDArrayIndex.all()).dup('c');
    }

    /** A [B, T, D] gradient holding {@code dPatches} [B, n, D] in the patch rows and zero at the class token. */
    static INDArray scatter(INDArray dPatches, ModelSpec m) {
        if (!m.hasClassToken()) {
            return dPatches;
        }
        long b = dPatches.size(0);
        INDArray out = Nd4j.zeros(dPatches.dataType(), b, m.tokens(), m.dim());
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(1, m.tokens()), NDArrayIndex.all()).assign(dPatches);
        return out;
    }

    /** max(‖x‖, EPS) over the last axis, [B, n, 1]. */
    static INDArray norms(INDArray x) {
        INDArray n = x.norm2(2);
        return Transforms.max(n, EPS, false).reshape('c', x.size(0), x.size(1), 1);
    }

    /** x / max(‖x‖, EPS), row by row. */
    static INDArray unit(INDArray x, INDArray norms) {
        return x.div(norms.broadcast(x.shape()));
    }

    /**
     * The gradient at x of a loss whose gradient at u = x / max(‖x‖, EPS) is {@code du}: (du − u(u·du)) / ‖x‖
     * where ‖x‖ > EPS, du / EPS where the floor holds (u is then linear in x).
     */
    static INDArray throughUnit(INDArray du, INDArray u, INDArray norms) {
        INDArray along = u.mul(du).sum(true, 2);                       // [B, n, 1]
        INDArray above = norms.gt(EPS).castTo(du.dataType());         // 1 where the norm is not floored
        INDArray projected = du.sub(u.mul(along.mul(above).broadcast(u.shape())));
        return projected.divi(norms.broadcast(du.shape()));
    }
}
