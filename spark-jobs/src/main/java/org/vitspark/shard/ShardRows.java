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
    /** The columns of the content digest. */
    static final String CHECKSUMS = "message shard { required binary key (UTF8); required binary sha256 (UTF8); }";

    private ShardRows() {
    }

    /** One image of a shard. */
    public record ImageRow(String key, int label, byte[] image) {
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
     * @param expectedRows the manifest's row count; a different count fails (a replaced or damaged shard)
     */
    public static List<ImageRow> read(Path file, Configuration conf, long expectedRows) throws IOException {
        Configuration c = new Configuration(conf);
        c.set(ReadSupport.PARQUET_READ_SCHEMA, PROJECTION);
        List<ImageRow> rows = new ArrayList<>((int) Math.max(16, expectedRows));
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(c).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                rows.add(new ImageRow(g.getString("key", 0), g.getInteger("label", 0),
                        g.getBinary("image", 0).getBytes()));
            }
        }
        if (rows.size() != expectedRows) {
            throw new IOException(file + " has " + rows.size() + " rows, the manifest says " + expectedRows
                    + " (shard replaced or damaged; re-run preprocess)");
        }
        return rows;
    }
}
