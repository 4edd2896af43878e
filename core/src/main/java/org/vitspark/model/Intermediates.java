package org.vitspark.model;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Named intermediates of one forward pass, for losses and probes that must not need a second model
 * (patch-diversity losses, over-smoothing, attention maps, neuron sparsity, DINO heads).
 *
 * @param patchEmbed the patch embedding before class token and position embedding, [B, N, D]; null unless
 *                   the pass kept it (always kept with a class token)
 * @param embedded the first block's input: class token and position embedding added, dropout applied, [B, T, D]
 * @param blockTokens tokens after each block, [B, T, D] each
 * @param attention attention probabilities per block, [B, H, T, T] each (empty for Mixer)
 * @param mlpHidden (channel-)MLP hidden activations after GELU per block, [B·T, M] each
 * @param tokenMlpHidden Mixer token-MLP hidden activations per block, [B·D, Dt] each (empty for ViT)
 * @param finalNorm tokens after the final LayerNorm, [B, T, D]
 * @param pooled the head's input: class token or mean token after the final LayerNorm, [B, D]
 * @param logits [B, classes]
 */
public record Intermediates(INDArray patchEmbed, INDArray embedded, List<INDArray> blockTokens,
                            List<INDArray> attention, List<INDArray> mlpHidden, List<INDArray> tokenMlpHidden,
                            INDArray finalNorm, INDArray pooled, INDArray logits) {
}
