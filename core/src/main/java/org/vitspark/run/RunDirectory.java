package org.vitspark.run;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.config.Settings;
import org.vitspark.fs.HadoopFiles;

/**
 * A run directory {@code <run.root>/<run.name>/<run-id>/} on any Hadoop filesystem. Created with the
 * resolved configuration (secrets hidden) and its hash, so every artefact sits next to what made it.
 */
public final class RunDirectory {

    public static final String CONFIG_FILE = "config.conf";
    public static final String HASH_FILE = "config.sha256";

    private final FileSystem fs;
    private final Path path;
    /** Whether the directory held a run (config.conf) before this process opened it. */
    private final boolean existing;

    private RunDirectory(FileSystem fs, Path path, boolean existing) {
        this.fs = fs;
        this.path = path;
        this.existing = existing;
    }

    /**
     * Creates the run directory for {@code config} and writes config.conf and config.sha256 into it; an
     * existing run directory is left as it is until its resume is accepted ({@link #accept}).
     */
    public static RunDirectory create(Settings config, Configuration hadoop) throws IOException {
        String id = config.run().id();
        if (id.isEmpty()) {
            id = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-" + config.identity().substring(0, 8);
        }
        return create(config, hadoop, id);
    }

    private static RunDirectory create(Settings config, Configuration hadoop, String id) throws IOException {
        Path dir = new Path(new Path(config.run().root(), config.run().name()), id);
        FileSystem fs = dir.getFileSystem(hadoop);
        dir = fs.makeQualified(dir);
        boolean existing = fs.exists(new Path(dir, CONFIG_FILE));
        fs.mkdirs(dir);
        RunDirectory run = new RunDirectory(fs, dir, existing);
        if (!existing) {
            run.accept(config);
        }
        return run;
    }

    /**
     * Records {@code config} as the run's configuration (config.conf, config.sha256): at creation, and for an
     * existing run only once its resume has been accepted, so a refused resume leaves the run as it was.
     */
    public void accept(Settings config) throws IOException {
        HadoopFiles.writeString(fs, file(CONFIG_FILE), config.renderForRunDirectory());
        HadoopFiles.writeString(fs, file(HASH_FILE), config.hash() + "\n");
    }

    /** Whether the directory held a run before this process opened it. */
    public boolean existing() {
        return existing;
    }

    /**
     * After a failed start: removes a directory this process created when nothing was trained in it (no
     * checkpoint, no metrics row, no summary), so failed starts do not pile up as "unfinished runs". Returns
     * whether it was removed.
     */
    public boolean discardIfUnused() throws IOException {
        if (existing || fs.exists(file("summary.json"))) {
            return false;
        }
        Path checkpoints = file("checkpoints");
        if (fs.exists(checkpoints) && fs.listStatus(checkpoints).length > 0) {
            return false;
        }
        Path metrics = file("metrics.jsonl");
        if (fs.exists(metrics) && fs.getFileStatus(metrics).getLen() > 0) {
            return false;
        }
        return fs.delete(path, true);
    }

    /**
     * The run directory to train in. With an explicit run.id that directory (new or existing: training
     * resumes from its checkpoints). Without one, the newest unfinished run (no summary.json) of run.name:
     * <ul>
     * <li>whose id ends with this configuration's identity hash ({@link org.vitspark.config.RunIdentity}), or
     *     whose saved configuration differs only in free keys (logging, Spark, readers, ...), is continued, so
     *     rerunning a command after a crash or with another log cadence resumes it;</li>
     * <li>written with different trained settings is refused, naming the keys, unless a finished or no run
     *     is newer (a new id starts a new run then).</li>
     * </ul>
     */
    public static RunDirectory createOrResume(Settings config, Configuration hadoop) throws IOException {
        if (!config.run().id().isEmpty()) {
            return create(config, hadoop, config.run().id());
        }
        Path parent = new Path(config.run().root(), config.run().name());
        FileSystem fs = parent.getFileSystem(hadoop);
        String suffix = "-" + config.identity().substring(0, 8);
        if (fs.exists(parent)) {
            java.util.List<org.apache.hadoop.fs.FileStatus> runs = new java.util.ArrayList<>();
            for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(parent)) {
                if (st.isDirectory() && fs.exists(new Path(st.getPath(), CONFIG_FILE))) {
                    runs.add(st);
                }
            }
            runs.sort(java.util.Comparator.comparing((org.apache.hadoop.fs.FileStatus st) -> st.getPath().getName())
                    .reversed()); // ids start with a UTC timestamp
            for (org.apache.hadoop.fs.FileStatus st : runs) {
                if (fs.exists(new Path(st.getPath(), "summary.json"))) {
                    break; // the newest runs are finished: a new run follows them
                }
                String id = st.getPath().getName();
                java.util.Set<String> diff = org.vitspark.checkpoint.ResumeCheck.differences(
                        HadoopFiles.readString(fs, new Path(st.getPath(), CONFIG_FILE)), config.rendered());
                if (id.endsWith(suffix) || diff.isEmpty()) {
                    return create(config, hadoop, id);
                }
                throw new org.vitspark.runtime.UsageException("run " + st.getPath() + " of run.name \""
                        + config.run().name() + "\" is unfinished and was started with other settings (" + diff
                        + "): rerun with those to resume it, or start a new run with another run.name or --set run.id=NEW");
            }
        }
        return create(config, hadoop, ZonedDateTime.now(ZoneOffset.UTC).format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + suffix);
    }

    /** An existing run directory (for eval and report). */
    public static RunDirectory open(String dir, Configuration hadoop) throws IOException {
        Path p = new Path(dir);
        FileSystem fs = p.getFileSystem(hadoop);
        if (!fs.exists(new Path(p, CONFIG_FILE))) {
            throw new java.io.FileNotFoundException(dir + " is not a run directory (no " + CONFIG_FILE + ")");
        }
        return new RunDirectory(fs, fs.makeQualified(p), true);
    }

    public Path file(String name) {
        return new Path(path, name);
    }

    public FileSystem fs() {
        return fs;
    }

    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
