package org.vitspark.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.augment.Pipeline;
import org.vitspark.config.ReaderSettings;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.digest.Sha256;
import org.vitspark.jobs.PreprocessJob;
import picocli.CommandLine;

/**
 * Issue 19: a damaged image inside a shard fails the read naming shard, row and key (data.bad-records = fail),
 * or is left out of its batch, logged and counted, the same way on every read (skip); a shard whose rows no
 * longer match the manifest's digest fails whatever the policy.
 */
class BadRecordsTest {

    @TempDir
    Path dir;
    String shards;
    static final Configuration CONF = new Configuration();

    @BeforeEach
    void preprocess() throws Exception {
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 6; i++) {
                Path f = dir.resolve("src/" + (c == 0 ? "a" : "b") + "/" + i + ".png");
                Files.createDirectories(f.getParent());
                Files.write(f, ImageDecoderTest.encode(ImageDecoderTest.halves(20, 16, Color.RED, Color.WHITE), "png"));
            }
        }
        shards = dir.resolve("shards").toUri().toString();
        CommandLine cli = new CommandLine(new PreprocessJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(0, cli.execute("--input", dir.resolve("src").toString(), "--output", shards, "--shards", "1",
                "--set", "spark.master=local[1]"), out.toString());
    }

    private ShardManifest manifest() throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(shards);
        return ShardManifest.read(root.getFileSystem(CONF), root);
    }

    private static ReaderSettings settings(boolean skip) {
        return new ReaderSettings("train", List.of(0), 7, 4, 16, 3, 2, Pipeline.parse("normalize(half)"), false, false,
                0, 0, 4, 1, 2, false, null, null, 1, skip);
    }

    private List<String> keys(boolean skip, long[] bad) throws IOException {
        List<String> keys = new ArrayList<>();
        try (ShardReader r = new ShardReader(manifest(), settings(skip), CONF)) {
            Iterator<ShardBatch> it = r.epoch(DataPosition.start(0));
            while (it.hasNext()) {
                keys.addAll(it.next().keys());
            }
            bad[0] = r.badRecords();
        }
        return keys;
    }

    /** Rewrites the shard with row {@code row}'s image replaced; {@code rehash} also updates its SHA-256 column. */
    private String damage(int row, byte[] image, boolean rehash) throws IOException {
        ShardManifest m = manifest();
        org.apache.hadoop.fs.Path file = m.path(m.shards("train").get(0));
        MessageType schema;
        try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(file, CONF))) {
            schema = f.getFooter().getFileMetaData().getSchema();
        }
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(CONF).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                rows.add(g);
            }
        }
        String key = rows.get(row).getString("key", 0);
        java.nio.file.Files.delete(Path.of(file.toUri()));
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file).withType(schema).withConf(CONF).build()) {
            for (int i = 0; i < rows.size(); i++) {
                Group in = rows.get(i);
                Group out = groups.newGroup();
                for (Type t : schema.getFields()) {
                    String name = t.getName();
                    if (i == row && name.equals("image")) {
                        out.add(name, Binary.fromConstantByteArray(image));
                    } else if (i == row && name.equals("sha256") && rehash) {
                        out.add(name, Sha256.hex(image));
                    } else if (t.asPrimitiveType().getPrimitiveTypeName().name().equals("INT32")) {
                        out.add(name, in.getInteger(name, 0));
                    } else {
                        out.add(name, in.getBinary(name, 0));
                    }
                }
                w.write(out);
            }
        }
        return key;
    }

    @Test
    void bytesThatDoNotMatchTheirHashFailNamingTheRowOrAreSkippedTheSameWayEveryTime() throws Exception {
        List<String> before = keys(false, new long[1]);
        assertEquals(12, before.size());
        byte[] flipped = java.util.Base64.getDecoder().decode(java.util.Base64.getEncoder().encodeToString(
                new byte[] {9, 9, 9}));
        String key = damage(5, flipped, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keys(false, new long[1]));
        assertTrue(e.getMessage().contains("row") && e.getMessage().contains("(key " + key + ")")
                && e.getMessage().contains("do not match their SHA-256") && e.getMessage().contains("bad-records = skip"),
                e.getMessage());
        long[] bad = new long[1];
        List<String> skipped = keys(true, bad);
        assertEquals(11, skipped.size());
        assertFalse(skipped.contains(key));
        assertEquals(1, bad[0]);
        assertEquals(skipped, keys(true, new long[1]), "a skip is deterministic");
    }

    @Test
    void anImageThatDoesNotDecodeIsNamedOrSkippedButARewrittenShardFailsAnyway() throws Exception {
        String key = damage(3, "not an image".getBytes(), true); // a consistent row, but the digest now differs
        IllegalStateException replaced = assertThrows(IllegalStateException.class, () -> keys(true, new long[1]));
        assertTrue(replaced.getMessage().contains("differs from the manifest"), replaced.getMessage());
        // the manifest brought up to date (as if preprocess had written the undecodable bytes itself)
        ShardManifest m = manifest();
        org.apache.hadoop.fs.Path file = m.path(m.shards("train").get(0));
        String digest = ShardRows.contentDigest(file, CONF);
        Path manifestFile = Path.of(java.net.URI.create(shards)).resolve(ShardSchema.MANIFEST);
        String json = Files.readString(manifestFile);
        Files.writeString(manifestFile, json.replace(m.shards("train").get(0).contentSha256(), digest));
        IllegalStateException undecodable = assertThrows(IllegalStateException.class, () -> keys(false, new long[1]));
        assertTrue(undecodable.getMessage().contains("does not decode") && undecodable.getMessage().contains(key),
                undecodable.getMessage());
        long[] bad = new long[1];
        assertEquals(11, keys(true, bad).size());
        assertEquals(1, bad[0]);
    }
}
