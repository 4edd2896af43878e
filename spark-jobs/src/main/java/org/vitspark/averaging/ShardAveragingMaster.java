package org.vitspark.averaging;

import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.config.TrainSettings;
import org.vitspark.train.WorkerStep;
import org.vitspark.dataset.WorkerData;
import org.vitspark.metrics.Stopwatch;

/**
 * Parameter averaging over shard-reading workers, one round per call: send the network's state to every
 * worker, let each train its minibatches from its own data position (DL4J's
 * ParameterAveragingTrainingWorker inside {@link RoundWorker}), sum the results in worker order and set the
 * mean into the driver's network. The state travels over the workers' connections to the driver while a
 * round segment is open ({@link SocketRounds}, D39), else through a Spark job of its own: a broadcast
 * (DL4J's NetBroadcastTuple) and the tasks' results. It replaces ParameterAveragingTrainingMaster's driver
 * half, which takes an RDD of DataSets (docs/decisions.md D21).
 */
public final class ShardAveragingMaster implements AutoCloseable {

    /**
     * A finished round: the reports of every worker and where the time went on the driver (creating the
     * broadcast, the Spark job or the segment's exchange, the ordered sum of the partial sums, setting the
     * mean) and in Spark around the workers' own work ({@link RoundTimer.Timing}). A segment's round has
     * no broadcast, forms its sum while the results arrive (inside the exchange's time) and counts its
     * segment's opening, if it opened one, as launch; its other Spark figures are zero.
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
    private final SocketRounds sockets;
    /** The network this master's rounds train and its name for the executors' kept networks. */
    private ComputationGraph trained;
    private String training;

    public ShardAveragingMaster(JavaSparkContext sc, WorkerData data, WorkerStep stepListener,
                                List<TrainingListener> extraListeners, TrainSettings train, PrintWriter out) {
        this.sc = sc;
        this.data = data;
        this.stepListener = stepListener;
        this.extraListeners = extraListeners;
        this.averageUpdater = train.averageUpdater();
        this.audit = train.keyAudit();
        this.sockets = new SocketRounds(sc, train.averagingChannel() == TrainSettings.AveragingChannel.SOCKET,
                train.socketWaitSeconds(), out);
        sc.sc().addSparkListener(timer);
    }

    /** Frees the task slots the workers hold between rounds: call before any other Spark job (an evaluation). */
    public void pause() {
        sockets.pause();
    }

    /** Ends the workers' tasks and stops listening to the Spark context's events. */
    @Override
    public void close() {
        sockets.pause();
        sc.sc().removeSparkListener(timer);
    }

    /** Runs one round of {@code tasks} (one per worker) from {@code net}'s state and updates {@code net}. */
    public Round round(ComputationGraph net, List<WorkerTask> tasks) {
        if (net != trained) {
            sockets.pause();
            trained = net;
            training = UUID.randomUUID().toString();
        }
        INDArray state = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray(); // null: SGD has none
        INDArray updater = averageUpdater ? state : null;
        Stopwatch t1 = Stopwatch.start();
        PartialSum summed = sockets.round(net, tasks, updater, this::worker);
        if (summed != null) {
            double opening = sockets.openSeconds;
            return average(net, List.of(summed), 0, t1.seconds() - opening, opening, RoundTimer.Timing.NONE);
        }
        Stopwatch t0 = Stopwatch.start();
        // The network's own arrays, not copies: the broadcast serialises them before it returns, and where a
        // task reads the driver's value itself (a local master) it only copies from it, while this network
        // changes only after the round's job has ended.
        Broadcast<NetBroadcastTuple> bc = sc.broadcast(new NetBroadcastTuple(net.getConfiguration(), net.params(),
                updater));
        double broadcast = t0.seconds();
        t1 = Stopwatch.start();
        List<PartialSum> top;
        String id = timer.begin(sc, AveragingTree.topCount(tasks.size()));
        try {
            top = AveragingTree.top(sc.parallelize(tasks, tasks.size()).mapPartitions(worker(bc)), tasks.size());
        } catch (RuntimeException e) {
            timer.finish(sc, id);
            throw e;
        } finally {
            bc.destroy(false);
        }
        double job = t1.seconds();
        // last: by now Spark's listener bus has almost always delivered the tasks' end events
        return average(net, top, broadcast, job, 0, timer.finish(sc, id));
    }

    private RoundWorker worker(Broadcast<NetBroadcastTuple> bc) {
        return new RoundWorker(bc, training, data, stepListener, extraListeners, averageUpdater, audit);
    }

    /** Sums the partial sums in worker order and sets the mean into {@code net}. */
    private Round average(ComputationGraph net, List<PartialSum> top, double broadcast, double job, double opening,
                          RoundTimer.Timing timing) {
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
        return new Round(sum, broadcast, job, summing, apply, opening + timing.launch(), timing.deserialize(),
                timing.serialize(), timing.fetch());
    }

}
