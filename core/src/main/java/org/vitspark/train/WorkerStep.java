package org.vitspark.train;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.vitspark.network.TrainedLayer;
import org.vitspark.objective.ObjectiveValue;
import org.vitspark.optim.SamListener;
import org.vitspark.metrics.Stopwatch;

/**
 * The one listener a training network carries, locally and on every Spark worker. Between DL4J's
 * gradient computation and its update it records the clean loss L(w) and the clean pass's accuracy, runs
 * SAM (when configured) so the gradient becomes g(w + ε), then records the applied gradient's norm and
 * checks that loss and gradient are finite. A non-finite step is remembered with its iteration; the
 * caller decides (train.nan-policy) and never lets such parameters reach an average or a checkpoint.
 * Reads only: with or without it the parameters after a step are bit for bit the same.
 */
public final class WorkerStep extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SamListener sam;
    private transient StepTotals totals;
    private transient String nonFinite;

    /** @param sam SAM's ascent + second pass, or null for a plain step */
    public WorkerStep(SamListener sam) {
        this.sam = sam;
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph graph = (ComputationGraph) model;
        StepTotals t = totals();
        double clean = graph.score();
        TrainedLayer layer = (TrainedLayer) graph.getOutputLayer(0);
        long[] correct = layer.lastCorrectOf(); // before SAM's second pass
        addTerms(t, layer.lastObjectiveValue());
        layer.lastMonitors().forEach((k, x) -> t.monitorSums.merge(k, x, Double::sum));
        t.correct += correct[0];
        long n = correct[1];
        double loss = clean;
        if (sam != null) {
            Stopwatch s0 = Stopwatch.start();
            sam.onGradientCalculation(model);
            t.samSeconds += s0.seconds();
            loss = sam.lastPerturbedLoss();
        }
        // One reduction gives the norm and the finiteness check: a NaN or Inf anywhere makes it non-finite.
        double norm = graph.getGradientsViewArray().norm2Number().doubleValue();
        int iteration = graph.getConfiguration().getIterationCount();
        if (nonFinite == null && !(Double.isFinite(clean) && Double.isFinite(loss) && Double.isFinite(norm))) {
            nonFinite = String.format("iteration %d: loss %s, clean loss %s, gradient norm %s", iteration, loss,
                    clean, norm);
        }
        t.steps++;
        t.examples += n;
        t.lossSum += loss;
        t.cleanLossSum += clean;
        t.gradNormSum += norm;
    }

    /** The clean pass's per-term values and gradient-norm shares, when the objective has several terms. */
    private static void addTerms(StepTotals t, ObjectiveValue v) {
        if (v == null || v.terms().size() < 2) {
            return;
        }
        v.terms().forEach((k, x) -> t.termSums.merge(k, x, Double::sum));
        double total = v.gradientNorms().values().stream().mapToDouble(Double::doubleValue).sum();
        v.gradientNorms().forEach((k, x) -> t.gradShareSums.merge(k, total > 0 ? x / total : 0, Double::sum));
    }

    private StepTotals totals() {
        if (totals == null) {
            totals = new StepTotals();
        }
        return totals;
    }

    /** The totals since the last call, and a fresh start. */
    public StepTotals take() {
        StepTotals t = totals();
        totals = new StepTotals();
        return t;
    }

    /** The first non-finite step seen since {@link #clearNonFinite()}, or null. */
    public String nonFinite() {
        return nonFinite;
    }

    public void clearNonFinite() {
        nonFinite = null;
    }
}
