package org.vitspark.objective;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ModelSpec;

/**
 * The patch-wise contrastive loss of Gong et al. 2021: each final patch token h_i should stay closer to
 * its own early representation a_i (the anchor, same position) than to the mean of the other final
 * tokens. Logits are cosines (both sides L2-normalised, temperature 1: raw dot products of LayerNorm
 * outputs would be in the hundreds), positive p_i = cos(a_i, h_i), negative q_i = cos(a_i, mean_{j≠i} h_j),
 * and L = mean over patches of −log softmax([p_i, q_i])₀ = softplus(q_i − p_i). No second negative (the
 * released code's 7×7-neighbourhood mean) is used. The anchor is detached (no gradient reaches it) and is
 * one of: {@code embed}, the patch embedding before the position embedding (the released code);
 * {@code embed+pos}, the first block's input (position embedding added; the default); {@code block1}, the
 * first block's output. "Final" tokens are the final LayerNorm's output, as in the released code.
 */
public final class PatchContrastive implements Objective {

    public static final String NAME = "patch_contrastive";

    /** Which early representation is the anchor. */
    public enum Anchor {
        EMBED("embed"), EMBED_POS("embed+pos"), BLOCK1("block1");

        public final String key;

        Anchor(String key) {
            this.key = key;
        }

        public static Anchor parse(String key) {
            for (Anchor a : values()) {
                if (a.key.equals(key)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown contrastive anchor \"" + key + "\" (embed, embed+pos, block1)");
        }
    }

    private final ModelSpec m;
    private final Anchor anchor;

    public PatchContrastive(ModelSpec m, Anchor anchor) {
        if (m.patchTokens() < 2) {
            throw new IllegalArgumentException("the patch contrastive loss needs at least 2 patches, the model has "
                    + m.patchTokens());
        }
        this.m = m;
        this.anchor = anchor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsPatchEmbed() {
        return anchor == Anchor.EMBED;
    }

    /** The anchors of a pass, [B, n, D] (a copy). */
    INDArray anchor(Forward f) {
        return switch (anchor) {
            case EMBED -> f.patchEmbed().dup('c');
            case EMBED_POS -> PatchTokens.of(f.embedded(), m);
            case BLOCK1 -> PatchTokens.of(f.blockTokens(0), m);
        };
    }

    @Override
    public ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own,
                                   Map<String, INDArray> ownGrads, IntermediateGradients grads, double scale) {
        PatchTokens.Value v = of(anchor(f), PatchTokens.of(f.finalNorm(), m), grads != null, scale);
        if (grads != null) {
            grads.add(IntermediateGradients.Site.FINAL_NORM, PatchTokens.scatter(v.dTokens(), m));
        }
        return new ObjectiveValue(scale * v.loss(), Map.of(NAME, v.loss()));
    }

    /**
     * The loss of final patch tokens h [B, n, D] against anchors [B, n, D] (constants: no gradient), and with
     * {@code gradient} scale · dL/dh.
     */
    static PatchTokens.Value of(INDArray anchors, INDArray h, boolean gradient, double scale) {
        INDArray a = PatchTokens.unit(anchors, PatchTokens.norms(anchors));
        long b = h.size(0);
        long n = h.size(1);
        INDArray hNorms = PatchTokens.norms(h);
        INDArray hu = PatchTokens.unit(h, hNorms);
        // m_i = (Σ_j h_j − h_i) / (n − 1): the mean of the other tokens
        INDArray mean = h.sum(true, 1).broadcast(h.shape()).sub(h).divi(n - 1);
        INDArray mNorms = PatchTokens.norms(mean);
        INDArray mu = PatchTokens.unit(mean, mNorms);
        INDArray p = a.mul(hu).sum(2);                                                // [B, n]
        INDArray q = a.mul(mu).sum(2);
        INDArray x = q.sub(p);
        // softplus(x) = max(x, 0) + log(1 + exp(−|x|)), stable for either sign
        double loss = Transforms.relu(x, true).addi(Transforms.log(Transforms.exp(Transforms.abs(x, true).negi(), false)
                .addi(1), false)).sumNumber().doubleValue() / (b * n);
        if (!gradient) {
            return new PatchTokens.Value(loss, null);
        }
        INDArray sigma = Transforms.sigmoid(x, true).muli(scale / (b * n));           // dL/dq = −dL/dp
        INDArray gq = sigma.reshape('c', b, n, 1).broadcast(h.shape());
        // through p_i = a_i · ĥ_i: dL/dĥ_i = −σ_i a_i
        INDArray dh = PatchTokens.throughUnit(a.mul(gq).negi(), hu, hNorms);
        // through q_i = a_i · m̂_i: dL/dm_i, then m_i = (S − h_i)/(n − 1) sends Σ_i dm_i − dm_j to h_j
        INDArray dm = PatchTokens.throughUnit(a.mul(gq), mu, mNorms).divi(n - 1);
        dh.addi(dm.sum(true, 1).broadcast(h.shape()).sub(dm));
        return new PatchTokens.Value(loss, dh);
    }
}
