package org.vitspark.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.buffer.DataType;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.Settings;
import org.vitspark.network.Networks;
import org.vitspark.spark.SparkContexts;

/**
 * The fixed Spark costs an averaging round pays whatever its workers do, with vitspark's Spark settings:
 * an empty job of two tasks (submission, scheduling, launch, result, completion) and the broadcast of a
 * variant's configuration, parameters and Adam moments as a round creates it (then destroyed, as a round
 * does). Prints median, 10th and 90th percentile per block of 100, since Spark's code paths speed up over
 * the first few hundred jobs of a JVM. Usage: {@code JobLatencyBench [VARIANT=tiny] [JOBS=500] [MASTER=local[2]]}.
 */
public final class JobLatencyBench {

    private static final int BLOCK = 100;

    private JobLatencyBench() {
    }

    public static void main(String[] args) {
        String variant = args.length > 0 ? args[0] : "tiny";
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        String master = args.length > 2 ? args[2] : "local[2]";
        Settings s = ConfigLoader.standard().load(new ConfigSources(null, new Properties(), List.of(
                "model.variant=" + variant, "spark.master=\"" + master + "\""))).settings();
        ComputationGraph net = Networks.build(s.model(), s.optim().forSteps(1000, 1), 1, DataType.FLOAT);
        try (JavaSparkContext sc = SparkContexts.start(s, "job-latency-bench")) {
            List<Integer> two = List.of(0, 1);
            double[] job = new double[jobs];
            for (int i = 0; i < jobs; i++) {
                long t = System.nanoTime();
                sc.parallelize(two, two.size()).mapPartitions(it -> it).collect();
                job[i] = (System.nanoTime() - t) / 1e6;
            }
            print("empty job of 2 tasks", job);
            double[] bc = new double[jobs];
            for (int i = 0; i < jobs; i++) {
                long t = System.nanoTime();
                Broadcast<NetBroadcastTuple> b = sc.broadcast(new NetBroadcastTuple(net.getConfiguration(),
                        net.params(), net.getUpdater().getStateViewArray()));
                bc[i] = (System.nanoTime() - t) / 1e6;
                b.destroy(false);
            }
            print(String.format("broadcast of %s (%,d params and 2 moments)", variant, net.numParams()), bc);
        }
    }

    private static void print(String what, double[] ms) {
        for (int from = 0; from < ms.length; from += BLOCK) {
            double[] b = Arrays.copyOfRange(ms, from, Math.min(ms.length, from + BLOCK));
            Arrays.sort(b);
            System.out.printf("%s, calls %d-%d: median %.2f ms, p10 %.2f, p90 %.2f%n", what, from + 1,
                    from + b.length, b[b.length / 2], b[b.length / 10], b[b.length * 9 / 10]);
        }
    }
}
