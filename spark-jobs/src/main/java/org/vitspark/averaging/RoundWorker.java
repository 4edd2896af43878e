package org.vitspark.averaging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.network.TrainedLayer;
import org.vitspark.shard.ShardBatch;
import org.vitspark.train.WorkerStep;
import org.vitspark.dataset.WorkerData;
import org.vitspark.dataset.WorkerStreams;
import org.vitspark.spark.GpuBinding;
import org.vitspark.spark.WorkerThreads;
import org.vitspark.metrics.Stopwatch;

/**
 * The executor side of a round: the network holds the broadcast parameters and updater state (built by
 * DL4J's ParameterAveragingTrainingWorker in a worker's first round on an executor, kept for its next
 * rounds by {@link ExecutorNetworks}), and that worker takes each optimiser step (the step listener runs
 * SAM's second pass inside it), on minibatches this worker streams from its own shards, starting at the
 * position the driver gave. Returns the worker's parameters, updater state and report as a leaf of the
 * ordered averaging sum.
 */
final class RoundWorker implements FlatMapFunction<Iterator<WorkerTask>, PartialSum> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<NetBroadcastTuple> net;
    /** Names the network being trained: an executor keeps one training's networks between rounds. */
    private final String training;
    private final WorkerData data;
    private final WorkerStep step;
    private final List<TrainingListener> extraListeners;
    private final boolean saveUpdater;
    private final boolean audit;

    RoundWorker(Broadcast<NetBroadcastTuple> net, String training, WorkerData data, WorkerStep step,
                List<TrainingListener> extraListeners, boolean saveUpdater, boolean audit) {
        this.net = net;
        this.training = training;
        this.data = data;
        this.step = step;
        this.extraListeners = extraListeners;
        this.saveUpdater = saveUpdater;
        this.audit = audit;
    }

    @Override
    public Iterator<PartialSum> call(Iterator<WorkerTask> tasks) {
        List<PartialSum> out = new ArrayList<>();
        while (tasks.hasNext()) {
            out.add(run(tasks.next(), net.getValue()));
        }
        return out.iterator();
    }

    /**
     * Trains {@code task} from {@code state}'s parameters and updater state: the round's broadcast, or
     * what the driver sent over a round segment's connection ({@link SegmentWorker}).
     */
    PartialSum run(WorkerTask task, NetBroadcastTuple state) {
        Stopwatch t0 = Stopwatch.start();
        int device = GpuBinding.bind();
        WorkerThreads.apply();
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(step);
        listeners.addAll(extraListeners);
        ParameterAveragingTrainingWorker worker = new ParameterAveragingTrainingWorker(net, saveUpdater,
                new WorkerConfiguration(true, 1, data.settings.batch(), task.batches, 0, false), null, listeners, null);
        ComputationGraph g = ExecutorNetworks.take(training, task.worker, device, task.round, state,
                worker::getInitialModelGraph);
        g.setListeners(listeners);
        // A network the module's worker built comes from a configuration clone, which drops the iteration
        // and epoch counts (D15), and a kept one has its last round's: the schedule, Adam's bias correction
        // and dropout masks need this round's.
        g.getConfiguration().setIterationCount(task.step);
        g.getConfiguration().setEpochCount(task.epoch);
        ((TrainedLayer) g.getOutputLayer(0)).setPartition(task.worker);
        step.take();
        step.clearNonFinite();
        double init = t0.seconds();

        WorkerStreams.Stream stream = WorkerStreams.take(data, task.worker, task.start);
        Iterator<ShardBatch> batches = stream.batches;
        DataPosition next = task.start;
        List<String> keys = audit ? new ArrayList<>() : null;
        double dataSeconds = 0;
        double compute = 0;
        String nonFinite = null;
        int trained = 0;
        try {
            while (trained < task.batches) {
                Stopwatch d0 = Stopwatch.start();
                if (!batches.hasNext()) {
                    break;
                }
                ShardBatch b = batches.next();
                dataSeconds += d0.seconds();
                Stopwatch c0 = Stopwatch.start();
                worker.processMinibatch(b.data(), g, false);
                compute += c0.seconds();
                next = b.next();
                trained++;
                if (keys != null) {
                    keys.addAll(b.keys());
                }
                if (step.nonFinite() != null) {
                    nonFinite = String.format("round %d, partition %d, step %d of the round (%s)", task.round,
                            task.worker, trained, step.nonFinite());
                    break;
                }
            }
        } catch (RuntimeException e) {
            WorkerStreams.discard(stream);
            throw e;
        }
        WorkerStreams.giveBack(data, task.worker, stream, next);
        WorkerReport report = new WorkerReport(task.worker, step.take(), next, nonFinite, keys, init, dataSeconds,
                compute);
        PartialSum leaf;
        if (trained == 0 || nonFinite != null) {
            // No data, or parameters that must never reach an average: the driver skips or stops on the report.
            leaf = PartialSum.of(report, null, null);
        } else {
            // views of the kept network: Spark serialises a task's result before the task ends, and the
            // network's next round starts only after the driver has averaged this one
            ParameterAveragingTrainingResult r = worker.getFinalResult(g);
            leaf = PartialSum.of(report, r.getParameters(), r.getUpdaterState());
        }
        ExecutorNetworks.giveBack(training, task.worker, device, task.round, g);
        return leaf;
    }

}
