package org.vitspark.optim;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Decoupled weight decay (DL4J's {@link WeightDecay} with the learning rate applied, i.e. AdamW's
 * p ← p − lr·wd·p) that skips the first {@code delay} iterations: the companion of {@link DelayedAdam}
 * for a frozen tensor, which PyTorch's AdamW leaves entirely alone while its gradient is None.
 */
public final class DelayedWeightDecay implements Regularization {

    private static final long serialVersionUID = 1L;

    private final ISchedule coefficient;
    private final long delay;

    public DelayedWeightDecay(@JsonProperty("coefficient") ISchedule coefficient, @JsonProperty("delay") long delay) {
        this.coefficient = Objects.requireNonNull(coefficient);
        this.delay = delay;
    }

    @JsonProperty("coefficient")
    public ISchedule coefficient() {
        return coefficient;
    }

    @JsonProperty("delay")
    public long delay() {
        return delay;
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.POST_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        if (iteration >= delay) {
            new WeightDecay(coefficient, true).apply(param, gradView, lr, iteration, epoch);
        }
    }

    @Override
    public double score(INDArray param, int iteration, int epoch) {
        return 0; // decoupled decay is not part of the loss
    }

    @Override
    public Regularization clone() {
        return new DelayedWeightDecay(coefficient.clone(), delay);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelayedWeightDecay d && d.delay == delay && d.coefficient.equals(coefficient);
    }

    @Override
    public int hashCode() {
        return Objects.hash(coefficient, delay);
    }
}
