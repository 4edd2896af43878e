package org.vitspark.model.ops;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * fc1 → GELU → dropout → fc2 → dropout over rows: the ViT MLP, and both of Mixer's MLPs (the
 * token-mixing one runs on transposed tokens). Parameters {@code <prefix>.fc1.weight} etc.
 */
public final class Mlp {

    /**
     * Inputs of each linear, the pre-activation, GELU's stored slope (host kernels only, else null), the hidden
     * activation and the dropout masks.
     */
    public record Cache(INDArray x, INDArray pre, INDArray slope, INDArray hidden, INDArray dropped, INDArray mask1,
                        INDArray mask2) {
    }

    private Mlp() {
    }

    public static INDArray forward(INDArray x, Map<String, INDArray> p, String prefix, double dropout,
                                   SplittableRandom r, Cache[] cacheOut) {
        INDArray pre = Linear.forward(x, p.get(prefix + ".fc1.weight"), p.get(prefix + ".fc1.bias"));
        INDArray[] slope = cacheOut == null ? null : new INDArray[1];
        INDArray hidden = Gelu.forward(pre, slope);
        INDArray mask1 = r == null ? null : Drop.elementMask(r, x.dataType(), dropout, hidden.size(0), hidden.size(1));
        INDArray dropped = mask1 == null ? hidden : hidden.mul(mask1);
        INDArray y = Linear.forward(dropped, p.get(prefix + ".fc2.weight"), p.get(prefix + ".fc2.bias"));
        INDArray mask2 = r == null ? null : Drop.elementMask(r, x.dataType(), dropout, y.size(0), y.size(1));
        Drop.apply(y, mask2);
        if (cacheOut != null) {
            cacheOut[0] = new Cache(x, pre, slope[0], hidden, dropped, mask1, mask2);
        }
        return y;
    }

    public static INDArray backward(INDArray dy, Cache c, Map<String, INDArray> p, Map<String, INDArray> g,
                                    String prefix) {
        INDArray d = c.mask2() == null ? dy : dy.mul(c.mask2());
        INDArray dDropped = Linear.backward(d, c.dropped(), p.get(prefix + ".fc2.weight"), g.get(prefix + ".fc2.weight"),
                g.get(prefix + ".fc2.bias"), true);
        Drop.apply(dDropped, c.mask1());
        INDArray dPre = Gelu.backward(dDropped, c.pre(), c.slope());
        return Linear.backward(dPre, c.x(), p.get(prefix + ".fc1.weight"), g.get(prefix + ".fc1.weight"),
                g.get(prefix + ".fc1.bias"), true);
    }
}
