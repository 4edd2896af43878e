package org.vitspark.averaging;

import java.io.Serializable;
import org.apache.spark.util.DoubleAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Adds every worker minibatch's training loss to a Spark accumulator, so the driver can log the mean
 * loss of each averaging round (DL4J's own score only reaches the driver as an unreliable last value).
 */
final class LossListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    private final DoubleAccumulator losses;

    LossListener(DoubleAccumulator losses) {
        this.losses = losses;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        losses.add(model.score());
    }
}
