package org.vitspark.spark;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each Spark task computes with exactly {@code spark.task.cpus} threads (ND4J's pool, BLAS and the host
 * kernels' row chunks). Besides avoiding oversubscription when several workers share an executor, this
 * keeps results independent of scheduling: libnd4j runs an op on fewer threads when its pool is busy with
 * another task, which changes how reductions are split and so the last bits of a gradient. A retried
 * task then would not repeat its first attempt exactly (docs/decisions.md D22).
 */
public final class WorkerThreads {

    private WorkerThreads() {
    }

    public static void apply() {
        TaskContext tc = TaskContext.get();
        if (tc == null) {
            return;
        }
        int cpus = Math.max(1, tc.cpus());
        // Every task, not once per JVM: a BLAS built with OpenMP keeps its thread count per calling thread,
        // and Spark runs tasks on whichever pool thread is free.
        Nd4j.getEnvironment().setMaxThreads(cpus);
        Nd4j.getEnvironment().setMaxMasterThreads(cpus);
        Nd4j.factory().blas().setMaxThreads(cpus);
    }
}
