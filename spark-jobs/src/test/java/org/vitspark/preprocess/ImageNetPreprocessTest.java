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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.data.shard.ImageNetDevkitTest;
import org.vitspark.jobs.PreprocessJob;
import picocli.CommandLine;

/**
 * The ImageNet layout on generated look-alikes of ILSVRC2012's known bad files (docs/shard-format.md, "Odd files":
 * the PNG named .JPEG, the 22 CMYK train JPEGs, the CMYK val image), with a devkit whose ILSVRC2012_IDs
 * are not in sorted-WNID order: every file is kept, stored in a portable form and labelled by sorted WNID.
 */
class ImageNetPreprocessTest {

    /** Train files that are CMYK JPEGs in ILSVRC2012 (TF build_imagenet_data.py; cytsai/ilsvrc-cmyk-image-list). */
    static final String[] CMYK_TRAIN = {"n01739381_1309", "n02077923_14822", "n02447366_23489", "n02492035_15739",
        "n02747177_10752", "n03018349_4028", "n03062245_4620", "n03347037_9675", "n03467068_12171",
        "n03529860_11437", "n03544143_17228", "n03633091_5218", "n03710637_5125", "n03961711_5286",
        "n04033995_2932", "n04258138_17003", "n04264628_27969", "n04336792_7448", "n04371774_5854",
        "n04596742_4225", "n07583066_647", "n13037406_4650"};
    static final String PNG_AS_JPEG = "n02105855_2933";
    static final int CMYK_VAL = 19877;

    @TempDir
    Path dir;

    private static void write(Path f, byte[] bytes) throws Exception {
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
    }

    @Test
    void badFileLookAlikesAreKeptAndValLabelsFollowTheDevkit() throws Exception {
        Path in = dir.resolve("imagenet");
        TreeSet<String> wnids = new TreeSet<>();
        for (String f : CMYK_TRAIN) {
            String wnid = f.substring(0, 9);
            wnids.add(wnid);
            write(in.resolve("train/" + wnid + "/" + f + ".JPEG"), ImageDecoderTest.cmykJpeg(30, 20));
        }
        wnids.add(PNG_AS_JPEG.substring(0, 9));
        write(in.resolve("train/n02105855/" + PNG_AS_JPEG + ".JPEG"),
                ImageDecoderTest.encode(ImageDecoderTest.halves(20, 20, Color.BLUE, Color.BLUE), "png"));
        for (String wnid : wnids) { // and one ordinary RGB JPEG per class
            write(in.resolve("train/" + wnid + "/" + wnid + "_1.JPEG"),
                    ImageDecoderTest.encode(ImageDecoderTest.halves(32, 24, Color.RED, Color.GREEN), "jpeg"));
        }
        // meta.mat IDs in reverse-sorted order, so an ID is never its sorted index + 1
        List<String> byId = new ArrayList<>(wnids.descendingSet());
        Path kit = in.resolve(ImageNetLayout.DEVKIT);
        write(kit.resolve(ImageNetLayout.META), ImageNetDevkitTest.metaMat(byId, dir));
        StringBuilder truth = new StringBuilder();
        Map<Integer, String> expected = new HashMap<>();
        for (int n = 1; n <= CMYK_VAL; n++) {
            int id = 1 + (n * 7) % byId.size();
            truth.append(id).append('\n');
            expected.put(n, byId.get(id - 1));
        }
        write(kit.resolve(ImageNetLayout.GROUND_TRUTH), truth.toString().getBytes(StandardCharsets.US_ASCII));
        int[] valImages = {1, 2, 3, 500, CMYK_VAL};
        for (int n : valImages) {
            byte[] bytes = n == CMYK_VAL ? ImageDecoderTest.cmykJpeg(24, 24)
                    : ImageDecoderTest.encode(ImageDecoderTest.halves(28, 20, Color.WHITE, Color.BLACK), "jpeg");
            write(in.resolve(String.format("val/ILSVRC2012_val_%08d.JPEG", n)), bytes);
        }

        CommandLine cli = new CommandLine(new PreprocessJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        String shards = dir.resolve("shards").toUri().toString();
        assertEquals(0, cli.execute("--input", in.toString(), "--output", shards, "--shards", "3",
                "--set", "spark.master=local[2]"), out.toString());
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("shards/_manifest.json").toFile());
        assertEquals("imagenet", manifest.get("source").get("layout").asText(), "layout detected");
        List<String> classes = new ArrayList<>();
        manifest.get("classes").forEach(c -> classes.add(c.asText()));
        assertEquals(new ArrayList<>(wnids), classes, "sorted WNIDs of meta.mat's leaves");
        JsonNode splits = manifest.get("splits");
        assertEquals(wnids.size() + CMYK_TRAIN.length + 1, splits.get("train").get("images").asInt());
        assertEquals(valImages.length, splits.get("val").get("images").asInt());
        for (String split : List.of("train", "val")) {
            splits.get(split).get("skipped").forEach(n -> assertEquals(0, n.asInt(), split + " skipped nothing"));
        }

        try (SparkSession spark = SparkSession.builder().master("local[2]").appName("read-back").getOrCreate()) {
            Map<String, Row> rows = new HashMap<>();
            for (String split : List.of("train", "val")) {
                for (Row r : spark.read().parquet(shards + "/" + split)
                        .select("key", "label", "class_name", "image", "format").collectAsList()) {
                    rows.put(r.getString(0), r);
                    assertEquals(classes.get(r.getInt(1)), r.getString(2), "label is the sorted-WNID index");
                    BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(3)));
                    assertNotNull(img, r.getString(0) + " decodes");
                    assertTrue(img.getColorModel().getNumColorComponents() <= 3, r.getString(0) + " is RGB or gray");
                }
            }
            assertEquals("png", rows.get("n02105855/" + PNG_AS_JPEG + ".JPEG").getString(4), "sniffed, not named");
            for (String f : CMYK_TRAIN) {
                assertEquals("jpeg", rows.get(f.substring(0, 9) + "/" + f + ".JPEG").getString(4));
            }
            for (int n : valImages) {
                Row r = rows.get(String.format("ILSVRC2012_val_%08d.JPEG", n));
                assertEquals(expected.get(n), r.getString(2), "val image " + n + " labelled through meta.mat");
            }
        }
    }
}
