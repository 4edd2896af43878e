package org.vitspark.jobs;

import java.io.PrintWriter;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.config.SearchSettings;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.evolve.EvolveRun;
import org.vitspark.runtime.Backend;
import org.vitspark.runtime.UsageException;
import org.vitspark.search.Evolution;
import org.vitspark.spark.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitspark search evolve}: evolutionary search over a trained supernet (search.supernet), on Spark. */
@Command(name = "evolve", mixinStandardHelpOptions = true,
        description = {"Evolutionary search over the supernet of search.supernet: candidates in the MACs band scored",
            "with inherited weights on search.score-split (held-out training images) as Spark tasks; writes",
            "top-genomes.json (retrain its best: train --set model.genome=<file>), random-genomes.json and",
            "evolve-state.json (rerunning the same command resumes). With --score FILE it only scores that file's",
            "genomes and writes scores.json."})
public final class SearchEvolveJob extends JobCommand {

    @Option(names = "--output", paramLabel = "DIR", description = "Where the search writes; default <supernet run>/evolve.")
    String output;

    @Option(names = "--score", paramLabel = "FILE", description = "Only score the genomes of FILE (a genome list).")
    String scoreFile;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new SearchEvolveJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        TrainJob.requireData(config);
        if (config.settings().search().supernet().isEmpty()) {
            throw new UsageException("search.supernet: set it to the run directory of a finished search supernet run");
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        Settings s = config.settings();
        SearchSettings x = s.search();
        return String.format("search evolve: supernet %s, population %d x %d generations, band %.2f-%.2f x MACs of "
                        + "model %s, scored on %d images of split %s, %d random baseline genomes, output %s",
                x.supernet(), x.population(), x.generations(), x.bandMin(), x.bandMax(), s.model().name(),
                x.scoreImages(), x.scoreSplit(), x.random(), output != null ? output : x.supernet() + "/evolve");
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings s = config.settings();
        out.println(Backend.start(s.backend()));
        try (JavaSparkContext sc = SparkContexts.start(s, "search-evolve")) {
            EvolveRun search = new EvolveRun(s, out);
            if (scoreFile != null) {
                out.println("scores " + search.scoreFile(sc, scoreFile, output));
                out.flush();
                return OK;
            }
            EvolveRun.Outcome o = search.run(sc, output);
            Evolution.Scored best = o.state().population().get(0);
            double[] random = o.random().stream().mapToDouble(Evolution.Scored::score).sorted().toArray();
            String baseline = random.length == 0 ? "" : String.format(", random in-band genomes: median %.4f, "
                    + "95th percentile %.4f", random[random.length / 2], percentile(random, 0.95));
            out.printf("done: best %.4f at %,d MACs after %d evaluations%s%n", best.score(), best.macs(),
                    o.state().evaluated().size(), baseline);
            out.println("genomes " + new org.apache.hadoop.fs.Path(o.dir(), "top-genomes.json"));
            out.flush();
        }
        return OK;
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
