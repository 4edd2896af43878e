package org.vitspark.checkpoint;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loaded checkpoint: training state, flat parameters, updater state (null when updater state is not
 * kept) and the resolved config it was written with.
 */
public record Checkpoint(String name, TrainState state, INDArray params, INDArray updater, String config) {
}
