package org.vitspark.averaging;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Carries the driver's iteration and epoch counts into each worker's network. DL4J 1.0.0-M2's
 * ParameterAveragingTrainingWorker builds the worker's network from {@code configuration.clone()}, and
 * ComputationGraphConfiguration.clone() drops both counts, so every round restarted at iteration 0: the
 * learning-rate schedule never left its first warm-up steps and Adam's bias correction restarted
 * (docs/decisions.md D15). Runs before each minibatch's fit, so even the first forward pass of a round
 * (and its dropout masks, which SAM replays) sees the right count.
 */
public final class IterationCountHook implements TrainingHook {

    private volatile int iteration;
    private volatile int epoch;

    /** Called on the driver before each round: the counts the averaged network has reached. */
    public void set(int iteration, int epoch) {
        this.iteration = iteration;
        this.epoch = epoch;
    }

    private void apply(Model model) {
        var conf = ((ComputationGraph) model).getConfiguration();
        // Within a round the worker's own count runs ahead of the base; only a reset count is below it.
        if (conf.getIterationCount() < iteration) {
            conf.setIterationCount(iteration);
        }
        conf.setEpochCount(epoch);
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        apply(model);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        apply(model);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
