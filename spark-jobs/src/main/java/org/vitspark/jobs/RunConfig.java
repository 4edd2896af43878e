package org.vitspark.jobs;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.vitspark.run.RunDirectory;

/** A run directory's own resolved configuration, for jobs that work on a finished run (analyze, report). */
final class RunConfig {

    private RunConfig() {
    }

    /** RUN_DIR/config.conf when RUN_DIR is on the local filesystem and has one, else null. */
    static Path of(String runDir) {
        String scheme = URI.create(runDir.replace(" ", "%20")).getScheme();
        if (scheme != null && !scheme.equals("file")) {
            return null; // remote run directories: pass --config
        }
        Path p = Paths.get(scheme == null ? runDir : URI.create(runDir).getPath(), RunDirectory.CONFIG_FILE);
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * The usage error of a RUN_DIR argument that is on the local filesystem and is not a run directory, or
     * null when it is one (remote directories are checked when opened).
     */
    static String notARun(String job, String runDir) {
        String scheme = URI.create(runDir.replace(" ", "%20")).getScheme();
        if (scheme != null && !scheme.equals("file")) {
            return null;
        }
        Path dir = Paths.get(scheme == null ? runDir : URI.create(runDir).getPath());
        if (!Files.isDirectory(dir)) {
            return job + ": no run directory " + runDir;
        }
        return of(runDir) == null ? job + ": " + runDir + " is not a run directory (no config.conf in it)" : null;
    }
}
