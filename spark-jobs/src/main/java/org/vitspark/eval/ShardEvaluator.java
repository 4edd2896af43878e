package org.vitspark.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.metrics.EvalCounts;
import org.vitspark.shard.ShardBatch;
import org.vitspark.shard.ShardReader;
import org.vitspark.dataset.WorkerData;
import org.vitspark.spark.GpuBinding;
import org.vitspark.spark.WorkerThreads;

/**
 * Distributed evaluation on a shard split: each task reads its share of the split's shards (evaluation
 * pipeline, manifest order, every image once), runs the network on it and returns counts; the driver
 * merges them into loss (mean cross-entropy, no label smoothing), top-1 and top-5.
 */
public final class ShardEvaluator {

    public record Result(long images, double loss, double top1, double top5) {
    }

    private ShardEvaluator() {
    }

    /** @param data the evaluation split's reader settings; its worker count is the number of tasks */
    public static Result evaluate(JavaSparkContext sc, ComputationGraph net, WorkerData data, List<String> classes) {
        Broadcast<NetBroadcastTuple> bc = sc.broadcast(new NetBroadcastTuple(net.getConfiguration(),
                net.params().dup(), null));
        try {
            List<Integer> tasks = new ArrayList<>();
            for (int i = 0; i < data.workers; i++) {
                tasks.add(i);
            }
            EvalCounts total = sc.parallelize(tasks, tasks.size())
                    .map(task -> part(bc.value(), data, task, classes))
                    .reduce(EvalCounts::merge);
            return new Result(total.images(), total.loss(), total.top1(), total.top5());
        } finally {
            bc.destroy(false);
        }
    }

    private static ComputationGraph network(NetBroadcastTuple t) {
        ComputationGraph net = new ComputationGraph(t.getGraphConfiguration().clone());
        net.init(t.getParameters().dup(), false);
        return net;
    }

    private static EvalCounts part(NetBroadcastTuple t, WorkerData data, int task, List<String> classes) {
        GpuBinding.bind();
        WorkerThreads.apply();
        ComputationGraph net = network(t);
        EvalCounts part = new EvalCounts(classes);
        if (data.settingsFor(task).shards().isEmpty()) {
            return part;
        }
        try (ShardReader reader = data.open(task)) {
            Iterator<ShardBatch> it = reader.epoch(DataPosition.start(0));
            while (it.hasNext()) {
                ShardBatch b = it.next();
                part.add(b.data().getLabels(), net.outputSingle(false, b.data().getFeatures()));
            }
        }
        Nd4j.getExecutioner().commit();
        return part;
    }
}
