package org.vitspark.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients of a training objective with respect to named intermediates of one forward pass (the same
 * names and shapes as {@link Intermediates}). {@link TransformerNet#backward} adds each one where its
 * intermediate was produced, on the way down, so a loss on block tokens or on the final-norm tokens needs
 * no second model and no second backward pass. Gradients given twice for one intermediate are summed.
 * An intermediate nobody wrote is null: the backward pass then skips the addition (and computes exactly
 * what it computes for a logits-only loss).
 */
public final class IntermediateGradients {

    private INDArray patchEmbed;
    private INDArray embedded;
    private final INDArray[] blockTokens;
    private final INDArray[] attention;
    private INDArray finalNorm;
    private INDArray pooled;
    private INDArray logits;

    public IntermediateGradients(int depth) {
        blockTokens = new INDArray[depth];
        attention = new INDArray[depth];
    }

    /** Only d loss / d logits: what a classification loss gives. */
    public static IntermediateGradients ofLogits(int depth, INDArray dLogits) {
        return new IntermediateGradients(depth).addLogits(dLogits);
    }

    /** d / d patch embedding before class token and position embedding, [B, N, D]. */
    public IntermediateGradients addPatchEmbed(INDArray g) {
        patchEmbed = sum(patchEmbed, g);
        return this;
    }

    /** d / d the first block's input (class token and position embedding added, dropout applied), [B, T, D]. */
    public IntermediateGradients addEmbedded(INDArray g) {
        embedded = sum(embedded, g);
        return this;
    }

    /** d / d the output of block {@code block}, [B, T, D]. */
    public IntermediateGradients addBlockTokens(int block, INDArray g) {
        blockTokens[block] = sum(blockTokens[block], g);
        return this;
    }

    /** d / d the attention probabilities of block {@code block}, [B, H, T, T] (ViT only). */
    public IntermediateGradients addAttention(int block, INDArray g) {
        attention[block] = sum(attention[block], g);
        return this;
    }

    /** d / d the final LayerNorm's output tokens, [B, T, D]. */
    public IntermediateGradients addFinalNorm(INDArray g) {
        finalNorm = sum(finalNorm, g);
        return this;
    }

    /** d / d the pooled features the classifier reads, [B, D]. */
    public IntermediateGradients addPooled(INDArray g) {
        pooled = sum(pooled, g);
        return this;
    }

    /** d / d logits, [B, classes]. */
    public IntermediateGradients addLogits(INDArray g) {
        logits = sum(logits, g);
        return this;
    }

    public INDArray patchEmbed() {
        return patchEmbed;
    }

    public INDArray embedded() {
        return embedded;
    }

    public INDArray blockTokens(int block) {
        return blockTokens[block];
    }

    public INDArray attention(int block) {
        return attention[block];
    }

    public INDArray finalNorm() {
        return finalNorm;
    }

    public INDArray pooled() {
        return pooled;
    }

    public INDArray logits() {
        return logits;
    }

    /** The first gradient is kept as given (no copy); a second one makes a new sum, so no caller's array changes. */
    private static INDArray sum(INDArray have, INDArray add) {
        return have == null ? add : have.add(add);
    }
}
