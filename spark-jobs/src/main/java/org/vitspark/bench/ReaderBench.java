package org.vitspark.bench;

import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.vitspark.augment.Pipeline;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.config.ReaderSettings;
import org.vitspark.shard.ShardBatch;
import org.vitspark.shard.ShardManifest;
import org.vitspark.shard.ShardReader;
import org.vitspark.metrics.Stopwatch;

/**
 * Reader + augmentation throughput: streams a split of a shard dataset through {@link ShardReader} for
 * one epoch (or {@code batches} batches) and prints images/s and images/s per decode thread. Usage:
 * {@code ReaderBench SHARDS SPLIT SIZE CHANNELS "PIPELINE" THREADS [BATCH=64] [BATCHES=0 (all)]}.
 */
public final class ReaderBench {

    private ReaderBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = new Path(args[0]);
        String split = args[1];
        int size = Integer.parseInt(args[2]);
        int channels = Integer.parseInt(args[3]);
        Pipeline pipeline = Pipeline.parse(args[4]);
        int threads = Integer.parseInt(args[5]);
        int batch = args.length > 6 ? Integer.parseInt(args[6]) : 64;
        int limit = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        Configuration conf = new Configuration();
        ShardManifest m = ShardManifest.read(root.getFileSystem(conf), root);
        ReaderSettings s = new ReaderSettings(split, ShardReader.share(m.shards(split).size(), 0, 1), 0, batch, size,
                channels, m.classes().size(), pipeline, true, true, 0, 0, 1, threads, 4, false, null, null, 1);
        try (ShardReader reader = new ShardReader(m, s, conf)) {
            for (int pass = 0; pass < 2; pass++) { // pass 0 warms up (JIT, native libraries) on a few batches
                long images = 0;
                int batches = 0;
                Stopwatch t = Stopwatch.start();
                for (Iterator<ShardBatch> it = reader.epoch(DataPosition.start(pass)); it.hasNext(); ) {
                    images += it.next().keys().size();
                    if (++batches == (pass == 0 ? 10 : limit)) {
                        break;
                    }
                }
                double sec = t.seconds();
                if (pass == 1) {
                    System.out.printf("{\"split\":\"%s\",\"size\":%d,\"channels\":%d,\"pipeline\":\"%s\",\"threads\":%d,"
                                    + "\"images\":%d,\"seconds\":%.2f,\"images_per_s\":%.0f,\"images_per_s_per_thread\":%.0f}%n",
                            split, size, channels, pipeline, threads, images, sec, images / sec, images / sec / threads);
                }
            }
        }
    }
}
