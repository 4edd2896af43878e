package org.vitspark.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A dataset's {@code _manifest.json} (docs/shard-format.md): the only way readers find shards, so a
 * dataset whose preprocessing did not finish (no manifest) is never read.
 */
public final class ShardManifest implements Serializable {

    private final String root;
    private final List<String> classes;
    private final JsonNode splits;

    private ShardManifest(String root, List<String> classes, JsonNode splits) {
        this.root = root;
        this.classes = classes;
        this.splits = splits;
    }

    /**
     * One shard as the manifest lists it.
     *
     * @param contentSha256 the digest of its rows' keys and image SHA-256s ({@link ShardRows#contentDigest}),
     *                      or null in manifests written before it existed
     */
    public record Shard(String file, long rows, long bytes, String sha256, String contentSha256) implements Serializable {
    }

    public static ShardManifest read(FileSystem fs, Path root) throws IOException {
        Path file = new Path(root, ShardSchema.MANIFEST);
        JsonNode m;
        try (InputStream in = fs.open(file)) {
            m = new ObjectMapper().readTree(in);
        } catch (FileNotFoundException e) {
            throw new IOException("no " + file + ": not a complete vitspark dataset (preprocess writes the manifest "
                    + "last; an interrupted run leaves none; re-run `vitspark preprocess`)", e);
        }
        if (m == null || !ShardSchema.FORMAT.equals(m.path("format").asText())) {
            throw new IOException(file + ": format is '" + (m == null ? "" : m.path("format").asText())
                    + "', this reader reads " + ShardSchema.FORMAT + " (re-run preprocess with this version)");
        }
        List<String> classes = new ArrayList<>();
        m.path("classes").forEach(c -> classes.add(c.asText()));
        return new ShardManifest(root.toString(), List.copyOf(classes), m.path("splits"));
    }

    public List<String> classes() {
        return classes;
    }

    public String root() {
        return root;
    }

    public List<String> splitNames() {
        List<String> out = new ArrayList<>();
        splits.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The shards of a split, in manifest order (a shard's index is its position here). */
    public List<Shard> shards(String split) {
        JsonNode s = splits.get(split);
        if (s == null) {
            throw new IllegalArgumentException("the dataset at " + root + " has no split '" + split + "' (has: "
                    + String.join(", ", splitNames()) + ")");
        }
        List<Shard> out = new ArrayList<>();
        for (JsonNode n : s.path("shards")) {
            out.add(new Shard(n.path("file").asText(), n.path("rows").asLong(), n.path("bytes").asLong(),
                    n.path("sha256").asText(), n.hasNonNull("content_sha256") ? n.path("content_sha256").asText() : null));
        }
        return out;
    }

    public long images(String split) {
        return shards(split).stream().mapToLong(Shard::rows).sum();
    }

    public Path path(Shard shard) {
        return new Path(root, shard.file());
    }
}
