package org.vitspark.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.config.Settings;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.runtime.UsageException;
import org.vitspark.shard.ShardLocation;
import org.vitspark.shard.ShardManifest;
import org.vitspark.shard.ShardSchema;

/**
 * What a job can check about its data before Spark starts, from the manifest and one listing per split: the
 * dataset is there and complete (every shard the manifest lists exists), the training and evaluation splits
 * exist, there are enough shards for the workers and images for a batch. Shards that do not exist yet (made
 * from idx files at the start of the run) are checked by their split names only.
 */
public final class DataCheck {

    private DataCheck() {
    }

    /** @throws UsageException naming the key or file at fault */
    public static void check(Settings s) throws IOException {
        String root = ShardLocation.root(s);
        Path r = new Path(root);
        FileSystem fs = r.getFileSystem(HadoopFiles.configuration(s.hadoop()));
        Path manifestFile = new Path(r, ShardSchema.MANIFEST);
        if (!fs.exists(manifestFile)) {
            if (s.data().isShards()) {
                throw new UsageException("data.path: no shard dataset at " + root + " (no " + ShardSchema.MANIFEST
                        + "); make one with deploy/vitspark preprocess");
            }
            checkIdxSplits(s);
            return;
        }
        ShardManifest m;
        try {
            m = ShardManifest.read(fs, r);
        } catch (IOException | RuntimeException e) {
            throw new UsageException("data.path: " + manifestFile + " cannot be read: " + e.getMessage());
        }
        for (String[] split : new String[][] {{"data.train-split", s.data().trainSplit()},
            {"data.eval-split", s.data().evalSplit()}}) {
            if (!m.splitNames().contains(split[1])) {
                throw new UsageException(split[0] + ": the dataset at " + root + " has no split \"" + split[1]
                        + "\" (splits: " + String.join(", ", m.splitNames()) + ")");
            }
            List<String> missing = missingShards(fs, m, split[1]);
            if (!missing.isEmpty()) {
                throw new UsageException("data.path: the dataset at " + root + " is incomplete: " + missing.size()
                        + " shard(s) of split " + split[1] + " missing, e.g. " + missing.get(0)
                        + " (re-run preprocess)");
            }
        }
        int workers = s.train().workers();
        int shards = m.shards(s.data().trainSplit()).size();
        if (workers > shards) {
            throw new UsageException("train.workers: " + workers + " workers but split " + s.data().trainSplit()
                    + " has " + shards + " shard(s); each worker reads its own (preprocess --shards N)");
        }
        long images = m.images(s.data().trainSplit());
        long perWorker = images / Math.max(1, workers);
        if (perWorker < s.train().batchPerWorker()) {
            throw new UsageException("train.batch-per-worker: " + s.train().batchPerWorker() + " is more than the "
                    + perWorker + " training images a worker has (" + images + " in split " + s.data().trainSplit()
                    + ")");
        }
    }

    /** Shards are made from idx files: the splits must be ones that will exist. */
    private static void checkIdxSplits(Settings s) {
        Set<String> made = new HashSet<>(List.of("train", "test"));
        if (s.data().holdout() > 0) {
            made.add("holdout");
        }
        for (String[] split : new String[][] {{"data.train-split", s.data().trainSplit()},
            {"data.eval-split", s.data().evalSplit()}}) {
            if (!made.contains(split[1])) {
                throw new UsageException(split[0] + ": shards made from idx files have splits " + made + ", not \""
                        + split[1] + "\"" + ("holdout".equals(split[1]) ? " (set data.holdout)" : ""));
            }
        }
    }

    private static List<String> missingShards(FileSystem fs, ShardManifest m, String split) throws IOException {
        Set<String> present = new HashSet<>();
        Path dir = new Path(m.root(), split);
        if (fs.exists(dir)) {
            for (FileStatus f : fs.listStatus(dir)) {
                present.add(split + "/" + f.getPath().getName());
            }
        }
        List<String> missing = new ArrayList<>();
        for (ShardManifest.Shard sh : m.shards(split)) {
            if (!present.contains(sh.file())) {
                missing.add(sh.file());
            }
        }
        return missing;
    }
}
