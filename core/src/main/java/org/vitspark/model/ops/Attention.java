package org.vitspark.model.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-head scaled dot-product attention on a fused qkv projection (timm layout: the 3·D outputs are
 * q, k, v, each split into heads of D/H): softmax(q·kᵀ/√dh)·v, heads concatenated.
 */
public final class Attention {

    /**
     * The attention probabilities [B·H, T, T], and what backward reads q, k, v from: the fused qkv [B·T, 3D]
     * (host kernel, which addresses heads in place) or q, k, v as [B·H, T, dh] (ND4J twin; q pre-scaled).
     */
    public record Cache(INDArray qkv, INDArray q, INDArray k, INDArray v, INDArray probs) {
    }

    private Attention() {
    }

    /** qkv [B·T, 3D] → context [B·T, D]. */
    public static INDArray forward(INDArray qkv, int batch, int tokens, int heads, Cache[] cacheOut) {
        return HostKernels.applies(qkv) ? AttentionHost.forward(qkv, batch, tokens, heads, cacheOut)
                : forwardNd4j(qkv, batch, tokens, heads, cacheOut);
    }

    /** dContext [B·T, D] → dqkv [B·T, 3D]. */
    public static INDArray backward(INDArray dctx, Cache c, int batch, int tokens, int heads) {
        return backward(dctx, null, c, batch, tokens, heads);
    }

    /**
     * As above, with a gradient at the attention probabilities added to the one that comes through the
     * context (a loss that reads the attention maps).
     *
     * @param dProbsExtra [B, H, T, T] or [B·H, T, T], or null
     */
    public static INDArray backward(INDArray dctx, INDArray dProbsExtra, Cache c, int batch, int tokens, int heads) {
        INDArray extra = dProbsExtra == null ? null : dProbsExtra.reshape('c', (long) batch * heads, tokens, tokens);
        return c.qkv() != null ? AttentionHost.backward(dctx, extra, c, batch, tokens, heads)
                : backwardNd4j(dctx, extra, c, batch, tokens, heads);
    }

    static INDArray forwardNd4j(INDArray qkv, int batch, int tokens, int heads, Cache[] cacheOut) {
        int d = (int) qkv.size(1) / 3;
        int dh = d / heads;
        // [B, T, 3, H, dh] → [3, B, H, T, dh]
        INDArray split = qkv.reshape('c', batch, tokens, 3, heads, dh).permute(2, 0, 3, 1, 4);
        INDArray q = part(split, 0, batch, heads, tokens, dh).muli(1.0 / Math.sqrt(dh));
        INDArray k = part(split, 1, batch, heads, tokens, dh);
        INDArray v = part(split, 2, batch, heads, tokens, dh);
        INDArray scores = Nd4j.matmul(q, k, false, true, false);
        INDArray probs = softmaxRows(scores, tokens);
        INDArray ctx = Nd4j.matmul(probs, v);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(null, q, k, v, probs);
        }
        return merge(ctx, batch, heads, tokens, dh);
    }

    static INDArray backwardNd4j(INDArray dctx, Cache c, int batch, int tokens, int heads) {
        return backwardNd4j(dctx, null, c, batch, tokens, heads);
    }

    static INDArray backwardNd4j(INDArray dctx, INDArray dProbsExtra, Cache c, int batch, int tokens, int heads) {
        int d = (int) dctx.size(1);
        int dh = d / heads;
        INDArray dOut = dctx.reshape('c', batch, tokens, heads, dh).permute(0, 2, 1, 3).dup('c')
                .reshape('c', (long) batch * heads, tokens, dh);
        INDArray dProbs = Nd4j.matmul(dOut, c.v(), false, true, false);
        if (dProbsExtra != null) {
            dProbs.addi(dProbsExtra);
        }
        INDArray dv = Nd4j.matmul(c.probs(), dOut, true, false, false);
        // softmax backward: dS = P ⊙ (dP − Σ_j dP·P)
        INDArray p2 = c.probs().reshape('c', (long) batch * heads * tokens, tokens);
        INDArray dp2 = dProbs.reshape('c', (long) batch * heads * tokens, tokens);
        INDArray dot = dp2.mul(p2).sum(true, 1);
        INDArray dScores = dp2.subiColumnVector(dot).muli(p2).reshape('c', (long) batch * heads, tokens, tokens);
        double scale = 1.0 / Math.sqrt(dh);
        // q was pre-scaled, so dq = dS·k·scale and dk = dSᵀ·(q·scale) = dSᵀ·q_cached
        INDArray dq = Nd4j.matmul(dScores, c.k()).muli(scale);
        INDArray dk = Nd4j.matmul(dScores, c.q(), true, false, false);
        INDArray dqkv = Nd4j.createUninitialized(dctx.dataType(), batch, tokens, 3, heads, dh);
        INDArray view = dqkv.permute(2, 0, 3, 1, 4);
        view.get(NDArrayIndex.point(0)).assign(dq.reshape('c', batch, heads, tokens, dh));
        view.get(NDArrayIndex.point(1)).assign(dk.reshape('c', batch, heads, tokens, dh));
        view.get(NDArrayIndex.point(2)).assign(dv.reshape('c', batch, heads, tokens, dh));
        return dqkv.reshape('c', (long) batch * tokens, 3L * d);
    }

    private static INDArray part(INDArray split, int i, int batch, int heads, int tokens, int dh) {
        return split.get(NDArrayIndex.point(i)).dup('c').reshape('c', (long) batch * heads, tokens, dh);
    }

    private static INDArray softmaxRows(INDArray scores, int tokens) {
        INDArray rows = scores.reshape('c', scores.length() / tokens, tokens);
        return Transforms.softmax(rows, false).reshape('c', scores.shape());
    }

    /** [B·H, T, dh] → [B·T, H·dh]. */
    private static INDArray merge(INDArray ctx, int batch, int heads, int tokens, int dh) {
        return ctx.reshape('c', batch, heads, tokens, dh).permute(0, 2, 1, 3).dup('c')
                .reshape('c', (long) batch * tokens, (long) heads * dh);
    }
}
