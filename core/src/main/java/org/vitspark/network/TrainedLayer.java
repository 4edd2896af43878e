package org.vitspark.network;

import java.util.Map;
import org.vitspark.objective.ObjectiveValue;

/** What the step listener and the Spark worker need from the network's one layer, supervised or self-supervised. */
public interface TrainedLayer {

    /** Mixes a data-parallel worker's index into its dropout masks. */
    void setPartition(int partition);

    /** Examples of the last training step whose prediction matched the label, and the batch size ({0, B} without labels). */
    long[] lastCorrectOf();

    /** The objective's value on the last training pass when it has named terms, else null. */
    ObjectiveValue lastObjectiveValue();

    /** Scalars of the last training step to be averaged into the round's metrics (collapse monitors), by name. */
    default Map<String, Double> lastMonitors() {
        return Map.of();
    }
}
