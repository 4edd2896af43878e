package org.vitspark.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;

/**
 * A test objective that owns tensors: a second linear classifier on the pooled features, trained by
 * cross-entropy, L = CE(W·pooled + b, y). Its gradient reaches W and b (its own tensors) and, through the
 * pooled features, the model.
 */
public final class PooledProbe implements Objective {

    static final String W = "objective.pooledProbe.weight";
    static final String B = "objective.pooledProbe.bias";

    private final ModelSpec m;

    public PooledProbe(ModelSpec m, Map<String, String> options) {
        this.m = m;
    }

    @Override
    public String name() {
        return "pooledProbe";
    }

    @Override
    public List<ParamLayout.Extra> params() {
        return List.of(new ParamLayout.Extra(W, ParamLayout.Init.TRUNC_NORMAL, true, m.classes(), m.dim()),
                new ParamLayout.Extra(B, ParamLayout.Init.ZEROS, false, m.classes()));
    }

    @Override
    public ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own, Map<String, INDArray> ownGrads,
                                   IntermediateGradients g, double scale) {
        INDArray pooled = f.pooled();
        INDArray logits = pooled.mmul(own.get(W).transpose()).addiRowVector(own.get(B).reshape(1, m.classes()));
        double loss = SoftTargetCrossEntropy.mean(logits, targets, 0);
        if (g != null) {
            INDArray d = SoftTargetCrossEntropy.gradient(logits, targets, 0).muli(scale);
            ownGrads.get(W).assign(d.transpose().mmul(pooled));
            ownGrads.get(B).assign(d.sum(0).reshape(own.get(B).shape()));
            g.add(IntermediateGradients.Site.POOLED, d.mmul(own.get(W)));
        }
        return new ObjectiveValue(scale * loss, Map.of(name(), loss));
    }
}
