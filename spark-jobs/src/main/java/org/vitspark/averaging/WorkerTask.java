package org.vitspark.averaging;

import java.io.Serializable;
import org.vitspark.data.shard.DataPosition;

/**
 * One worker's part of one averaging round, built by the driver: where its stream starts and how many
 * minibatches it trains. Everything a retried task needs to redo the same work, bit for bit.
 * A plain class: Spark's Kryo cannot serialise records.
 */
public final class WorkerTask implements Serializable {

    private static final long serialVersionUID = 1L;

    final int worker;
    final int round;
    /** The averaged network's iteration count at the start of the round (schedule, Adam, dropout masks). */
    final int step;
    /** 0-based epoch. */
    public final int epoch;
    final DataPosition start;
    final int batches;

    WorkerTask(int worker, int round, int step, int epoch, DataPosition start, int batches) {
        this.worker = worker;
        this.round = round;
        this.step = step;
        this.epoch = epoch;
        this.start = start;
        this.batches = batches;
    }
}
