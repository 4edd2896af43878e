package org.vitspark.averaging;

import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.train.WorkerStep;
import org.vitspark.dataset.WorkerData;
import org.vitspark.metrics.Stopwatch;

/**
 * Parameter averaging over shard-reading workers, one round per call: broadcast the network (DL4J's
 * NetBroadcastTuple), let every worker train its minibatches from its own data position (DL4J's
 * ParameterAveragingTrainingWorker inside {@link RoundWorker}), sum the results in worker order and set the
 * mean into the driver's network. It replaces ParameterAveragingTrainingMaster's driver half, which takes
 * an RDD of DataSets (docs/decisions.md D21).
 */
public final class ShardAveragingMaster implements AutoCloseable {

    /**
     * A finished round: the reports of every worker and where the time went on the driver (creating the
     * broadcast, the Spark job, the ordered sum of the partial sums it returned, setting the mean) and in
     * Spark around the workers' own work ({@link RoundTimer.Timing}).
     */
    public record Round(PartialSum sum, double broadcastSeconds, double jobSeconds, double sumSeconds,
                        double applySeconds, double launchSeconds, double deserializeSeconds,
                        double resultSerializeSeconds, double resultFetchSeconds) {

        public java.util.Collection<WorkerReport> reports() {
            return sum.reports.values();
        }
    }

    private final JavaSparkContext sc;
    private final WorkerData data;
    private final WorkerStep stepListener;
    private final List<TrainingListener> extraListeners;
    private final boolean averageUpdater;
    private final boolean audit;
    private final RoundTimer timer = new RoundTimer();
    /** The network this master's rounds train and its name for the executors' kept networks. */
    private ComputationGraph trained;
    private String training;

    public ShardAveragingMaster(JavaSparkContext sc, WorkerData data, WorkerStep stepListener,
                         List<TrainingListener> extraListeners, boolean averageUpdater, boolean audit) {
        this.sc = sc;
        this.data = data;
        this.stepListener = stepListener;
        this.extraListeners = extraListeners;
        this.averageUpdater = averageUpdater;
        this.audit = audit;
        sc.sc().addSparkListener(timer);
    }

    /** Stops listening to the Spark context's events. */
    @Override
    public void close() {
        sc.sc().removeSparkListener(timer);
    }

    /** Runs one round of {@code tasks} (one per worker) from {@code net}'s state and updates {@code net}. */
    public Round round(ComputationGraph net, List<WorkerTask> tasks) {
        Stopwatch t0 = Stopwatch.start();
        INDArray state = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray(); // null: SGD has none
        // The network's own arrays, not copies: the broadcast serialises them before it returns, and where a
        // task reads the driver's value itself (a local master) it only copies from it, while this network
        // changes only after the round's job has ended.
        Broadcast<NetBroadcastTuple> bc = sc.broadcast(new NetBroadcastTuple(net.getConfiguration(), net.params(),
                averageUpdater ? state : null));
        double broadcast = t0.seconds();
        Stopwatch t1 = Stopwatch.start();
        List<PartialSum> top;
        String id = timer.begin(sc, AveragingTree.topCount(tasks.size()));
        try {
            if (net != trained) {
                trained = net;
                training = UUID.randomUUID().toString();
            }
            RoundWorker worker = new RoundWorker(bc, training, data, stepListener, extraListeners, averageUpdater,
                    audit);
            top = AveragingTree.top(sc.parallelize(tasks, tasks.size()).mapPartitions(worker), tasks.size());
        } catch (RuntimeException e) {
            timer.finish(sc, id);
            throw e;
        } finally {
            bc.destroy(false);
        }
        double job = t1.seconds();
        Stopwatch ts = Stopwatch.start();
        PartialSum sum = PartialSum.inOrder(0, top);
        double summing = ts.seconds();
        Stopwatch t2 = Stopwatch.start();
        if (sum.contributors > 0) {
            net.setParams(sum.params.divi(sum.contributors));
            if (sum.updater != null) {
                net.getUpdater().getStateViewArray().assign(sum.updater.divi(sum.contributors));
            }
        }
        double apply = t2.seconds();
        // last: by now Spark's listener bus has almost always delivered the tasks' end events
        RoundTimer.Timing timing = timer.finish(sc, id);
        return new Round(sum, broadcast, job, summing, apply, timing.launch(), timing.deserialize(),
                timing.serialize(), timing.fetch());
    }

}
