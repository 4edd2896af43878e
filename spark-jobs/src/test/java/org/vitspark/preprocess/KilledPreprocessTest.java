package org.vitspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.ChildJvm;
import org.vitspark.shard.ShardManifest;
import org.vitspark.shard.ShardSchema;

/**
 * Fault injection: a preprocessing run in its own JVM is killed with SIGKILL while its tasks are writing
 * shards, over the output of an earlier complete run. Afterwards no reader takes anything there for data:
 * the manifest is gone (removed before any rewrite), and the split folder holds no Parquet file outside
 * the committer's {@code _temporary} (Spark SQL finds nothing). Re-running the same command completes the
 * dataset, with the same checksums as the first run.
 */
class KilledPreprocessTest {

    @TempDir
    Path dir;

    @Test
    void killedRunLeavesNoReadableDatasetAndTheRerunCompletesIt() throws Exception {
        Path in = dir.resolve("in");
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 50; i++) {
                Path f = in.resolve("class" + c + "/" + i + ".jpg");
                Files.createDirectories(f.getParent());
                Files.write(f, ImageDecoderTest.encode(ImageDecoderTest.halves(320 + i, 240, new Color(c * 60, i * 5, 90),
                        Color.GRAY), "jpeg"));
            }
        }
        Path out = dir.resolve("shards");
        Process first = start(in, out, dir.resolve("first.log"));
        assertEquals(0, first.waitFor(), Files.readString(dir.resolve("first.log")));
        String complete = Files.readString(out.resolve(ShardSchema.MANIFEST));

        Process killed = start(in, out, dir.resolve("killed.log"));
        Path temporary = out.resolve("train/_temporary");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (killed.isAlive() && committedTaskFiles(temporary) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(killed.isAlive(), "the run was still writing when killed: " + Files.readString(dir.resolve("killed.log")));
        assertTrue(committedTaskFiles(temporary) > 0, "some shards were already written");
        killed.destroyForcibly().waitFor();

        assertFalse(Files.exists(out.resolve(ShardSchema.MANIFEST)), "no manifest vouches for the partial data");
        try (Stream<Path> files = Files.list(out.resolve("train"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".parquet")),
                    "no shard outside _temporary");
        }
        IOException e = assertThrows(IOException.class,
                () -> ShardManifest.read(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(out.toUri())));
        assertTrue(e.getMessage().contains("not a complete vitspark dataset"), e.getMessage());
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("after-kill").getOrCreate()) {
            // Spark skips _-prefixed folders: what is left reads as no data at all
            assertThrows(Exception.class, () -> spark.read().parquet(out.resolve("train").toString()).count());
        }

        Process rerun = start(in, out, dir.resolve("rerun.log"));
        assertEquals(0, rerun.waitFor(), Files.readString(dir.resolve("rerun.log")));
        JsonNode before = new ObjectMapper().readTree(complete).get("splits").get("train");
        JsonNode after = new ObjectMapper().readTree(out.resolve(ShardSchema.MANIFEST).toFile()).get("splits").get("train");
        assertEquals(200, after.get("images").asInt());
        assertEquals(checksums(before), checksums(after), "the re-run writes the same shards as the first run");
    }

    private static List<String> checksums(JsonNode split) {
        List<String> out = new ArrayList<>();
        split.get("shards").forEach(s -> out.add(s.get("rows").asText() + ":" + s.get("content_sha256").asText()));
        out.sort(null);
        return out;
    }

    private static long committedTaskFiles(Path temporary) throws IOException {
        if (!Files.exists(temporary)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(temporary)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    /** {@code vitspark preprocess} in a child JVM. */
    private static Process start(Path in, Path out, Path log) throws IOException {
        return ChildJvm.start(log, "org.vitspark.jobs.PreprocessJob", "--input", in.toString(), "--output",
                out.toUri().toString(), "--shards", "8", "--set", "spark.master=local[2]");
    }
}
