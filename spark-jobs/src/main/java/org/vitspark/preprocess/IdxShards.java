package org.vitspark.preprocess;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.vitspark.config.DataSettings;
import org.vitspark.config.Settings;
import org.vitspark.shard.ShardLocation;
import org.vitspark.data.IdxImages;
import org.vitspark.data.shard.Vocabulary;
import org.vitspark.shard.ShardSchema;

/**
 * The shards {@code train} reads when data.layout is idx: made once from the idx files (into
 * {@link ShardLocation#root}) by the same writer as {@code preprocess}, and reused while their manifest exists.
 */
public final class IdxShards {

    /** Shards per split: enough for 4 workers to get one each; more workers need preprocess --shards. */
    static final int MIN_SHARDS = 4;

    private IdxShards() {
    }

    /** fashion or digits class names, from the idx folder's name (as preprocess decides). */
    public static Vocabulary vocabulary(String idxClasses) {
        return Vocabulary.ordered("fashion".equals(idxClasses)
                ? List.of(IdxImages.FASHION_CLASSES) : List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }

    public static String classesFor(Path idxFolder) {
        return idxFolder.getFileName().toString().toLowerCase(Locale.ROOT).contains("fashion") ? "fashion" : "digits";
    }

    /** Makes the shards from data.path's idx files unless their manifest exists; returns the shard root. */
    public static String ensure(SparkSession spark, Settings settings, int workers, PrintWriter out)
            throws IOException {
        DataSettings d = settings.data();
        String root = ShardLocation.root(settings);
        org.apache.hadoop.fs.Path r = new org.apache.hadoop.fs.Path(root);
        FileSystem fs = r.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (d.isShards() || fs.exists(new org.apache.hadoop.fs.Path(r, ShardSchema.MANIFEST))) {
            return root;
        }
        Path idx = Path.of(d.path());
        String classes = classesFor(idx);
        long seed = settings.run().seed();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("input", idx.toString());
        source.put("layout", "idx");
        source.put("seed", seed);
        out.printf("shards: none at %s yet; making them from the idx files in %s (%s class names)%n", root, idx, classes);
        out.flush();
        spark.sparkContext().setJobDescription("make shards from " + idx);
        source.put("train_limit", d.trainLimit());
        source.put("test_limit", d.testLimit());
        source.put("holdout", d.holdout());
        source.put("holdout_seed", d.holdoutSeed());
        new IdxShardWriter(spark, out).write(idx, root, vocabulary(classes), Math.max(MIN_SHARDS, workers), seed, source,
                d.trainLimit(), d.testLimit(), d.holdout(), d.holdoutSeed());
        return root;
    }
}
