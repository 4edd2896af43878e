package org.vitspark.checkpoint;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.digest.Sha256;

/**
 * Checkpoints in {@code <run>/checkpoints} on any Hadoop filesystem. Each is a directory
 * {@code round-NNNNNNNN/} holding params.bin, updater.bin, config.conf and, written last, state.json with
 * the SHA-256 of the others. Only then is {@code LATEST} replaced (one small object: atomic on HDFS, local
 * disks and S3) with the directory's name and state.json's SHA-256. Readers trust only that chain: a
 * directory LATEST does not name was never published. A newest checkpoint that fails its checksums
 * falls back to the previous one with a warning; if none verifies, loading fails rather than restarting
 * from scratch. The newest {@code keep} checkpoints are kept.
 */
public final class CheckpointStore {

    public static final String LATEST = "LATEST";
    static final String PARAMS = "params.bin";
    static final String UPDATER = "updater.bin";
    static final String CONFIG = "config.conf";
    static final String STATE = "state.json";
    static final String PREFIX = "round-";

    private final FileSystem fs;
    private final Path root;
    private final int keep;
    private final PrintWriter out;

    public CheckpointStore(FileSystem fs, Path root, int keep, PrintWriter out) {
        this.fs = fs;
        this.root = root;
        this.keep = keep;
        this.out = out;
    }

    public Path root() {
        return root;
    }

    /** Writes and publishes a checkpoint; returns its directory name. Refuses non-finite arrays. */
    public String write(TrainState state, INDArray params, INDArray updater, String config) throws IOException {
        requireFinite(params, "parameters", state);
        if (updater != null) {
            requireFinite(updater, "updater state", state);
        }
        String name = String.format("%s%08d", PREFIX, state.round());
        Path dir = new Path(root, name);
        if (fs.exists(dir)) {
            fs.delete(dir, true); // an unpublished leftover of an interrupted attempt at this round
        }
        fs.mkdirs(dir);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(PARAMS, write(new Path(dir, PARAMS), params));
        if (updater != null) {
            files.put(UPDATER, write(new Path(dir, UPDATER), updater));
        }
        files.put(CONFIG, write(new Path(dir, CONFIG), config.getBytes(StandardCharsets.UTF_8)));
        String stateSha = write(new Path(dir, STATE), state.toJson(files).getBytes(StandardCharsets.UTF_8));
        HadoopFiles.writeString(fs, new Path(root, LATEST), name + " " + stateSha + "\n");
        prune(state.round());
        return name;
    }

    /**
     * The newest checkpoint that verifies, or empty when there is none (without LATEST: none that verifies).
     *
     * @throws IOException when LATEST exists but neither it nor any older checkpoint verifies
     */
    public Optional<Checkpoint> loadLatest() throws IOException {
        Path latest = new Path(root, LATEST);
        List<String> dirs = roundDirs();
        if (!fs.exists(latest)) {
            return newestVerifying(dirs);
        }
        String[] pointer = HadoopFiles.readString(fs, latest).trim().split(" ");
        List<String[]> candidates = new ArrayList<>();
        candidates.add(pointer);
        for (String d : dirs) {
            if (d.compareTo(pointer[0]) < 0) {
                candidates.add(new String[] {d});
            }
        }
        List<String> failures = new ArrayList<>();
        for (String[] c : candidates) {
            try {
                Checkpoint cp = load(c[0], c.length > 1 ? c[1] : null);
                if (!failures.isEmpty()) {
                    warn("resuming from the older checkpoint " + c[0] + " (skipped: " + String.join("; ", failures) + ")");
                }
                return Optional.of(cp);
            } catch (IOException | RuntimeException e) {
                failures.add(c[0] + ": " + e.getMessage());
                warn("checkpoint " + new Path(root, c[0]) + " is unusable: " + e.getMessage());
            }
        }
        throw new IOException("no checkpoint in " + root + " verifies (" + String.join("; ", failures)
                + "); refusing to restart from scratch: move the run directory away to start a new run");
    }

    /**
     * Without LATEST (deleted, or lost before the first publish): the newest checkpoint directory that
     * verifies against its own checksums, said so; a run never starts over while one verifies. Directories
     * that do not verify (a write cut short) are ignored when none does.
     */
    private Optional<Checkpoint> newestVerifying(List<String> dirs) {
        List<String> failures = new ArrayList<>();
        for (String d : dirs) { // newest first
            try {
                Checkpoint cp = load(d, null);
                warn("no " + LATEST + " in " + root + ": resuming from the newest checkpoint that verifies, " + d
                        + (failures.isEmpty() ? "" : " (skipped: " + String.join("; ", failures) + ")"));
                return Optional.of(cp);
            } catch (IOException | RuntimeException e) {
                failures.add(d + ": " + e.getMessage());
            }
        }
        if (!dirs.isEmpty()) {
            warn("ignoring unpublished checkpoint directories " + dirs + " in " + root + " (no " + LATEST
                    + ", none verifies: " + String.join("; ", failures) + ")");
        }
        return Optional.empty();
    }

