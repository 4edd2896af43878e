package org.vitspark.preprocess;

import java.net.URI;
import org.apache.spark.SparkConf;
import org.vitspark.runtime.UsageException;

/**
 * Output committers for the preprocessing job's DataFrame writes (docs/shard-format.md, "Safety"; docs/decisions.md D19).
 * On {@code s3a://} the classic rename-based committer is unsafe (no atomic directory rename; a killed job
 * can leave partial files where readers look), so the S3A magic committer is bound through Spark's
 * cloud commit protocol: task output stays invisible multipart uploads until job commit. Elsewhere
 * (HDFS, local) the v1 file committer is pinned: task output waits under {@code _temporary} until the job
 * commits, so a killed run leaves nothing in the split folder that Spark or pyarrow would read as data.
 * Settings the user gave explicitly win.
 */
public final class OutputCommitters {

    static final String PROTOCOL = "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol";
    static final String PARQUET_COMMITTER = "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter";

    private OutputCommitters() {
    }

    public static void configure(SparkConf conf, String output) {
        String scheme = URI.create(output.replace(" ", "%20")).getScheme();
        if ("s3a".equals(scheme)) {
            try {
                Class.forName(PROTOCOL, false, OutputCommitters.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new UsageException("--output " + output + ": writing to s3a:// needs the S3A committers of "
                        + "org.apache.spark:spark-hadoop-cloud_2.12 (add it with the spark-submit packages option; README "
                        + "\"S3\"); without them a failed job can leave partial shards");
            }
            conf.setIfMissing("spark.hadoop.fs.s3a.committer.name", "magic");
            conf.setIfMissing("spark.hadoop.fs.s3a.committer.magic.enabled", "true");
            conf.setIfMissing("spark.sql.sources.commitProtocolClass", PROTOCOL);
            conf.setIfMissing("spark.sql.parquet.output.committer.class", PARQUET_COMMITTER);
        } else {
            conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version", "1");
        }
    }
}
