package org.vitspark.averaging;

import java.io.Serializable;
import java.util.List;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.train.StepTotals;

/** What one worker reports about its round besides parameters: metrics, timings, where its stream stopped. */
public final class WorkerReport implements Serializable {

    private static final long serialVersionUID = 1L;

    final int worker;
    final StepTotals totals;
    /** Where the worker's next round starts. */
    final DataPosition next;
    /** Null, or what went non-finite (round, partition, iteration, values). */
    final String nonFinite;
    /** Keys of the examples trained on, with train.key-audit; else null. */
    final List<String> keys;
    /** Building the network from the broadcast. */
    final double initSeconds;
    /** Waiting for the shard reader. */
    final double dataSeconds;
    /** Forward, backward, SAM and update. */
    final double computeSeconds;

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
