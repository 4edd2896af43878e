package org.vitspark.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ParamLayout;

/**
 * A training objective on the named intermediates of one forward pass: given the pass (logits, pooled
 * features, final-norm tokens, block tokens, attention, the embedding before and after the position
 * embedding) and the batch's targets, it returns the loss and its named terms, and on request adds the
 * loss's gradients with respect to those intermediates, which {@link org.vitspark.model.TransformerNet#backward}
 * carries down into the model's parameters.
 *
 * <p>An objective may own tensors (a projection head, a patch head): {@link #params()} names them, and
 * they are appended after the model's parameters in the one flat vector, so the updater, the Spark
 * averaging and the checkpoints treat them like any model parameter ({@link ParamLayout#of(org.vitspark.model.ModelSpec, List)}).
 */
public interface Objective {

    /** The name its terms are logged under (metrics.jsonl, TensorBoard). */
    String name();

    /** Tensors this objective owns, by full name (prefix them with {@code objective.<name>.}). */
    default List<ParamLayout.Extra> params() {
        return List.of();
    }

    /** Whether it reads more than the logits (an inference pass must then keep the intermediates too). */
    default boolean needsIntermediates() {
        return true;
    }

    /** Whether it reads {@link Forward#patchEmbed()} (the forward pass must then keep it). */
    default boolean needsPatchEmbed() {
        return false;
    }

    /**
     * The loss on one batch.
     *
     * @param f a forward pass run with {@code keep}
     * @param targets [B, classes] soft targets (one-hot, or mixed by CutMix/Mixup)
     * @param own views of this objective's tensors by name (empty when it owns none)
     * @param ownGrads where to write (assign) the gradients of its tensors, times {@code scale}; null with {@code grads}
     * @param grads where to add d loss / d intermediates times {@code scale}; null for the loss alone
     * @param scale the weight the caller gives this objective (1 for a lone objective)
     */
    ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own, Map<String, INDArray> ownGrads,
                            IntermediateGradients grads, double scale);
}
