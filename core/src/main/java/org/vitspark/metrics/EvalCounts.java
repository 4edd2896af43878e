package org.vitspark.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A classifier's evaluation counts over some batches: DL4J's Evaluation (top-1 and top-5) and the summed
 * cross-entropy of the true class. Counts merge, so distributed tasks evaluate parts and the driver adds
 * them; the local trainer fills one.
 */
public final class EvalCounts implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Evaluation eval;
    private double lossSum;
    private long images;

    public EvalCounts(List<String> classes) {
        // A mutable copy: Kryo rebuilds lists by adding to them, which an immutable list refuses.
        this.eval = new Evaluation(new ArrayList<>(classes), Math.min(5, classes.size()));
    }

    /** Adds a batch: one-hot (or soft) labels and the network's class probabilities. */
    public void add(INDArray labels, INDArray probs) {
        eval.eval(labels, probs);
        // Cross-entropy of the true class: -Σ y·log p, p floored so a confident miss stays finite.
        lossSum -= Transforms.log(Transforms.max(probs, 1e-12), false).mul(labels).sumNumber().doubleValue();
        images += labels.size(0);
    }

    public EvalCounts merge(EvalCounts o) {
        eval.merge(o.eval);
        lossSum += o.lossSum;
        images += o.images;
        return this;
    }

    public long images() {
        return images;
    }

    public double loss() {
        return lossSum / images;
    }

    public double top1() {
        return eval.accuracy();
    }

    public double top5() {
        return eval.topNAccuracy();
    }
}
