package org.vitspark.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.augment.MixedTargets;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;

/**
 * The patch-wise mixing loss of Gong et al. 2021: with patch-aligned CutMix, a linear patch head shared by
 * all patches classifies every final patch token (the final LayerNorm's output) against the label of the
 * image that patch came from, (1/n) Σ_i CE(g(h_i), y_i), with the class target's label smoothing; the
 * class head meanwhile trains on the mixed soft label (cross-entropy). The per-patch labels travel in the
 * batch's packed targets ({@link org.vitspark.augment.MixedTargets}); a batch without them gives every patch its image's label.
 * The head is this objective's own tensors: it trains, is averaged on Spark and is checkpointed with the
 * model (it is not part of the exported classifier).
 */
public final class PatchMixing implements Objective {

    public static final String NAME = "patch_mixing";
    static final String WEIGHT = "objective.patchMixing.head.weight";
    static final String BIAS = "objective.patchMixing.head.bias";

    private final ModelSpec m;
    private final double smoothing;

    public PatchMixing(ModelSpec m, double smoothing) {
        this.m = m;
        this.smoothing = smoothing;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParamLayout.Extra> params() {
        // initialised like the classifier (timm: truncated normal σ 0.02, zero bias); decayed like every matrix
        return List.of(new ParamLayout.Extra(WEIGHT, ParamLayout.Init.TRUNC_NORMAL, true, m.classes(), m.dim()),
                new ParamLayout.Extra(BIAS, ParamLayout.Init.ZEROS, false, m.classes()));
    }

    @Override
    public ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own,
                                   Map<String, INDArray> ownGrads, IntermediateGradients grads, double scale) {
        INDArray h3 = PatchTokens.of(f.finalNorm(), m);                           // [B, n, D]
        long b = h3.size(0);
        long n = h3.size(1);
        INDArray h = h3.reshape('c', b * n, m.dim());
        INDArray w = own.get(WEIGHT);
        INDArray bias = own.get(BIAS);
        INDArray logits = h.mmul(w.transpose()).addiRowVector(bias.reshape(1, m.classes()));
        INDArray y = MixedTargets.patchTargets(targets, m.classes(), (int) n).castTo(logits.dataType());
        double loss = SoftTargetCrossEntropy.mean(logits, y, smoothing);
        if (grads != null) {
            INDArray d = SoftTargetCrossEntropy.gradient(logits, y, smoothing).muli(scale);  // [B·n, C], of the mean
            ownGrads.get(WEIGHT).assign(d.transpose().mmul(h));
            ownGrads.get(BIAS).assign(d.sum(0).reshape(bias.shape()));
            grads.add(IntermediateGradients.Site.FINAL_NORM,
                    PatchTokens.scatter(d.mmul(w).reshape('c', b, n, m.dim()), m));
        }
        return new ObjectiveValue(scale * loss, Map.of(NAME, loss));
    }
}
