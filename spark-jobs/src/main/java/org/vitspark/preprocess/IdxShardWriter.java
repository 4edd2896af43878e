package org.vitspark.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.vitspark.data.IdxImages;
import org.vitspark.data.shard.SourceImage;
import org.vitspark.data.shard.Vocabulary;
import org.vitspark.shard.ShardSchema;
import org.vitspark.digest.Sha256;

/**
 * Writes idx images (Fashion-MNIST/MNIST) as class-balanced Parquet shards of PNG-encoded images, splits
 * {@code train} and {@code test} (and {@code holdout}, training images set aside), with the same columns and
 * manifest as image files.
 */
public final class IdxShardWriter {

    /** idx file prefixes and the split names they become. */
    private static final String[][] SPLITS = {{"train", "train"}, {"t10k", "test"}};

    private final SparkSession spark;
    private final PrintWriter out;

    public IdxShardWriter(SparkSession spark, PrintWriter out) {
        this.spark = spark;
        this.out = out;
    }

    /** Writes both splits under {@code output}, the manifest last, and returns the number of images written. */
    public long write(Path input, String output, Vocabulary vocab, int shards, long seed, Map<String, Object> source)
            throws IOException {
        return write(input, output, vocab, shards, seed, source, 0, 0);
    }

    /** As above with only the first {@code trainLimit} / {@code testLimit} images of each split (0 = all). */
    public long write(Path input, String output, Vocabulary vocab, int shards, long seed, Map<String, Object> source,
                      int trainLimit, int testLimit) throws IOException {
        return write(input, output, vocab, shards, seed, source, trainLimit, testLimit, 0, 0);
    }

    /**
     * As above, with {@code holdout} training images (a seeded choice, {@link IdxImages#holdOut}) written as a
     * third split {@code holdout} instead of {@code train}; their keys keep their training-file index.
     */
    public long write(Path input, String output, Vocabulary vocab, int shards, long seed, Map<String, Object> source,
                      int trainLimit, int testLimit, int holdout, long holdoutSeed) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(output);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.delete(new org.apache.hadoop.fs.Path(root, ShardSchema.MANIFEST), false); // must not vouch for rewrites
        List<ImageShardWriter.SplitResult> results = new ArrayList<>();
        long total = 0;
        for (String[] split : SPLITS) {
            IdxImages images = IdxImages.read(input, split[0], "train".equals(split[0]) ? trainLimit : testLimit);
            int[] all = new int[images.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            int[][] parts = "train".equals(split[1]) && holdout > 0 ? IdxImages.holdOut(images.size(), holdout,
                    holdoutSeed) : new int[][] {all};
            for (int p = 0; p < parts.length; p++) {
                String name = p == 0 ? split[1] : "holdout";
                List<SourceImage> names = new ArrayList<>(parts[p].length);
                List<Row> rows = rows(images, parts[p], split[1], vocab, names);
                out.printf("preprocess: %s: %,d idx images -> %d shards%n", name, parts[p].length, shards);
                out.flush();
                ImageShardWriter.SplitResult r = new ImageShardWriter(spark, out).writeRows(names, rows, output, name,
                        shards, seed);
                results.add(r);
                total += r.images();
            }
        }
        ImageShardWriter.writeManifest(fs, root, source, vocab, results);
        return total;
    }

    /**
     * One PNG row per image at {@code indices}, keyed by its idx split and index; {@code names} receives each
     * row's key and class, for the shard plan.
     */
    static List<Row> rows(IdxImages images, int[] indices, String split, Vocabulary vocab, List<SourceImage> names)
            throws IOException {
        List<Row> rows = new ArrayList<>(indices.length);
        for (int i : indices) {
            byte[] png = png(images.pixels()[i], images.rows(), images.cols());
            int label = images.labels()[i];
            if (label >= vocab.size()) {
                throw new IOException(split + " image " + i + " has label " + label + " but there are only "
                        + vocab.size() + " class names");
            }
            String key = String.format("%s/%06d", split, i);
            names.add(new SourceImage(key, key, vocab.name(label)));
            rows.add(RowFactory.create(key, label, vocab.name(label), png, "png", images.rows(), images.cols(),
                    Sha256.hex(png)));
        }
        return rows;
    }

    static byte[] png(byte[] gray, int rows, int cols) throws IOException {
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, cols, rows, gray);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }
}
