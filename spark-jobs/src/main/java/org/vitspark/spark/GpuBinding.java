package org.vitspark.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import scala.Option;

/**
 * GPU executors (a -Pcuda build): each executor asks Spark for one GPU and each task for one, and a task
 * binds ND4J's current thread to the GPU Spark assigned it before touching any array. On CPU executors
 * no task has a "gpu" resource and binding does nothing, so both backends run the same code.
 */
public final class GpuBinding {

    private GpuBinding() {
    }

    /** Requests one GPU per executor and per task unless the user's Spark properties say otherwise. */
    public static void request(SparkConf conf) {
        conf.setIfMissing("spark.executor.resource.gpu.amount", "1");
        conf.setIfMissing("spark.task.resource.gpu.amount", "1");
    }

    /** Binds this thread to the task's GPU; returns its address, or -1 without one. */
    public static int bind() {
        TaskContext tc = TaskContext.get();
        if (tc == null) {
            return -1;
        }
        Option<ResourceInformation> gpu = tc.resources().get("gpu");
        if (gpu.isEmpty() || gpu.get().addresses().length == 0) {
            return -1;
        }
        int device = Integer.parseInt(gpu.get().addresses()[0]);
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        return device;
    }
}
