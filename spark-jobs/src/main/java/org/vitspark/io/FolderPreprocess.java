package org.vitspark.io;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.vitspark.data.shard.ShardEncoder;
import org.vitspark.data.shard.ShardPlan;
import org.vitspark.data.shard.SourceImage;
import org.vitspark.data.shard.Vocabulary;

/** The class-per-folder layout's preprocessing: list, remove the old manifest, write shards, write the manifest. */
public final class FolderPreprocess {

    private FolderPreprocess() {
    }

    /** @return images written */
    public static long run(SparkSession spark, PrintWriter out, String input, String output, String split,
                           Integer shards, int shardMb, int resize, long maxPixels, long seed) throws IOException {
        Path in = new Path(input);
        FileSystem inFs = in.getFileSystem(spark.sparkContext().hadoopConfiguration());
        FolderListing.Listing listing = FolderListing.list(inFs, in);
        List<SourceImage> images = listing.images();
        if (images.isEmpty()) {
            throw new IOException("no files under class folders of " + input);
        }
        long bytes = listing.bytes();
        List<String> classes = new ArrayList<>();
        for (SourceImage s : images) {
            classes.add(s.className());
        }
        Vocabulary vocab = Vocabulary.of(classes);
        int n = shards != null ? shards : ShardPlan.shardCount(bytes, (long) shardMb << 20, images.size());
        out.printf("preprocess: %,d files (%,d MB) in %d classes -> %d shards%n", images.size(), bytes >> 20,
                vocab.size(), n);
        out.flush();
        Path root = new Path(output);
        FileSystem outFs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        outFs.delete(new Path(root, ShardSchema.MANIFEST), false); // must not vouch for data being rewritten
        ImageShardWriter.SplitResult r = new ImageShardWriter(spark, out).write(images, vocab, output, split, n, seed,
                new ShardEncoder(maxPixels, resize));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("input", input);
        source.put("layout", "folders");
        source.put("files", images.size());
        source.put("resize_shorter_side", resize);
        source.put("seed", seed);
        ImageShardWriter.writeManifest(outFs, root, source, vocab, List.of(r));
        return r.images();
    }
}
