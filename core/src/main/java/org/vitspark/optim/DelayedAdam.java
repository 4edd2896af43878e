package org.vitspark.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Adam for a tensor that is frozen for the first {@code delay} iterations: DINO's last-layer freeze
 * ({@code cancel_gradients_last_layer} sets p.grad = None, so PyTorch's AdamW skips the tensor entirely).
 * While frozen the update is zero and the moments stay untouched (not a zeroed gradient, which would
 * still decay them); afterwards it is DL4J's Adam (the same native op, ε outside the bias correction) with
 * the bias-correction step counted from the first unfrozen iteration, as PyTorch's per-tensor step count
 * does, and the learning rate of the global iteration. Weight decay is skipped as well while frozen
 * ({@link DelayedWeightDecay}).
 */
public final class DelayedAdam implements IUpdater {

    private static final long serialVersionUID = 1L;

    private final Adam adam;
    private final long delay;

    public DelayedAdam(@JsonProperty("adam") Adam adam, @JsonProperty("delay") long delay) {
        this.adam = Objects.requireNonNull(adam);
        this.delay = delay;
    }

    @JsonProperty("adam")
    public Adam adam() {
        return adam;
    }

    @JsonProperty("delay")
    public long delay() {
        return delay;
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        Updater u = new Updater(this);
        u.setState(state, initialize);
        return u;
    }

    @Override
    public IUpdater clone() {
        return new DelayedAdam(adam.clone(), delay);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return adam.getLearningRate(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        adam.setLrAndSchedule(lr, schedule);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelayedAdam d && d.delay == delay && d.adam.equals(adam);
    }

    @Override
    public int hashCode() {
        return Objects.hash(adam, delay);
    }

    /** The per-block state: first and second moments, as DL4J's Adam lays them out ([m | v]). */
    static final class Updater implements GradientUpdater<DelayedAdam> {
        private final DelayedAdam config;
        private INDArray m;
        private INDArray v;

        Updater(DelayedAdam config) {
            this.config = config;
        }

        @Override
        public DelayedAdam getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            m = state.get("M");
            v = state.get("V");
            if (m == null || v == null) {
                throw new IllegalStateException("Adam state needs M and V, got " + state.keySet());
            }
            if (initialize) {
                m.assign(0);
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            Map<String, INDArray> out = new LinkedHashMap<>();
            out.put("M", m);
            out.put("V", v);
            return out;
        }

        @Override
        public void setStateViewArray(INDArray view, long[] gradientShape, char order, boolean initialize) {
            long n = view.length() / 2;
            INDArray row = view.reshape(view.length());
            if (initialize) {
                row.assign(0);
            }
            m = row.get(NDArrayIndex.interval(0, n));
            v = row.get(NDArrayIndex.interval(n, 2 * n));
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (iteration < config.delay) {
                gradient.assign(0); // the update DL4J subtracts: none, and the moments stay as they are
                return;
            }
            Adam a = config.adam;
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(gradient, v.reshape(gradient.shape()),
                    m.reshape(gradient.shape()), a.getLearningRate(iteration, epoch), a.getBeta1(), a.getBeta2(),
                    a.getEpsilon(), (int) (iteration - config.delay)));
        }
    }
}
