package org.vitspark.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.model.ops.Arena;
import org.vitspark.model.ops.LayerNorm;
import org.vitspark.model.ops.Linear;

/** Final LayerNorm over all tokens, pooling (class token or mean of tokens), linear classifier. */
final class Head {

    /** @param normed the final LayerNorm's output rows [B·T, D] (a named intermediate) */
    record Cache(LayerNorm.Cache ln, INDArray normed, INDArray pooled) {
    }

    private Head() {
    }

    static INDArray forward(INDArray x, ModelSpec m, Map<String, INDArray> p, Pass pass, Cache[] cacheOut) {
        LayerNorm.Cache[] ln = new LayerNorm.Cache[1];
        INDArray xn = LayerNorm.forward(x, p.get("norm.weight"), p.get("norm.bias"), ln);
        INDArray x3 = xn.reshape('c', pass.batch(), pass.tokens(), m.dim());
        INDArray pooled = m.hasClassToken()
                ? Arena.copyOf(x3.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()))
                : x3.mean(1);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(ln[0], xn, pooled);
        }
        return Linear.forward(pooled, p.get("head.weight"), p.get("head.bias"));
    }

    /**
     * @param dLogits d loss / d logits, or null when the loss does not read them (the head then gets zero gradients)
     * @param dPooledExtra injected d loss / d pooled features, or null
     * @param dNormedExtra injected d loss / d final-norm rows [B·T, D], or null
     */
    static INDArray backward(INDArray dLogits, INDArray dPooledExtra, INDArray dNormedExtra, ModelSpec m,
                             Map<String, INDArray> p, Map<String, INDArray> g, Pass pass, Cache c) {
        int b = pass.batch();
        int t = pass.tokens();
        INDArray dl = dLogits != null ? dLogits : Arena.zeros(c.pooled().dataType(), b, m.classes());
        INDArray dPooled = Linear.backward(dl, c.pooled(), p.get("head.weight"), g.get("head.weight"),
                g.get("head.bias"), true);
        if (dPooledExtra != null) {
            dPooled.addi(dPooledExtra);
        }
        INDArray dxn3;
        if (m.hasClassToken()) {
            dxn3 = Arena.zeros(dl.dataType(), b, t, m.dim());
            dxn3.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(dPooled);
        } else {
            dxn3 = dPooled.div(t).reshape('c', b, 1, m.dim()).broadcast(b, t, m.dim()).dup('c');
        }
        INDArray dxn = dxn3.reshape('c', (long) b * t, m.dim());
        if (dNormedExtra != null) {
            dxn.addi(dNormedExtra);
        }
        return LayerNorm.backward(dxn, c.ln(), p.get("norm.weight"), g.get("norm.weight"), g.get("norm.bias"));
    }
}
