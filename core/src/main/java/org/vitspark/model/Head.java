package org.vitspark.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.model.ops.Arena;
import org.vitspark.model.ops.LayerNorm;
import org.vitspark.model.ops.Linear;

/** Final LayerNorm over all tokens, pooling (class token or mean of tokens), linear classifier. */
final class Head {

    record Cache(LayerNorm.Cache ln, INDArray pooled) {
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
            cacheOut[0] = new Cache(ln[0], pooled);
        }
        return Linear.forward(pooled, p.get("head.weight"), p.get("head.bias"));
    }

    static INDArray backward(INDArray dLogits, ModelSpec m, Map<String, INDArray> p, Map<String, INDArray> g, Pass pass,
                             Cache c) {
        INDArray dPooled = Linear.backward(dLogits, c.pooled(), p.get("head.weight"), g.get("head.weight"),
                g.get("head.bias"), true);
        int b = pass.batch();
        int t = pass.tokens();
        INDArray dxn3;
        if (m.hasClassToken()) {
            dxn3 = Arena.zeros(dLogits.dataType(), b, t, m.dim());
            dxn3.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(dPooled);
        } else {
            dxn3 = dPooled.div(t).reshape('c', b, 1, m.dim()).broadcast(b, t, m.dim()).dup('c');
        }
        return LayerNorm.backward(dxn3.reshape('c', (long) b * t, m.dim()), c.ln(), p.get("norm.weight"),
                g.get("norm.weight"), g.get("norm.bias"));
    }
}
