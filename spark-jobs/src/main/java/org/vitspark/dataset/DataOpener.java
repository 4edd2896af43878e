package org.vitspark.dataset;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.config.ReaderSettings;
import org.vitspark.config.Settings;
import org.vitspark.shard.ShardLocation;
import org.vitspark.shard.ShardManifest;
import org.vitspark.shard.ShardSchema;

/**
 * Opens a configuration's shards for the workers, the one way training, evaluation and analysis do it:
 * the worker count, the shard root and its manifest (read once, on the driver), and the Hadoop properties
 * executors need to read from the same filesystem. It opens shards that exist; making them from idx files
 * is a step of {@code train} (preprocess.IdxShards).
 */
public final class DataOpener {

    /** The shards as opened: {@link #split} gives the workers their data of one split. */
    public record Opened(String root, ShardManifest manifest, int workers, Map<String, String> hadoop) {

        /** The workers' view of one split, read with {@code settings}; {@code streamKey} names its readers. */
        public WorkerData split(ReaderSettings settings, String streamKey) {
            return new WorkerData(manifest, settings, hadoop, workers, streamKey);
        }
    }

    private DataOpener() {
    }

    public static Opened open(JavaSparkContext sc, Settings s) throws IOException {
        String root = ShardLocation.root(s);
        Path r = new Path(root);
        FileSystem fs = r.getFileSystem(sc.hadoopConfiguration());
        if (!fs.exists(new Path(r, ShardSchema.MANIFEST))) {
            throw new FileNotFoundException("no shards at " + root + " (no " + ShardSchema.MANIFEST + "): train makes "
                    + "them from idx files (data.layout = idx); for other data run preprocess and set data.layout = "
                    + "shards, data.path = the shard folder");
        }
        return new Opened(root, ShardManifest.read(fs, r), workers(s, sc), hadoopProperties(sc));
    }

    /** train.workers, or one per core/slot of the Spark master when 0. */
    public static int workers(Settings s, JavaSparkContext sc) {
        int w = s.train().workers();
        return w > 0 ? w : sc.defaultParallelism();
    }

    /**
     * The Hadoop properties executors need on top of Hadoop's defaults: the spark.hadoop.* ones (which
     * include vitspark's hadoop section). Shipping the whole Configuration (~1,000 entries) with every
     * round's tasks cost more than the tiny ViT's averaging itself.
     */
    public static Map<String, String> hadoopProperties(JavaSparkContext sc) {
        Map<String, String> m = new HashMap<>();
        for (scala.Tuple2<String, String> e : sc.getConf().getAllWithPrefix("spark.hadoop.")) {
            m.put(e._1(), e._2());
        }
        return m;
    }
}
