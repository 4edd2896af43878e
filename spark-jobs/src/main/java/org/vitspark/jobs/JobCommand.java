package org.vitspark.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vitspark.config.ConfigError;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.ConfigValidationException;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The shape every job shares: load and validate the configuration (exit 2 on any error, before Spark
 * or ND4J start), honour --print-config and --dry-run, then run.
 */
public abstract class JobCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_USAGE = 2;

    @Mixin
    protected JobOptions options = new JobOptions();

    @Spec
    protected CommandSpec spec;

    /** The plan printed by --dry-run: what would be read, written and trained. */
    protected abstract String plan(VitsparkConfig config);

    /** Checks arguments and inputs cheaply (no Spark); throws {@link UsageException}. */
    protected void checkInputs(VitsparkConfig config) {
    }

    protected abstract int run(VitsparkConfig config) throws Exception;

    /** The experiment file used when --config is not given (null = reference.conf alone). */
    protected java.nio.file.Path defaultConfig() {
        return null;
    }

    /** Overrides a job's own options imply (e.g. {@code --variant}); applied after the user's --set. */
    protected List<String> extraSets() {
        return List.of();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        VitsparkConfig config;
        try {
            config = ConfigLoader.standard().load(ConfigSources.of(
                    options.config != null ? options.config : defaultConfig(), allSets()));
        } catch (ConfigValidationException e) {
            err.println(spec.qualifiedName() + ": invalid configuration (" + e.errors().size() + " error"
                    + (e.errors().size() == 1 ? "" : "s") + "):");
            for (ConfigError error : e.errors()) {
                err.println("  " + error);
            }
            err.flush();
            return BAD_USAGE;
        }
        if (options.printConfig) {
            out.print(config.renderForRunDirectory());
            out.flush();
        }
        try {
            checkInputs(config);
        } catch (UsageException e) {
            return reportUsage(err, config, e);
        } catch (Exception | Error e) {
            return reportFailure(err, config, e); // e.g. the data's filesystem cannot be reached
        }
        if (options.dryRun) {
            out.println(plan(config));
            out.flush();
            return OK;
        }
        if (options.printConfig) {
            return OK;
        }
        try {
            return run(config);
        } catch (UsageException e) {
            return reportUsage(err, config, e);
        } catch (Exception | Error e) {
            return reportFailure(err, config, e);
        }
    }

    /**
     * A runtime failure in one line naming what went wrong (secrets scrubbed); the stack trace goes to a log
     * file, and to the terminal too with --verbose.
     */
    private int reportFailure(PrintWriter err, VitsparkConfig config, Throwable e) {
        String trace = config.secrets().scrub(config.raw(), org.vitspark.runtime.Failures.stackTrace(e));
        java.nio.file.Path log = null;
        try {
            log = java.nio.file.Files.createTempFile("vitspark-" + spec.name() + "-", ".log");
            java.nio.file.Files.writeString(log, trace);
        } catch (java.io.IOException | RuntimeException cannotWrite) {
            log = null;
        }
        err.println(spec.qualifiedName() + ": failed: "
                + config.secrets().scrub(config.raw(), org.vitspark.runtime.Failures.summary(e)));
        if (options.verbose) {
            err.println(trace);
        } else {
            err.println("  stack trace: " + (log != null ? log + " (or rerun with --verbose)" : "rerun with --verbose"));
        }
        err.flush();
        return FAILED;
    }

    private List<String> allSets() {
        List<String> sets = new ArrayList<>(options.sets);
        sets.addAll(extraSets());
        return sets;
    }

    private int reportUsage(PrintWriter err, VitsparkConfig config, UsageException e) {
        err.println(spec.qualifiedName() + ": " + config.secrets().scrub(config.raw(), e.getMessage()));
        err.flush();
        return BAD_USAGE;
    }
}
