package org.vitspark.evolve;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.config.ReaderSettings;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.shard.ShardBatch;
import org.vitspark.shard.ShardManifest;
import org.vitspark.shard.ShardReader;

/**
 * The images candidates are scored on: the first {@code limit} images of a split in manifest order through the
 * evaluation pipeline, read once on the driver and shipped to every scoring task (a few thousand small
 * images: megabytes).
 *
 * A class rather than a record: Spark's Kryo cannot write records.
 */
public final class HeldOutImages implements Serializable {

    /** The images [N, C, H, W] flattened in c order. */
    private final float[] pixels;
    private final long[] shape;
    private final int[] labels;

    HeldOutImages(float[] pixels, long[] shape, int[] labels) {
        this.pixels = pixels;
        this.shape = shape;
        this.labels = labels;
    }

    public int[] labels() {
        return labels;
    }

    public static HeldOutImages read(ShardManifest manifest, ReaderSettings eval, Configuration conf, int limit) {
        int shards = manifest.shards(eval.split()).size();
        long available = manifest.images(eval.split());
        int n = (int) (limit > 0 ? Math.min(limit, available) : available);
        ReaderSettings all = eval.withShards(ShardReader.share(shards, 0, 1));
        long per = (long) eval.channels() * eval.imageSize() * eval.imageSize();
        float[] pixels = new float[Math.toIntExact(n * per)];
        int[] labels = new int[n];
        int k = 0;
        try (ShardReader reader = new ShardReader(manifest, all, conf)) {
            Iterator<ShardBatch> it = reader.epoch(DataPosition.start(0));
            while (k < n && it.hasNext()) {
                ShardBatch b = it.next();
                // the whole batch at once: one copy, the rows already in c order
                float[] x = b.data().getFeatures().dup('c').data().asFloat();
                int[] y = Nd4j.argMax(b.data().getLabels(), 1).toIntVector();
                int take = (int) Math.min(y.length, n - k);
                System.arraycopy(x, 0, pixels, (int) (k * per), (int) (take * per));
                System.arraycopy(y, 0, labels, k, take);
                k += take;
            }
        }
        if (k < n) {
            throw new IllegalStateException("split " + eval.split() + " yielded " + k + " images, expected " + n);
        }
        return new HeldOutImages(pixels, new long[] {n, eval.channels(), eval.imageSize(), eval.imageSize()}, labels);
    }

    public int size() {
        return labels.length;
    }

    public INDArray images() {
        return Nd4j.create(pixels, shape, 'c').castTo(DataType.FLOAT);
    }

    /** Class counts, for the progress line (a held-out part should hold every class). */
    public int[] classCounts(int classes) {
        int[] c = new int[classes];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }
}
