package org.vitspark.averaging;

import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.runtime.UsageException;

/**
 * Every averaging round ends with one Spark job whose last stage returns up to {@link AveragingTree#FAN_IN}
 * partial sums (parameters, plus the updater state when it is averaged) to the driver. Spark aborts a job
 * whose serialised results exceed {@code spark.driver.maxResultSize} (default 1g), and it would do so at the
 * end of the first round, after the workers' first steps: with ViT-B (86.6M parameters) and AdamW one
 * partial sum is ~1.04 GB. This check does the arithmetic before any work, naming the key and the value
 * that fits.
 */
public final class ResultSizeCheck {

    static final String KEY = "spark.driver.maxResultSize";
    /** Spark's own default when the key is unset. */
    static final String SPARK_DEFAULT = "1g";
    /** Room for what travels beside the arrays (reports, Kryo and array headers). */
    static final double MARGIN = 1.05;

    private ResultSizeCheck() {
    }

    /** Bytes one round returns to the driver: the partial sums of the reduction tree's last stage. */
    public static long roundResultBytes(int workers, long paramValues, long updaterValues, int bytesPerValue) {
        return AveragingTree.topCount(workers) * (paramValues + updaterValues) * bytesPerValue;
    }

    /**
     * The check for {@code net}'s parameters, and its updater state when workers return it ({@code
     * averageUpdater}, as {@link ShardAveragingMaster} does).
     *
     * @throws UsageException (exit 2) naming {@value #KEY} when one round's results would not fit under it
     */
    public static void require(SparkConf conf, int workers, ComputationGraph net, boolean averageUpdater) {
        INDArray state = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray(); // null: SGD has none
        require(conf, workers, net.params().length(), averageUpdater && state != null ? state.length() : 0,
                net.params().dataType().width());
    }

    /**
     * @throws UsageException (exit 2) naming {@value #KEY} when one round's results would not fit under it
     *     (0 means no limit, as in Spark)
     */
    public static void require(SparkConf conf, int workers, long paramValues, long updaterValues, int bytesPerValue) {
        long limit = conf.getSizeAsBytes(KEY, SPARK_DEFAULT);
        long needed = (long) Math.ceil(roundResultBytes(workers, paramValues, updaterValues, bytesPerValue) * MARGIN);
        if (limit > 0 && needed > limit) {
            int partials = AveragingTree.topCount(workers);
            long gib = 1L << 30;
            throw new UsageException(String.format("%s = %s is too small: each averaging round returns %d"
                            + " partial sums of %,d MB (%,d parameters%s, %d bytes each) to the driver; set it to at"
                            + " least %dg (or 0 for no limit) and size spark.driver.memory to hold them",
                    KEY, conf.get(KEY, SPARK_DEFAULT + " (Spark's default)"), partials, (needed / partials) >> 20,
                    paramValues, updaterValues > 0 ? String.format(" + %,d updater values", updaterValues) : "",
                    bytesPerValue, (needed + gib - 1) / gib));
        }
    }
}
