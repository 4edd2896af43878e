package org.vitspark.model;

import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients of a training objective with respect to named intermediates of one forward pass (the same
 * names and shapes as {@link Forward}'s accessors). {@link TransformerNet#backward} adds each one where its
 * intermediate was produced, on the way down, so a loss on block tokens or on the final-norm tokens needs
 * no second model and no second backward pass. Gradients given twice for one intermediate are summed.
 * An intermediate nobody wrote is null: the backward pass then skips the addition (and computes exactly
 * what it computes for a logits-only loss).
 */
public final class IntermediateGradients {

    /** The intermediates that occur once per pass. */
    public enum Site {
        /** The patch embedding before class token and position embedding, [B, N, D]. */
        PATCH_EMBED,
        /** The first block's input (class token and position embedding added, dropout applied), [B, T, D]. */
        EMBEDDED,
        /** The final LayerNorm's output tokens, [B, T, D]. */
        FINAL_NORM,
        /** The pooled features the classifier reads, [B, D]. */
        POOLED,
        /** The logits, [B, classes]. */
        LOGITS
    }

    private final Map<Site, INDArray> once = new EnumMap<>(Site.class);
    private final INDArray[] blockTokens;
    private final INDArray[] attention;

    public IntermediateGradients(int depth) {
        blockTokens = new INDArray[depth];
        attention = new INDArray[depth];
    }

    /** Only d loss / d logits: what a classification loss gives. */
    public static IntermediateGradients ofLogits(int depth, INDArray dLogits) {
        return new IntermediateGradients(depth).add(Site.LOGITS, dLogits);
    }

    /** Adds d loss / d the intermediate at {@code site}. */
    public IntermediateGradients add(Site site, INDArray g) {
        once.merge(site, g, IntermediateGradients::sum);
        return this;
    }

    /** Adds d loss / d the output of block {@code block}, [B, T, D]. */
    public IntermediateGradients addBlockTokens(int block, INDArray g) {
        blockTokens[block] = blockTokens[block] == null ? g : sum(blockTokens[block], g);
        return this;
    }

    /** Adds d loss / d the attention probabilities of block {@code block}, [B, H, T, T] (ViT only). */
    public IntermediateGradients addAttention(int block, INDArray g) {
        attention[block] = attention[block] == null ? g : sum(attention[block], g);
        return this;
    }

    /** Adds everything {@code other} holds (another loss's gradients of the same pass). */
    public IntermediateGradients addAll(IntermediateGradients other) {
        other.once.forEach(this::add);
        for (int i = 0; i < blockTokens.length; i++) {
            if (other.blockTokens[i] != null) {
                addBlockTokens(i, other.blockTokens[i]);
            }
            if (other.attention[i] != null) {
                addAttention(i, other.attention[i]);
            }
        }
        return this;
    }

    /** The gradient at {@code site}, or null. */
    public INDArray get(Site site) {
        return once.get(site);
    }

    public INDArray blockTokens(int block) {
        return blockTokens[block];
    }

    public INDArray attention(int block) {
        return attention[block];
    }

    /** A second gradient makes a new sum (the first is kept as given), so no caller's array changes. */
    private static INDArray sum(INDArray have, INDArray add) {
        return have.add(add);
    }
}
