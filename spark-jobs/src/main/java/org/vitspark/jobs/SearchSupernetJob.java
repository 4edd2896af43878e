package org.vitspark.jobs;

import java.io.IOException;
import org.vitspark.config.SearchSettings;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.driver.Recipes;
import org.vitspark.runtime.UsageException;
import org.vitspark.search.GenomeSampler;
import org.vitspark.shard.ShardLocation;
import picocli.CommandLine.Command;

/** {@code vitspark search supernet}: trains ViTAS's weight-sharing supernet on Spark (embedded local[*] by default). */
@Command(name = "supernet", mixinStandardHelpOptions = true,
        description = {"Trains the weight-sharing supernet of search.* (each step one genome drawn from the seed and",
            "the step, identity probability calibrated to the MACs band) with parameter averaging and SAM when on;",
            "writes a run directory like train. Evaluations run the baseline's genome. Rerunning the same command",
            "resumes an unfinished run from its latest checkpoint. Search it next with: search evolve"})
public final class SearchSupernetJob extends JobCommand {

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new SearchSupernetJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        TrainJob.requireData(config);
        Settings s = config.settings();
        SearchSettings x = s.search();
        try {
            new GenomeSampler(x.space(s.model()), x.identityProb()).calibrated(s.run().seed(), x.minMacs(s.model()),
                    x.maxMacs(s.model()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (!s.objective().equals(org.vitspark.objective.ObjectiveSpec.crossEntropy(s.optim().labelSmoothing()))) {
            throw new UsageException("loss.patch.*: the supernet trains with cross-entropy alone; set the patch losses to 0");
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        Settings s = config.settings();
        SearchSettings x = s.search();
        return String.format("search supernet: shards %s (from %s), space %s, %s channels, MACs band [%,d, %,d] "
                        + "(%.2f-%.2f x model %s), %d epochs, batch %d per worker, averaging every %d, master %s, "
                        + "run dir %s/%s/<run-id>", ShardLocation.root(s), s.data().path(), x.space(s.model()).describe(),
                x.channels().name().toLowerCase(java.util.Locale.ROOT), x.minMacs(s.model()), x.maxMacs(s.model()),
                x.bandMin(), x.bandMax(), s.model().name(), s.train().epochs(), s.train().batchPerWorker(),
                s.train().averagingFrequency(), s.spark().master(), s.run().root(), s.run().name());
    }

    @Override
    protected int run(VitsparkConfig config) throws IOException {
        TrainJob.trainOnShards(config.settings(), spec.commandLine().getOut(), "search-supernet", Recipes.SUPERNET,
                (r, run) -> String.format("done: evaluation genome (the baseline's, or the widest) %s top-1 %.4f "
                        + "after %d rounds in %.1f s; supernet %s",
                        config.settings().data().evalSplit(), r.testAccuracy(), r.rounds(), r.seconds(),
                        run.file("model.zip")));
        return OK;
    }
}
