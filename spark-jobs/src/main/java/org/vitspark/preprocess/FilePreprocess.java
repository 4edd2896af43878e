package org.vitspark.preprocess;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.vitspark.data.shard.ShardEncoder;
import org.vitspark.data.shard.ShardPlan;
import org.vitspark.data.shard.Vocabulary;
import org.vitspark.shard.ShardSchema;

/**
 * Preprocessing of image files (class-per-folder trees, ImageNet): remove the old manifest, write every
 * split's shards, write the manifest last.
 */
public final class FilePreprocess {

    private FilePreprocess() {
    }

    /**
     * @param shards shards per split, or null to size them at {@code shardMb} each
     * @return images written over all splits
     */
    public static long run(SparkSession spark, PrintWriter out, List<SplitFiles> splits, Vocabulary vocab,
                           Map<String, Object> source, String output, Integer shards, int shardMb,
                           ShardEncoder encoder, long seed) throws IOException {
        Path root = new Path(output);
        FileSystem outFs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        outFs.delete(new Path(root, ShardSchema.MANIFEST), false); // must not vouch for data being rewritten
        List<ImageShardWriter.SplitResult> results = new ArrayList<>();
        long written = 0;
        for (SplitFiles s : splits) {
            if (s.images().isEmpty()) {
                throw new IOException("split " + s.split() + ": no files found");
            }
            int n = shards != null ? shards : ShardPlan.shardCount(s.bytes(), (long) shardMb << 20, s.images().size());
            out.printf("preprocess: %s: %,d files (%,d MB) in %d classes -> %d shards%n", s.split(), s.images().size(),
                    s.bytes() >> 20, vocab.size(), n);
            out.flush();
            ImageShardWriter.SplitResult r = new ImageShardWriter(spark, out).write(s.images(), vocab, output,
                    s.split(), n, seed, encoder);
            results.add(r);
            written += r.images();
        }
        ImageShardWriter.writeManifest(outFs, root, source, vocab, results);
        return written;
    }
}
