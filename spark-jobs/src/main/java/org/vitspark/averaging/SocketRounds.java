package org.vitspark.averaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.metrics.Stopwatch;

/**
 * When rounds go over the driver's socket ({@link RoundSegment}) and when they fall back to a Spark job
 * each: a segment opens at the first round after a pause and stays open until the trainer pauses it (an
 * evaluation needs the task slots) or the run ends. Rounds of more workers than one level of the
 * averaging tree, a Spark master with encrypted networking (the socket is plain TCP), a segment that
 * cannot start, and a third lost segment all mean Spark jobs from then on; a lost segment's round runs
 * again as a Spark job, from the same state and so to the same bits.
 */
final class SocketRounds {

    /** Lost segments after which a run stops trying. */
    private static final int MAX_FAILURES = 3;

    private final JavaSparkContext sc;
    private final int waitSeconds;
    private final PrintWriter out;
    private boolean disabled;
    private int failures;
    private RoundSegment segment;
    /** The state the open segment's workers build their networks from in its first round. */
    private Broadcast<NetBroadcastTuple> opening;
    /** Seconds the last round spent opening its segment (0 when one was open). */
    double openSeconds;

    SocketRounds(JavaSparkContext sc, boolean enabled, int waitSeconds, PrintWriter out) {
        this.sc = sc;
        this.waitSeconds = waitSeconds;
        this.out = out;
        this.disabled = !enabled;
        if (enabled && encrypted(sc)) {
            disable("Spark's network encryption is on and the driver's round socket is not encrypted");
        }
    }

    /**
     * The round's sum over the workers in worker order, trained in the open segment (opened first if
     * needed), or null when this round is to run as a Spark job.
     */
    PartialSum round(ComputationGraph net, List<WorkerTask> tasks, INDArray updater,
                           Function<Broadcast<NetBroadcastTuple>, RoundWorker> workers) {
        openSeconds = 0;
        if (disabled || tasks.size() > AveragingTree.FAN_IN) {
            return null;
        }
        if (segment == null) {
            Stopwatch t = Stopwatch.start();
            opening = sc.broadcast(new NetBroadcastTuple(net.getConfiguration(), net.params(), updater));
            try {
                segment = RoundSegment.open(sc, workers.apply(opening), tasks.size(), waitSeconds);
            } catch (IOException e) {
                release();
                disable("the round segment did not start: " + e.getMessage());
                return null;
            }
            openSeconds = t.seconds();
        }
        try {
            return segment.round(tasks, net.params(), updater);
        } catch (IOException e) {
            segment.abort();
            segment = null;
            release();
            failures++;
            out.printf("WARNING: round %d: the round segment was lost (%s); the round runs again as a Spark job%n",
                    tasks.get(0).round, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            if (failures >= MAX_FAILURES) {
                disable(failures + " round segments were lost");
            }
            out.flush();
            return null;
        }
    }

    /** Ends the open segment, if any: its tasks return and the executors keep the workers' networks. */
    void pause() {
        if (segment == null) {
            return;
        }
        try {
            segment.close();
        } catch (IOException e) {
            out.printf("WARNING: the round segment did not end cleanly (%s)%n", e.getMessage());
            out.flush();
        } finally {
            segment = null;
            release();
        }
    }

    private void release() {
        if (opening != null) {
            opening.destroy(false);
            opening = null;
        }
    }

    private void disable(String why) {
        if (!disabled) {
            out.println("averaging: " + why + "; every round runs as a Spark job (train.averaging-channel = jobs)");
            out.flush();
        }
        disabled = true;
    }

    private static boolean encrypted(JavaSparkContext sc) {
        return sc.getConf().getBoolean("spark.network.crypto.enabled", false)
                || sc.getConf().getBoolean("spark.ssl.enabled", false);
    }
}
