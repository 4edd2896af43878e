package org.vitspark.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.config.Settings;

/** Builds the Spark context a job runs in: embedded {@code spark.master} unless spark-submit set one. */
public final class SparkContexts {

    private SparkContexts() {
    }

    public static SparkConf conf(Settings settings, String job) {
        SparkConf conf = new SparkConf(); // loads spark.* system properties, i.e. whatever spark-submit set
        conf.setIfMissing("spark.master", settings.spark().master());
        conf.setIfMissing("spark.app.name", settings.spark().appName() + "-" + job);
        // ND4J arrays are off-heap: Kryo with ND4J's registrator (DL4J Spark guide), float/double arrays as raw bytes.
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", RawArrayRegistrator.REGISTRATORS);
        // Data-parallel rounds want every worker busy now rather than a local slot later.
        conf.setIfMissing("spark.locality.wait", "0");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // A round broadcasts the parameters and updater state and every worker returns them: float arrays,
        // which LZ4 barely shrinks, so compressing the broadcast only costs time on both ends. Results above
        // 1 MB (Spark's default) wait for a separate block-manager fetch, even in-process (~30 ms measured
        // for the tiny ViT's 1.7 MB); up to the RPC message limit (128 MB) they ride in the status update.
        conf.setIfMissing("spark.broadcast.compress", "false");
        conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
        // A local master has no executors to give GPUs to; clusters schedule one GPU per executor and task.
        if (org.vitspark.runtime.BuildInfo.cuda() && !conf.get("spark.master").startsWith("local")) {
            GpuBinding.request(conf);
        }
        for (Map.Entry<String, String> e : settings.spark().conf().entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        // The UI's environment page and Spark's logs hide what our configs hide (and whatever the user's own
        // pattern hides too).
        String own = conf.get("spark.redaction.regex", "");
        conf.set("spark.redaction.regex", own.isEmpty() ? settings.spark().redactionRegex()
                : settings.spark().redactionRegex() + "|(?:" + own + ")");
        // Executors write shards and read them through the same local filesystem as the driver (no .crc files).
        org.vitspark.fs.HadoopFiles.DEFAULTS.forEach((k, v) -> conf.setIfMissing("spark.hadoop." + k, v));
        for (Map.Entry<String, String> e : settings.hadoop().entrySet()) {
            conf.set("spark.hadoop." + e.getKey(), e.getValue());
        }
        return conf;
    }

    public static JavaSparkContext start(Settings settings, String job) {
        return new JavaSparkContext(conf(settings, job));
    }
}
