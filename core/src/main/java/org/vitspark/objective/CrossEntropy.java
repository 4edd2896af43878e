package org.vitspark.objective;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.augment.MixedTargets;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;

/**
 * The classification objective: softmax cross-entropy of the logits against the (soft) targets with label
 * smoothing ε ({@link SoftTargetCrossEntropy}); its gradient goes in at the logits.
 */
public final class CrossEntropy implements Objective {

    public static final String NAME = "ce";

    private final double smoothing;

    public CrossEntropy(double smoothing) {
        this.smoothing = smoothing;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsIntermediates() {
        return false;
    }

    @Override
    public ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own,
                                   Map<String, INDArray> ownGrads, IntermediateGradients grads, double scale) {
        INDArray y = MixedTargets.classTargets(targets, (int) f.logits().size(1));
        double loss = SoftTargetCrossEntropy.mean(f.logits(), y, smoothing);
        if (grads != null) {
            INDArray d = SoftTargetCrossEntropy.gradient(f.logits(), y, smoothing);
            grads.add(IntermediateGradients.Site.LOGITS, scale == 1 ? d : d.muli(scale));
        }
        return new ObjectiveValue(scale * loss, Map.of(NAME, loss));
    }
}
