package org.vitspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.jobs.PreprocessJob;
import picocli.CommandLine;

/**
 * The preprocessing job over a generated class-per-folder corpus with ImageNet's traps among good images,
 * on real Spark (local[2]); the shards are read back with Spark SQL alone.
 */
class FolderPreprocessTest {

    @TempDir
    Path dir;

    private static void write(Path f, byte[] bytes) throws Exception {
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
    }

    private String run(String... args) {
        CommandLine cli = new CommandLine(new PreprocessJob());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(0, cli.execute(args), out + "\n" + err);
        return out.toString();
    }

    /** Issue 19: one file that cannot be read is counted as skipped (unreadable); the rest is written. */
    @Test
    void anUnreadableFileIsSkippedNotFatal() throws Exception {
        Path in = dir.resolve("faulty-in");
        for (String cls : new String[] {"a", "b"}) {
            for (int i = 0; i < 3; i++) {
                write(in.resolve(cls + "/" + i + ".png"),
                        ImageDecoderTest.encode(ImageDecoderTest.halves(20, 20, Color.RED, Color.RED), "png"));
            }
        }
        write(in.resolve("a/unreadable.png"),
                ImageDecoderTest.encode(ImageDecoderTest.halves(20, 20, Color.RED, Color.RED), "png"));
        String out = dir.resolve("faulty-shards").toUri().toString();
        String log = run("--input", "faulty://" + in, "--output", out, "--shards", "1", "--set", "spark.master=local[1]",
                "--set", "hadoop.\"fs.faulty.impl\"=" + FaultyLocalFileSystem.class.getName());
        assertTrue(log.contains("6 images written") && log.contains("unreadable=1"), log);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("faulty-shards/_manifest.json").toFile());
        assertEquals(1, manifest.get("splits").get("train").get("skipped").get("unreadable").asLong());
    }

    @Test
    void oddFilesAreSkippedByReasonAndTheRestReadsBackWithSparkSql() throws Exception {
        Path in = dir.resolve("in");
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        String[] classes = {"n01440764", "n02102040", "n02105855"};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) {
                String format = i % 2 == 0 ? "jpeg" : "png";
                write(in.resolve(classes[c] + "/" + classes[c] + "_" + i + "." + (i % 2 == 0 ? "JPEG" : "png")),
                        ImageDecoderTest.encode(ImageDecoderTest.halves(40 + i, 30, colours[c], colours[c]), format));
            }
        }
        byte[] jpeg = ImageDecoderTest.encode(ImageDecoderTest.halves(64, 48, Color.RED, Color.RED), "jpeg");
        // good but odd: a PNG named .JPEG (as n02105855_2933.JPEG), a CMYK JPEG, a grayscale JPEG, EXIF-rotated
        write(in.resolve("n02105855/n02105855_2933.JPEG"),
                ImageDecoderTest.encode(ImageDecoderTest.halves(20, 20, Color.BLUE, Color.BLUE), "png"));
        write(in.resolve("n01440764/n01739381_1309.JPEG"), ImageDecoderTest.cmykJpeg(30, 20));
        BufferedImage gray = new BufferedImage(25, 25, BufferedImage.TYPE_BYTE_GRAY);
        write(in.resolve("n02102040/gray.JPEG"), ImageDecoderTest.encode(gray, "jpeg"));
        write(in.resolve("n02102040/rotated.JPEG"), ImageDecoderTest.withOrientation(jpeg, 6));
        // bad: truncated, zero bytes, text, a decompression-bomb header
        write(in.resolve("n01440764/truncated.JPEG"), Arrays.copyOf(jpeg, jpeg.length / 2));
        write(in.resolve("n01440764/empty.JPEG"), new byte[0]);
        write(in.resolve("n02105855/notes.txt"), "not an image\n".getBytes(StandardCharsets.UTF_8));
        write(in.resolve("n02105855/bomb.png"), ImageDecoderTest.pngHeader(60_000, 60_000));
        write(in.resolve("n02105855/.hidden.JPEG"), jpeg); // hidden files are not inputs

        String out = dir.resolve("shards").toUri().toString();
        String log = run("--input", in.toString(), "--output", out, "--shards", "2", "--set", "spark.master=local[2]");
        assertTrue(log.contains("22 images written"), log);

        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("shards/_manifest.json").toFile());
        assertEquals("vitspark-shards/1", manifest.get("format").asText());
        assertEquals(List.of(classes), new ObjectMapper().convertValue(manifest.get("classes"), List.class));
        JsonNode train = manifest.get("splits").get("train");
        assertEquals(22, train.get("images").asLong());
        JsonNode skipped = train.get("skipped");
        assertEquals(1, skipped.get("truncated").asLong());
        assertEquals(1, skipped.get("empty").asLong());
        assertEquals(1, skipped.get("not_an_image").asLong());
        assertEquals(1, skipped.get("too_many_pixels").asLong());
        assertEquals(0, skipped.get("corrupt").asLong());
        assertEquals(2, train.get("shards").size());
        long rowsInManifest = 0;
        for (JsonNode s : train.get("shards")) {
            rowsInManifest += s.get("rows").asLong();
            assertEquals(64, s.get("sha256").asText().length());
            assertEquals(64, s.get("content_sha256").asText().length());
            assertTrue(s.get("bytes").asLong() > 0);
        }
        assertEquals(22, rowsInManifest);

        try (SparkSession spark = SparkSession.builder().master("local[2]").appName("read-back").getOrCreate()) {
            List<Row> rows = spark.read().parquet(out + "/train")
                    .select("key", "label", "class_name", "image", "format", "height", "width").collectAsList();
            assertEquals(22, rows.size());
            Map<String, Row> byKey = new HashMap<>();
            for (Row r : rows) {
                byKey.put(r.getString(0), r);
                assertEquals(classes[r.getInt(1)], r.getString(2), "label and class name agree");
                BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(3)));
                assertNotNull(img, r.getString(0) + " decodes with the JDK's own readers");
                assertEquals(r.getInt(5), img.getHeight());
                assertEquals(r.getInt(6), img.getWidth());
            }
            assertEquals("png", byKey.get("n02105855/n02105855_2933.JPEG").getString(4));
            assertEquals("jpeg", byKey.get("n01440764/n01739381_1309.JPEG").getString(4), "CMYK re-encoded");
            Row rotated = byKey.get("n02102040/rotated.JPEG");
            assertEquals(64, rotated.getInt(5), "EXIF orientation applied: 64x48 stored, 48x64 upright");
            assertEquals(48, rotated.getInt(6));
        }

        // Idempotent: a re-run writes the same shards (same checksums).
        String before = Files.readString(dir.resolve("shards/_manifest.json"));
        run("--input", in.toString(), "--output", out, "--shards", "2", "--set", "spark.master=local[2]");
        assertEquals(checksums(before), checksums(Files.readString(dir.resolve("shards/_manifest.json"))));
    }

    private static List<String> checksums(String manifest) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode s : new ObjectMapper().readTree(manifest).get("splits").get("train").get("shards")) {
            out.add(s.get("rows").asLong() + ":" + s.get("content_sha256").asText());
        }
        out.sort(null);
        return out;
    }
}
