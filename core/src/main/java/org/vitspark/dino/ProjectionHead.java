package org.vitspark.dino;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.ops.Gelu;
import org.vitspark.model.ops.Linear;

/**
 * DINO's projection head (Caron et al. 2021, DINOHead): a 3-layer MLP (D → hidden → hidden → bottleneck,
 * GELU between), L2 normalisation, then a weight-normalised linear layer without bias onto K prototypes,
 * W = g·V/‖V‖ per row with the gain g fixed at 1 (norm_last_layer). The logits are cosines in [−1, 1].
 * The backward pass goes through both normalisations (∂L/∂V = (I − v̂v̂ᵀ)∂L/∂W / ‖V‖ per row), which is
 * not the same as renormalising V after a step. Tensor names follow DINO's state dict (mlp.0, mlp.2,
 * mlp.4, last_layer.weight_v) under a prefix.
 */
public final class ProjectionHead {

    /** F.normalize's ε: a norm below it counts as ε (the direction of a zero vector is 0, not NaN). */
    private static final double NORM_EPS = 1e-12;

    private final String prefix;
    private final int dim;
    private final int hidden;
    private final int bottleneck;
    private final int prototypes;

    /** What backward needs from one forward. */
    public record Cache(INDArray x, INDArray a1, INDArray s1, INDArray h1, INDArray a2, INDArray s2, INDArray h2,
                        INDArray y, INDArray yNorm, INDArray u, INDArray vNorm, INDArray vHat) {
    }

    public ProjectionHead(String prefix, int dim, int hidden, int bottleneck, int prototypes) {
        this.prefix = prefix;
        this.dim = dim;
        this.hidden = hidden;
        this.bottleneck = bottleneck;
        this.prototypes = prototypes;
    }

    public int prototypes() {
        return prototypes;
    }

    /** The name of the prototype matrix V [K, bottleneck] (the layer DINO freezes in its first epoch). */
    public String lastLayer() {
        return prefix + "lastLayer.weightV";
    }

    /** Its tensors, in the order they sit in the flat vector (truncated-normal 0.02 weights, zero biases, as DINO). */
    public List<ParamLayout.Extra> params() {
        List<ParamLayout.Extra> out = new ArrayList<>();
        linear(out, "mlp.0", hidden, dim);
        linear(out, "mlp.2", hidden, hidden);
        linear(out, "mlp.4", bottleneck, hidden);
        out.add(new ParamLayout.Extra(lastLayer(), ParamLayout.Init.TRUNC_NORMAL, true, prototypes, bottleneck));
        return out;
    }

    private void linear(List<ParamLayout.Extra> out, String name, int o, int i) {
        out.add(new ParamLayout.Extra(prefix + name + ".weight", ParamLayout.Init.TRUNC_NORMAL, true, o, i));
        out.add(new ParamLayout.Extra(prefix + name + ".bias", ParamLayout.Init.ZEROS, false, o));
    }

    /** Features [N, D] → prototype logits [N, K]; {@code cacheOut} (may be null) keeps what backward needs. */
    public INDArray forward(INDArray x, Map<String, INDArray> p, Cache[] cacheOut) {
        INDArray a1 = Linear.forward(x, p.get(prefix + "mlp.0.weight"), p.get(prefix + "mlp.0.bias"));
        INDArray[] s1 = new INDArray[1];
        INDArray h1 = Gelu.forward(a1, s1);
        INDArray a2 = Linear.forward(h1, p.get(prefix + "mlp.2.weight"), p.get(prefix + "mlp.2.bias"));
        INDArray[] s2 = new INDArray[1];
        INDArray h2 = Gelu.forward(a2, s2);
        INDArray y = Linear.forward(h2, p.get(prefix + "mlp.4.weight"), p.get(prefix + "mlp.4.bias"));
        INDArray yNorm = Transforms.max(y.norm2(1), NORM_EPS).reshape(y.size(0), 1);
        INDArray u = y.divColumnVector(yNorm);
        INDArray v = p.get(lastLayer());
        INDArray vNorm = Transforms.max(v.norm2(1), NORM_EPS).reshape(v.size(0), 1);
        INDArray vHat = v.divColumnVector(vNorm);
        INDArray logits = u.mmul(vHat.transpose());
        if (cacheOut != null) {
            cacheOut[0] = new Cache(x, a1, s1[0], h1, a2, s2[0], h2, y, yNorm, u, vNorm, vHat);
        }
        return logits;
    }

    /**
     * Writes the head's gradients into {@code g} (assigning) from d loss / d logits [N, K] and returns
     * d loss / d features [N, D].
     */
    public INDArray backward(INDArray dLogits, Cache c, Map<String, INDArray> p, Map<String, INDArray> g) {
        // logits = u·v̂ᵀ
        INDArray dVHat = dLogits.transpose().mmul(c.u());
        INDArray dU = dLogits.mmul(c.vHat());
        // v̂ = v/‖v‖ per row: dv = (dv̂ − v̂(v̂·dv̂))/‖v‖
        g.get(lastLayer()).assign(throughNorm(dVHat, c.vHat(), c.vNorm()));
        // u = y/‖y‖ per row, the same rule
        INDArray dy = throughNorm(dU, c.u(), c.yNorm());
        INDArray dh2 = Linear.backward(dy, c.h2(), p.get(prefix + "mlp.4.weight"), g.get(prefix + "mlp.4.weight"),
                g.get(prefix + "mlp.4.bias"), true);
        INDArray da2 = Gelu.backward(dh2, c.a2(), c.s2());
        INDArray dh1 = Linear.backward(da2, c.h1(), p.get(prefix + "mlp.2.weight"), g.get(prefix + "mlp.2.weight"),
                g.get(prefix + "mlp.2.bias"), true);
        INDArray da1 = Gelu.backward(dh1, c.a1(), c.s1());
        return Linear.backward(da1, c.x(), p.get(prefix + "mlp.0.weight"), g.get(prefix + "mlp.0.weight"),
                g.get(prefix + "mlp.0.bias"), true);
    }

    /** The gradient through row-wise x̂ = x/max(‖x‖, ε): (dx̂ − x̂(x̂·dx̂))/‖x‖ (below ε the norm is constant: dx̂/ε). */
    private static INDArray throughNorm(INDArray dHat, INDArray hat, INDArray norm) {
        INDArray dots = dHat.mul(hat).sum(1).reshape(hat.size(0), 1);
        INDArray out = dHat.sub(hat.mulColumnVector(dots));
        if (norm.minNumber().doubleValue() > NORM_EPS) {
            return out.diviColumnVector(norm);
        }
        for (long i = 0; i < norm.size(0); i++) {
            if (norm.getDouble(i, 0) <= NORM_EPS) {
                out.getRow(i).assign(dHat.getRow(i)); // clamped norm: x̂ = x/ε is linear in x
            }
        }
        return out.diviColumnVector(norm);
    }
}
