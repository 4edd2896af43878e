package org.vitspark.spark;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.runtime.ContainerMemory;
import org.vitspark.runtime.MallocTuning;

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
        OptionalLong container = ContainerMemory.limit();
        // GLIBC_TUNABLES means something only to glibc, i.e. on Linux
        String malloc = System.getProperty("os.name").startsWith("Linux")
                ? MallocTuning.warning(System.getenv("GLIBC_TUNABLES")) : null;
        String warning = join(ContainerMemory.warning(physical, container), malloc);
        return String.format("worker %d: executor %s on %s, %s, device %d%s, heap max %,d MB, JavaCPP tally limit"
                        + " %,d MB, resident-set limit %,d MB%s, %d ND4J threads%s", worker,
                env == null ? "?" : env.executorId(), InetAddress.getLocalHost().getHostName(), backend, device,
                gpu >= 0 ? " (Spark-assigned GPU " + gpu + ")" : " (no GPU assigned)",
                Runtime.getRuntime().maxMemory() >> 20, offHeapLimit >> 20, physical >> 20,
                container.isPresent() ? String.format(" (container %,d MB)", container.getAsLong() >> 20) : "",
                Nd4j.getEnvironment().maxThreads(), warning == null ? "" : "; " + warning);
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }
}
