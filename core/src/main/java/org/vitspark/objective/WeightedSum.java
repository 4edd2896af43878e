package org.vitspark.objective;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.Forward;
import org.vitspark.model.IntermediateGradients;
import org.vitspark.model.ParamLayout;

/**
 * Σ wᵢ·Lᵢ over objectives that compose: each adds its own weighted gradients into the shared
 * intermediate gradients (two terms on the same intermediate are summed there), and reports its own
 * unweighted terms.
 */
public final class WeightedSum implements Objective {

    /** One weighted part. */
    public record Part(Objective objective, double weight) {
    }

    private final List<Part> parts;

    public WeightedSum(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    @Override
    public String name() {
        return "sum";
    }

    @Override
    public List<ParamLayout.Extra> params() {
        List<ParamLayout.Extra> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(p.objective().params()));
        return all;
    }

    @Override
    public boolean needsIntermediates() {
        return parts.stream().anyMatch(p -> p.objective().needsIntermediates());
    }

    @Override
    public boolean needsPatchEmbed() {
        return parts.stream().anyMatch(p -> p.objective().needsPatchEmbed());
    }

    @Override
    public ObjectiveValue evaluate(Forward f, INDArray targets, Map<String, INDArray> own,
                                   Map<String, INDArray> ownGrads, IntermediateGradients grads, double scale) {
        double loss = 0;
        Map<String, Double> terms = new LinkedHashMap<>();
        Map<String, Double> norms = new LinkedHashMap<>();
        for (Part p : parts) {
            // each part's gradients apart first, to measure its share, then into the pass's
            IntermediateGradients own1 = grads == null ? null : new IntermediateGradients(f.spec().depth());
            ObjectiveValue v = p.objective().evaluate(f, targets, own, ownGrads, own1, scale * p.weight());
            loss += v.loss();
            v.terms().forEach((k, x) -> {
                if (terms.putIfAbsent(k, x) != null) {
                    throw new IllegalStateException("two objectives report a term named " + k);
                }
            });
            if (grads != null) {
                norms.put(p.objective().name(), f.gradientNormAtFinalNorm(own1));
                grads.addAll(own1);
            }
        }
        return new ObjectiveValue(loss, terms, norms);
    }
}
