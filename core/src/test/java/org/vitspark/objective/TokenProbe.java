package org.vitspark.objective;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.IntermediateGradients.Site;
import org.vitspark.model.ModelSpec;

/**
 * A test objective that reads intermediates only, never the logits: L = Σ_tap Σ R_tap ⊙ X_tap over the
 * patch embedding, the first block's input, every block's output, the attention maps (ViT), the final-norm
 * tokens and the pooled features, plus 0.05·½‖final-norm tokens‖² so the loss is not linear in them. R_tap are
 * fixed random arrays (seeded, σ 0.1), so the gradient at each intermediate is R_tap (+ 0.05·tokens for the
 * square).
 */
public final class TokenProbe implements Objective {

    /**
     * Small weights keep the loss near 1, so central differences' round-off (~1e-16·|L|/ε) stays below the
     * checker's floor for gradients that are zero in exact arithmetic (the attention k bias).
     */
    private static final double SQUARE = 0.05;

    private final ModelSpec m;
    private final long seed;
    private final Map<String, INDArray> weights = new LinkedHashMap<>();

    public TokenProbe(ModelSpec m, Map<String, String> options) {
        this.m = m;
        this.seed = Long.parseLong(options.getOrDefault("seed", "1"));
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public boolean needsPatchEmbed() {
        return true;
    }

    private INDArray r(String key, INDArray like) {
        return weights.computeIfAbsent(key + java.util.Arrays.toString(like.shape()), k -> {
            Nd4j.getRandom().setSeed(seed + k.hashCode());
            return Nd4j.randn(like.dataType(), like.shape()).muli(0.1);
        });
    }

    private double dot(String key, INDArray x, java.util.function.Consumer<INDArray> grad, double scale) {
        INDArray r = r(key, x);
        if (grad != null) {
            grad.accept(r.mul(scale));
        }
        return x.mul(r).sumNumber().doubleValue();
    }

    @Override
    public ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own, Map<String, INDArray> ownGrads,
                                   IntermediateGradients g, double scale) {
        boolean grads = g != null;
        double loss = dot("patch", f.patchEmbed(), grads ? x -> g.add(Site.PATCH_EMBED, x) : null, scale);
        loss += dot("embedded", f.embedded(), grads ? x -> g.add(Site.EMBEDDED, x) : null, scale);
        for (int i = 0; i < m.depth(); i++) {
            int block = i;
            loss += dot("block" + i, f.blockTokens(i), grads ? x -> g.addBlockTokens(block, x) : null, scale);
            if (m.family() == ModelSpec.Family.VIT) {
                loss += dot("attention" + i, f.attention(i), grads ? x -> g.addAttention(block, x) : null, scale);
            }
        }
        loss += dot("finalNorm", f.finalNorm(), grads ? x -> g.add(Site.FINAL_NORM, x) : null, scale);
        loss += dot("pooled", f.pooled(), grads ? x -> g.add(Site.POOLED, x) : null, scale);
        INDArray fn = f.finalNorm();
        loss += 0.5 * SQUARE * fn.mul(fn).sumNumber().doubleValue();
        if (grads) {
            g.add(Site.FINAL_NORM, fn.mul(SQUARE * scale));
        }
        return new ObjectiveValue(scale * loss, Map.of(name(), loss));
    }

}
