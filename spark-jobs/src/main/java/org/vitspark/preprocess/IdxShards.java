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
import org.vitspark.config.VitsparkConfig;
import org.vitspark.data.IdxImages;
import org.vitspark.data.shard.Vocabulary;
import org.vitspark.shard.ShardSchema;

/**
 * The shards {@code train} reads when data.layout is idx: made once from the idx files into data.shards
 * (default {@code <run.root>/shards/<idx folder name>}, suffixed with data.train-limit/test-limit when set) by the same writer as {@code preprocess}, and
 * reused while their manifest exists.
 */
public final class IdxShards {

    /** Shards per split: enough for 4 workers to get one each; more workers need preprocess --shards. */
    static final int MIN_SHARDS = 4;

    private IdxShards() {
    }

    /** Where the shards of this config live (the shard root itself when data.layout is shards). */
    public static String root(VitsparkConfig config) {
        if ("shards".equals(config.getString("data.layout"))) {
            return config.getString("data.path");
        }
        String shards = config.getString("data.shards");
        if (!shards.isEmpty()) {
            return shards;
        }
        String name = Path.of(config.getString("data.path")).getFileName().toString();
        int train = config.getInt("data.train-limit");
        int test = config.getInt("data.test-limit");
        if (train > 0 || test > 0) {
            name += "-train" + (train > 0 ? train : "all") + "-test" + (test > 0 ? test : "all");
        }
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(config.getString("run.root"), "shards"), name)
                .toString();
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
    public static String ensure(SparkSession spark, VitsparkConfig config, int workers, PrintWriter out)
            throws IOException {
        String root = root(config);
        org.apache.hadoop.fs.Path r = new org.apache.hadoop.fs.Path(root);
        FileSystem fs = r.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if ("shards".equals(config.getString("data.layout"))
                || fs.exists(new org.apache.hadoop.fs.Path(r, ShardSchema.MANIFEST))) {
            return root;
        }
        Path idx = Path.of(config.getString("data.path"));
        String classes = classesFor(idx);
        long seed = config.getLong("run.seed");
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("input", idx.toString());
        source.put("layout", "idx");
        source.put("seed", seed);
        out.printf("shards: none at %s yet; making them from the idx files in %s (%s class names)%n", root, idx, classes);
        out.flush();
        spark.sparkContext().setJobDescription("make shards from " + idx);
        source.put("train_limit", config.getInt("data.train-limit"));
        source.put("test_limit", config.getInt("data.test-limit"));
        new IdxShardWriter(spark, out).write(idx, root, vocabulary(classes), Math.max(MIN_SHARDS, workers), seed, source,
                config.getInt("data.train-limit"), config.getInt("data.test-limit"));
        return root;
    }
}
