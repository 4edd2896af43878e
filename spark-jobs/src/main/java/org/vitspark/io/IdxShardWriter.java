package org.vitspark.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.vitspark.data.IdxImages;
import org.vitspark.data.shard.ShardEncoder;
import org.vitspark.metrics.JsonLine;

/**
 * Writes idx images (Fashion-MNIST/MNIST) as Parquet shards of PNG-encoded images, one folder per split,
 * then {@code _manifest.json} last: a reader that finds the manifest finds complete data.
 */
public final class IdxShardWriter {

    private final SparkSession spark;
    private final PrintWriter out;

    public IdxShardWriter(SparkSession spark, PrintWriter out) {
        this.spark = spark;
        this.out = out;
    }

    /** Writes both splits under {@code output} and returns the number of images written. */
    public long write(Path input, String output, int shards) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(output);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.Path manifest = new org.apache.hadoop.fs.Path(root, ShardSchema.MANIFEST);
        fs.delete(manifest, false); // the old manifest must not vouch for data being rewritten
        List<String> entries = new ArrayList<>();
        long total = 0;
        for (String[] split : new String[][] {{"train", "train"}, {"t10k", "test"}}) {
            IdxImages images = IdxImages.read(input, split[0], 0);
            long start = System.nanoTime();
            Dataset<Row> df = spark.createDataFrame(rows(images, split[1]), ShardSchema.SCHEMA).repartition(shards);
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(root, split[1]);
            spark.sparkContext().setJobDescription("preprocess: write " + images.size() + " " + split[1] + " images");
            df.write().mode(SaveMode.Overwrite).parquet(dir.toString());
            for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(".parquet"))) {
                entries.add(new JsonLine().put("split", split[1]).put("file", split[1] + "/" + f.getPath().getName())
                        .put("bytes", f.getLen()).toString());
            }
            total += images.size();
            out.printf("preprocess: %s: %,d images in %d shards, %.0f images/s%n", split[1], images.size(), shards,
                    images.size() / ((System.nanoTime() - start) / 1e9));
            out.flush();
        }
        String manifestJson = "{\"source\":\"" + input + "\",\"layout\":\"idx\",\"classes\":"
                + classesJson() + ",\"shards\":[" + String.join(",", entries) + "]}\n";
        HadoopFiles.writeString(fs, manifest, manifestJson);
        return total;
    }

    private static String classesJson() {
        List<String> names = new ArrayList<>();
        for (String c : IdxImages.FASHION_CLASSES) {
            names.add("\"" + c + "\"");
        }
        return "[" + String.join(",", names) + "]";
    }

    static List<Row> rows(IdxImages images, String split) throws IOException {
        List<Row> rows = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            byte[] png = png(images.pixels()[i], images.rows(), images.cols());
            int label = images.labels()[i];
            String name = label < IdxImages.FASHION_CLASSES.length ? IdxImages.FASHION_CLASSES[label] : "" + label;
            rows.add(RowFactory.create(String.format("%s/%06d", split, i), label, name, png, "png", images.rows(),
                    images.cols(), ShardEncoder.sha256(png)));
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
