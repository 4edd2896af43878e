package org.vitspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.data.image.ImageDecoder;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.jobs.PreprocessJob;
import org.vitspark.shard.RoundTrip;
import picocli.CommandLine;

/**
 * Preprocessing from HDFS to HDFS through a real in-process MiniDFSCluster: the shards read back with
 * Spark SQL, and streamed by the training reader, give the same labels and pixels as decoding the source
 * files locally.
 */
class HdfsRoundTripTest {

    private static MiniDFSCluster cluster;
    private static String hdfs;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void preprocessFromHdfsToHdfsKeepsLabelsAndPixels() throws Exception {
        Path local = tmp.resolve("src");
        Color[] colours = {Color.ORANGE, Color.CYAN};
        String[] classes = {"cats", "dogs"};
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 5; i++) {
                Path f = local.resolve(classes[c] + "/" + i + (i % 2 == 0 ? ".jpg" : ".png"));
                Files.createDirectories(f.getParent());
                Files.write(f, ImageDecoderTest.encode(ImageDecoderTest.halves(30 + i, 20 + c, colours[c], Color.BLACK),
                        i % 2 == 0 ? "jpeg" : "png"));
            }
        }
        FileSystem fs = cluster.getFileSystem();
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(hdfs + "/raw"));

        CommandLine cli = new CommandLine(new PreprocessJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int exit = cli.execute("--input", hdfs + "/raw", "--output", hdfs + "/shards", "--shards", "3",
                "--set", "spark.master=local[2]");
        assertEquals(0, exit, out.toString());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(hdfs + "/shards/_manifest.json")));

        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        try (SparkSession spark = SparkSession.builder().master("local[2]").appName("hdfs-read").getOrCreate()) {
            List<Row> rows = spark.read().parquet(hdfs + "/shards/train").select("key", "label", "image")
                    .collectAsList();
            assertEquals(10, rows.size());
            for (Row r : rows) {
                String key = r.getString(0);
                assertEquals(key.startsWith("cats/") ? 0 : 1, r.getInt(1), key);
                BufferedImage stored = decoder.decode((byte[]) r.get(2)).image();
                BufferedImage source = decoder.decode(Files.readAllBytes(local.resolve(key))).image();
                assertArrayEquals(pixels(source), pixels(stored), key + ": same pixels as a local decode");
            }
        }
        // and through the training reader, streaming the shards from HDFS itself
        assertEquals(10, RoundTrip.assertReaderMatchesLocalDecode(hdfs + "/shards", fs.getConf(), "train", local,
                List.of("cats", "dogs"), 24));
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
