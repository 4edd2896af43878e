package org.vitspark.io;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.config.VitsparkConfig;

/**
 * A run directory {@code <run.root>/<run.name>/<run-id>/} on any Hadoop filesystem. Created with the
 * resolved configuration (secrets hidden) and its hash, so every artefact sits next to what made it.
 */
public final class RunDirectory {

    public static final String CONFIG_FILE = "config.conf";
    public static final String HASH_FILE = "config.sha256";

    private final FileSystem fs;
    private final Path path;

    private RunDirectory(FileSystem fs, Path path) {
        this.fs = fs;
        this.path = path;
    }

    /** Creates the run directory for {@code config} and writes config.conf and config.sha256 into it. */
    public static RunDirectory create(VitsparkConfig config, Configuration hadoop) throws IOException {
        String id = config.getString("run.id");
        if (id.isEmpty()) {
            id = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-" + config.hash().substring(0, 8);
        }
        Path dir = new Path(new Path(config.getString("run.root"), config.getString("run.name")), id);
        FileSystem fs = dir.getFileSystem(hadoop);
        dir = fs.makeQualified(dir);
        fs.mkdirs(dir);
        RunDirectory run = new RunDirectory(fs, dir);
        HadoopFiles.writeString(fs, run.file(CONFIG_FILE), config.renderForRunDirectory());
        HadoopFiles.writeString(fs, run.file(HASH_FILE), config.hash() + "\n");
        return run;
    }

    /** An existing run directory (for eval and report). */
    public static RunDirectory open(String dir, Configuration hadoop) throws IOException {
        Path p = new Path(dir);
        FileSystem fs = p.getFileSystem(hadoop);
        if (!fs.exists(new Path(p, CONFIG_FILE))) {
            throw new java.io.FileNotFoundException(dir + " is not a run directory (no " + CONFIG_FILE + ")");
        }
        return new RunDirectory(fs, fs.makeQualified(p));
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
