package org.vitspark.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small Hadoop-filesystem helpers shared by jobs: configuration from vitspark's {@code hadoop} section, atomic writes. */
public final class HadoopFiles {

    private HadoopFiles() {
    }

    /**
     * Hadoop properties vitspark sets unless the {@code hadoop} config section overrides them:
     * <ul>
     * <li>{@code file://} through {@link PlainLocalFileSystem} (no {@code .crc} side files), uncached so that a
     *     checksumming instance some library made first is not handed back from Hadoop's filesystem cache;</li>
     * <li>bounded S3A calls: S3A's retry loop and the AWS SDK's retry loop nest (3.3.4 defaults 7 × 20 with
     *     back-off), which kept an unreachable endpoint silent for more than five minutes; here an unreachable
     *     endpoint fails in well under a minute, while a flaky one still gets retries.</li>
     * </ul>
     */
    public static final Map<String, String> DEFAULTS = Map.of(
            "fs.file.impl", PlainLocalFileSystem.class.getName(),
            "fs.file.impl.disable.cache", "true",
            "fs.s3a.attempts.maximum", "2",
            "fs.s3a.retry.limit", "3",
            "fs.s3a.retry.interval", "500ms",
            "fs.s3a.connection.establish.timeout", "5000",
            "fs.s3a.connection.timeout", "30000");

    /** A Hadoop configuration carrying {@link #DEFAULTS}, then every property of the {@code hadoop} config section. */
    public static Configuration configuration(Map<String, String> hadoopProperties) {
        Configuration conf = new Configuration();
        DEFAULTS.forEach(conf::set);
        hadoopProperties.forEach(conf::set);
        return conf;
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} so that readers see either the old file or the complete new one: the bytes go
     * to a hidden temporary sibling, which is then renamed over the target (atomic on HDFS and local
     * filesystems; on S3 a single object becomes visible only when its upload completes). The temporary
     * name does not repeat the target's: TensorBoard would load a half-written {@code .events.out.tfevents…}.
     */
    public static void writeAtomically(FileSystem fs, Path target, Content content) throws IOException {
        Path tmp = new Path(target.getParent(), ".tmp-" + UUID.randomUUID());
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                content.writeTo(out);
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("cannot replace " + target);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
        }
    }

    public static void writeString(FileSystem fs, Path target, String text) throws IOException {
        writeAtomically(fs, target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static String readString(FileSystem fs, Path file) throws IOException {
        try (var in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