    /** Loads and verifies the checkpoint directory {@code name} (e.g. round-00000200) against its own checksums. */
    public Checkpoint loadNamed(String name) throws IOException {
        if (!fs.exists(new Path(root, name))) {
            throw new java.io.FileNotFoundException("no checkpoint " + name + " in " + root + " (present: " + roundDirs() + ")");
        }
        return load(name, null);
    }

    /** Loads and verifies one checkpoint directory; {@code stateSha} (from LATEST) may be null for older ones. */
    Checkpoint load(String name, String stateSha) throws IOException {
        Path dir = new Path(root, name);
        byte[] stateBytes = read(new Path(dir, STATE));
        if (stateSha != null && !stateSha.equals(Sha256.hex(stateBytes))) {
            throw new IOException(STATE + " does not match the SHA-256 recorded in " + LATEST);
        }
        Config json = ConfigFactory.parseString(new String(stateBytes, StandardCharsets.UTF_8));
        TrainState state = TrainState.fromJson(json);
        INDArray params = array(dir, PARAMS, json);
        INDArray updater = TrainState.fileSha(json, UPDATER) == null ? null : array(dir, UPDATER, json);
        String config = new String(verified(dir, CONFIG, json), StandardCharsets.UTF_8);
        requireFinite(params, "parameters", state);
        if (updater != null) {
            requireFinite(updater, "updater state", state);
        }
        return new Checkpoint(name, state, params, updater, config);
    }

    private INDArray array(Path dir, String file, Config json) throws IOException {
        byte[] bytes = verified(dir, file, json);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        }
    }

    private byte[] verified(Path dir, String file, Config json) throws IOException {
        String expected = TrainState.fileSha(json, file);
        if (expected == null) {
            throw new IOException(STATE + " records no checksum for " + file);
        }
        byte[] bytes = read(new Path(dir, file));
        if (!expected.equals(Sha256.hex(bytes))) {
            throw new IOException(file + " fails its SHA-256 check (truncated or corrupt)");
        }
        return bytes;
    }

    /** Checkpoint directory names, newest first. */
    List<String> roundDirs() throws IOException {
        List<String> names = new ArrayList<>();
        if (fs.exists(root)) {
            for (FileStatus s : fs.listStatus(root)) {
                if (s.isDirectory() && s.getPath().getName().startsWith(PREFIX)) {
                    names.add(s.getPath().getName());
                }
            }
        }
        names.sort(java.util.Comparator.reverseOrder());
        return names;
    }

    private void prune(int publishedRound) throws IOException {
        String published = String.format("%s%08d", PREFIX, publishedRound);
        int kept = 0;
        for (String d : roundDirs()) {
            if (d.compareTo(published) > 0) {
                fs.delete(new Path(root, d), true); // newer than the pointer: never published
            } else if (++kept > keep) {
                fs.delete(new Path(root, d), true);
            }
        }
    }

    private String write(Path file, INDArray array) throws IOException {
        MessageDigest digest = Sha256.digest();
        try (FSDataOutputStream raw = fs.create(file, true);
             DataOutputStream data = new DataOutputStream(new DigestOutputStream(raw, digest))) {
            Nd4j.write(array, data);
        }
        return Sha256.hex(digest);
    }

    private String write(Path file, byte[] bytes) throws IOException {
        try (FSDataOutputStream o = fs.create(file, true)) {
            o.write(bytes);
        }
        return Sha256.hex(bytes);
    }

    private byte[] read(Path file) throws IOException {
        try (var in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    /** No checkpoint may hold NaN or ±Inf: training resumed from it could never recover. */
    static void requireFinite(INDArray a, String what, TrainState state) {
        if (BooleanIndexing.or(a, Conditions.isNan()) || BooleanIndexing.or(a, Conditions.isInfinite())) {
            throw new IllegalStateException(what + " hold non-finite values at round " + state.round()
                    + "; refusing to checkpoint them");
        }
    }

    private void warn(String message) {
        out.println("WARNING: " + message);
        out.flush();
        org.slf4j.LoggerFactory.getLogger(CheckpointStore.class).warn(message);
    }
}
