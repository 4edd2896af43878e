package org.vitspark.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.augment.Pipeline;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.jobs.PreprocessJob;
import picocli.CommandLine;
import org.vitspark.config.ReaderSettings;

/**
 * The shard reader over shards written by the real preprocessing job: reproducible batch bytes for a
 * seed, epoch and position (whatever the thread count), exact resume from a recorded position, every
 * image once per epoch, and local files round-tripping to the same pixels.
 */
class ShardReaderTest {

    @TempDir
    static Path dir;
    static String shards;
    static final List<String> CLASSES = List.of("a", "b", "c");
    static final Configuration CONF = new Configuration();

    @BeforeAll
    static void preprocess() throws Exception {
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 15; i++) {
                Path f = dir.resolve("src/" + CLASSES.get(c) + "/" + i + (i % 3 == 0 ? ".png" : ".jpg"));
                Files.createDirectories(f.getParent());
                Files.write(f, ImageDecoderTest.encode(ImageDecoderTest.halves(20 + i, 16 + c * 3, colours[c],
                        Color.WHITE), i % 3 == 0 ? "png" : "jpeg"));
            }
        }
        shards = dir.resolve("shards").toUri().toString();
        CommandLine cli = new CommandLine(new PreprocessJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(0, cli.execute("--input", dir.resolve("src").toString(), "--output", shards, "--shards", "4",
                "--set", "spark.master=local[2]"), out.toString());
    }

    private static ShardManifest manifest() throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(shards);
        return ShardManifest.read(root.getFileSystem(CONF), root);
    }

    private static ReaderSettings settings(int threads, double mixup, double cutmix) {
        return new ReaderSettings("train", List.of(0, 1, 2, 3), 7, 8, 16, 3, 3,
                Pipeline.parse("rrc(0.2,1) flip randaugment(2,9) normalize(half)"), true, false, mixup, cutmix, 4,
                threads, 2, false, null, null, 1);
    }

    /** The rest of the epoch from {@code start}: each batch's features, targets, keys and next position. */
    private static List<Object[]> read(ReaderSettings s, DataPosition start) throws IOException {
        List<Object[]> out = new ArrayList<>();
        try (ShardReader r = new ShardReader(manifest(), s, CONF)) {
            Iterator<ShardBatch> it = r.epoch(start);
            while (it.hasNext()) {
                ShardBatch b = it.next();
                out.add(new Object[] {b.data().getFeatures().data().asFloat(), b.data().getLabels().data().asFloat(),
                    b.keys(), b.next(), b.patchFromPartner()});
            }
        }
        return out;
    }

    @Test
    void sameSeedEpochAndPositionGiveTheSameBytesWhateverTheThreads() throws Exception {
        List<Object[]> one = read(settings(1, 0.8, 1.0), DataPosition.start(0));
        List<Object[]> three = read(settings(3, 0.8, 1.0), DataPosition.start(0));
        assertEquals(6, one.size(), "45 images in batches of 8, the last one partial");
        assertEquals(one.size(), three.size());
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals((float[]) one.get(i)[0], (float[]) three.get(i)[0], "batch " + i + " features");
            assertArrayEquals((float[]) one.get(i)[1], (float[]) three.get(i)[1], "batch " + i + " targets");
            assertEquals(one.get(i)[2], three.get(i)[2]);
        }
        // resume from the position recorded after batch 2: the same batches 3.. as the uninterrupted read
        DataPosition after2 = (DataPosition) one.get(2)[3];
        List<Object[]> resumed = read(settings(2, 0.8, 1.0), after2);
        assertEquals(one.size() - 3, resumed.size());
        for (int i = 0; i < resumed.size(); i++) {
            assertArrayEquals((float[]) one.get(i + 3)[0], (float[]) resumed.get(i)[0], "resumed batch " + i);
            assertEquals(one.get(i + 3)[2], resumed.get(i)[2]);
        }
        assertTrue(one.stream().anyMatch(b -> b[4] != null), "some batches used CutMix and carry a patch mask");
    }

    @Test
    void everyImageOncePerEpochInANewOrderEachEpoch() throws Exception {
        Map<String, Integer> count = new HashMap<>();
        List<String> order0 = new ArrayList<>();
        for (Object[] b : read(settings(2, 0, 0), DataPosition.start(0))) {
            for (Object k : (List<?>) b[2]) {
                count.merge((String) k, 1, Integer::sum);
                order0.add((String) k);
            }
        }
        assertEquals(45, count.size());
        assertTrue(count.values().stream().allMatch(c -> c == 1));
        List<String> order1 = new ArrayList<>();
        for (Object[] b : read(settings(2, 0, 0), DataPosition.start(1))) {
            for (Object k : (List<?>) b[2]) {
                order1.add((String) k);
            }
        }
        assertEquals(45, order1.size());
        assertNotEquals(order0, order1, "epoch 1 is reshuffled");
        // one-hot targets without mixing
        float[] targets = (float[]) read(settings(2, 0, 0), DataPosition.start(0)).get(0)[1];
        for (int i = 0; i < 8; i++) {
            float sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += targets[i * 3 + c];
            }
            assertEquals(1f, sum);
        }
    }

    @Test
    void workersSplitTheShardsAndDropLastDropsTheRemainder() throws Exception {
        assertEquals(List.of(0, 2), ShardReader.share(4, 0, 2));
        assertEquals(List.of(1, 3), ShardReader.share(4, 1, 2));
        ReaderSettings s = settings(2, 0, 0);
        ReaderSettings half = new ReaderSettings("train", ShardReader.share(4, 1, 2), 7, 8, 16, 3, 3, s.pipeline(),
                true, true, 0, 0, 4, 2, 2, false, null, null, 1);
        try (ShardReader r = new ShardReader(manifest(), half, CONF)) {
            long images = r.images();
            assertEquals(images / 8, r.batchesPerEpoch());
            int batches = 0;
            for (Iterator<ShardBatch> it = r.epoch(DataPosition.start(0)); it.hasNext(); it.next()) {
                batches++;
            }
            assertEquals(images / 8, batches);
        }
    }

    @Test
    void localRoundTripAndAMissingManifestIsAClearError() throws Exception {
        assertEquals(45, RoundTrip.assertReaderMatchesLocalDecode(shards, CONF, "train", dir.resolve("src"), CLASSES,
                24));
        FileSystem fs = FileSystem.getLocal(CONF);
        IOException e = assertThrows(IOException.class, () -> ShardManifest.read(fs,
                new org.apache.hadoop.fs.Path(dir.resolve("src").toUri())));
        assertTrue(e.getMessage().contains("not a complete vitspark dataset"), e.getMessage());
        assertNotNull(manifest().shards("train"));
        assertThrows(IllegalArgumentException.class, () -> manifest().shards("validation"));
    }
}
