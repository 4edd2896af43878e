package org.vitspark.spark;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Before the first round, one task per worker reports the executor it landed on, the ND4J backend it
 * loaded, the device its thread is bound to and the memory it may use, so a misconfigured GPU executor
 * (CPU backend loaded, no device assigned) shows up before hours of training instead of as slowness.
 */
public final class Preflight {

    private Preflight() {
    }

    public static List<String> run(JavaSparkContext sc, int workers) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            ids.add(i);
        }
        sc.setJobDescription("preflight: backend, device and memory of " + workers + " workers");
        return sc.parallelize(ids, workers).map(Preflight::describe).collect();
    }

    static String describe(int worker) throws Exception {
        int gpu = GpuBinding.bind();
        SparkEnv env = SparkEnv.get();
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        int device = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        long offHeapLimit = Pointer.maxBytes();
        long physical = Pointer.maxPhysicalBytes();
        return String.format("worker %d: executor %s on %s, %s, device %d%s, heap max %,d MB, off-heap limit %,d MB"
                        + ", physical limit %,d MB, %d ND4J threads", worker, env == null ? "?" : env.executorId(),
                InetAddress.getLocalHost().getHostName(), backend, device,
                gpu >= 0 ? " (Spark-assigned GPU " + gpu + ")" : " (no GPU assigned)",
                Runtime.getRuntime().maxMemory() >> 20, offHeapLimit >> 20, physical >> 20,
                Nd4j.getEnvironment().maxThreads());
    }
}
