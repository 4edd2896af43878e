package org.vitspark.shard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.vitspark.digest.Sha256;

/**
 * Reads one shard's rows (key, label, encoded image) with parquet-hadoop alone: no Spark, so an executor's
 * training task can stream its shards itself; the other columns are not read (column projection).
 */
public final class ShardRows {

    /** The columns training needs. */
    static final String PROJECTION = "message shard { required binary key (UTF8); required int32 label; "
            + "required binary image; }";
    /** The columns training needs and each image's SHA-256, for a verifying read. */
    static final String VERIFYING = "message shard { required binary key (UTF8); required int32 label; "
            + "required binary image; required binary sha256 (UTF8); }";
    /** Shards this JVM has verified (path, length, time, manifest digest): once per shard per run. */
    private static final java.util.Set<String> VERIFIED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The columns of the content digest. */
    static final String CHECKSUMS = "message shard { required binary key (UTF8); required binary sha256 (UTF8); }";

    private ShardRows() {
    }

    /**
     * One image of a shard.
     *
     * @param bad why the row cannot be used (its bytes do not match their SHA-256), or null
     */
    public record ImageRow(String key, int label, byte[] image, String bad) {
        public ImageRow(String key, int label, byte[] image) {
            this(key, label, image, null);
        }
    }

    /**
     * SHA-256 over a shard's rows in file order ({@code key NUL sha256 LF} per row): what a re-run over the
     * same input reproduces exactly. The file's own SHA-256 does not survive a re-run in another JVM:
     * parquet-mr lists each column's encodings from a hash set whose iteration order varies per JVM.
     */
    public static String contentDigest(Path file, Configuration conf) throws IOException {
        Configuration c = new Configuration(conf);
        c.set(ReadSupport.PARQUET_READ_SCHEMA, CHECKSUMS);
        MessageDigest d = Sha256.digest();
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(c).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                d.update((g.getString("key", 0) + "\0" + g.getString("sha256", 0) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return Sha256.hex(d);
    }

    /**
     * A shard's rows. The first read of a shard in this JVM also verifies it: every image's bytes against the
     * row's SHA-256 (a row that differs is marked {@link ImageRow#bad}), and with {@code expectedDigest} (the
     * manifest's content digest; null for older manifests) the rows' digest against it (a different one fails:
     * the shard was replaced). Later reads skip the hashing.
     *
     * @param expectedRows the manifest's row count; a different count fails (a replaced or damaged shard)
     */
    public static List<ImageRow> read(Path file, Configuration conf, long expectedRows, String expectedDigest)
            throws IOException {
        // the file's length and modification time too: a shard rewritten in place is verified again
        org.apache.hadoop.fs.FileStatus st = file.getFileSystem(conf).getFileStatus(file);
        String id = file + "|" + st.getLen() + "|" + st.getModificationTime() + "|" + expectedRows + "|" + expectedDigest;
        boolean verify = !VERIFIED.contains(id);
        Configuration c = new Configuration(conf);
        c.set(ReadSupport.PARQUET_READ_SCHEMA, verify ? VERIFYING : PROJECTION);
        List<ImageRow> rows = new ArrayList<>((int) Math.max(16, expectedRows));
        MessageDigest content = verify ? Sha256.digest() : null;
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(c).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                String key = g.getString("key", 0);
                byte[] image = g.getBinary("image", 0).getBytes();
                String bad = null;
                if (verify) {
                    String sha = g.getString("sha256", 0);
                    content.update((key + "\0" + sha + "\n").getBytes(StandardCharsets.UTF_8));
                    if (!Sha256.hex(image).equals(sha)) {
                        bad = "its bytes do not match their SHA-256";
                    }
                }
                rows.add(new ImageRow(key, g.getInteger("label", 0), image, bad));
            }
        }
        if (rows.size() != expectedRows) {
            throw new IOException(file + " has " + rows.size() + " rows, the manifest says " + expectedRows
                    + " (shard replaced or damaged; re-run preprocess)");
        }
        if (verify) {
            String digest = Sha256.hex(content);
            if (expectedDigest != null && !digest.equals(expectedDigest)) {
                throw new IOException(file + ": its rows' digest " + digest.substring(0, 12) + "... differs from the "
                        + "manifest's " + expectedDigest.substring(0, Math.min(12, expectedDigest.length()))
                        + "... (shard replaced; re-run preprocess)");
            }
            VERIFIED.add(id);
        }
        return rows;
    }
}
