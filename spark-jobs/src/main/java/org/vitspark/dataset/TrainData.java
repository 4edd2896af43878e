package org.vitspark.dataset;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.augment.Pipeline;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.model.ModelSpec;
import org.vitspark.config.ReaderSettings;

/** What training and evaluation read, from the config: the worker count and each split's reader settings. */
public final class TrainData {

    private TrainData() {
    }

    /** train.workers, or one per core/slot of the Spark master when 0. */
    public static int workers(VitsparkConfig config, JavaSparkContext sc) {
        int w = config.getInt("train.workers");
        return w > 0 ? w : sc.defaultParallelism();
    }

    /**
     * Reader settings for {@code split} shaped for {@code m} (shards are set per worker later). Training
     * shuffles, drops the last partial batch and mixes; evaluation reads every image once, as stored.
     */
    public static ReaderSettings readerSettings(VitsparkConfig config, ModelSpec m, String split, boolean training) {
        String pipeline = config.getString(training ? "augment.train" : "augment.eval");
        return new ReaderSettings(split, List.of(), config.getLong("run.seed"), config.getInt("train.batch-per-worker"),
                m.imageSize(), m.channels(), m.classes(),
                Pipeline.parse(config.getString("augment.pipelines." + pipeline)), training, training,
                training ? config.getDouble("augment.mixup") : 0, training ? config.getDouble("augment.cutmix") : 0,
                m.patch(), config.getInt("data.reader-threads"), config.getInt("data.prefetch-batches"));
    }

    /**
     * The Hadoop properties executors need on top of Hadoop's defaults: the spark.hadoop.* ones (which
     * include vitspark's hadoop section). Shipping the whole Configuration (~1,000 entries) with every
     * round's tasks cost more than the tiny ViT's averaging itself.
     */
    public static Map<String, String> hadoopProperties(JavaSparkContext sc) {
        Map<String, String> m = new java.util.HashMap<>();
        for (scala.Tuple2<String, String> e : sc.getConf().getAllWithPrefix("spark.hadoop.")) {
            m.put(e._1(), e._2());
        }
        return m;
    }
}
