package org.vitspark.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vitspark search supernet|evolve}: ViTAS architecture search (docs/search.md). */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"ViTAS architecture search: train the weight-sharing supernet, then search it by evolution.",
            "Retrain the result with: train --set model.genome=<evolve output>/top-genomes.json"},
        subcommands = {SearchSupernetJob.class, SearchEvolveJob.class, CommandLine.HelpCommand.class})
public final class SearchJob implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a search step is required (supernet, evolve)");
    }
}
