package org.vitspark.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every job shares: where the configuration comes from and whether to run at all. */
public final class JobOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Experiment file (HOCON) over reference.conf.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one key (repeatable; wins over --config and -Dvitspark.KEY=VALUE).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--print-config", description = "Print the resolved configuration (secrets hidden) and its hash.")
    boolean printConfig;

    @Option(names = "--dry-run", description = "Validate and print the plan; start nothing.")
    boolean dryRun;

    @Option(names = "--verbose", description = "On failure, print the stack trace here too (it always goes to a log file).")
    boolean verbose;
}
