package org.vitspark.averaging;

import java.io.Serializable;
import java.util.List;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.train.StepTotals;

/** What one worker reports about its round besides parameters: metrics, timings, where its stream stopped. */
public final class WorkerReport implements Serializable {

    private static final long serialVersionUID = 1L;

    public final int worker;
    public final StepTotals totals;
    /** Where the worker's next round starts. */
    public final DataPosition next;
    /** Null, or what went non-finite (round, partition, iteration, values). */
    public final String nonFinite;
    /** Keys of the examples trained on, with train.key-audit; else null. */
    public final List<String> keys;
    /** Building the network from the broadcast. */
    public final double initSeconds;
    /** Waiting for the shard reader. */
    public final double dataSeconds;
    /** Forward, backward, SAM and update. */
    public final double computeSeconds;

    WorkerReport(int worker, StepTotals totals, DataPosition next, String nonFinite, List<String> keys,
                 double initSeconds, double dataSeconds, double computeSeconds) {
        this.worker = worker;
        this.totals = totals;
        this.next = next;
        this.nonFinite = nonFinite;
        this.keys = keys;
        this.initSeconds = initSeconds;
        this.dataSeconds = dataSeconds;
        this.computeSeconds = computeSeconds;
    }
}
