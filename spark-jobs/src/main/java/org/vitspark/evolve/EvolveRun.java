package org.vitspark.evolve;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.vitspark.config.SearchSettings;
import org.vitspark.config.Settings;
import org.vitspark.dataset.DataOpener;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.network.SupernetConf;
import org.vitspark.network.SupernetLayer;
import org.vitspark.rng.Purpose;
import org.vitspark.rng.Rng;
import org.vitspark.runtime.UsageException;
import org.vitspark.search.Evolution;
import org.vitspark.search.Genome;
import org.vitspark.search.GenomeJson;
import org.vitspark.search.GenomeSampler;
import org.vitspark.search.SearchSpace;

/**
 * {@code search evolve}: the evolutionary search over a trained supernet. Candidates are scored with inherited
 * weights on held-out training images (search.score-split, never the test split) as Spark tasks; the state is
 * saved after every generation ({@code evolve-state.json}), so rerunning the command resumes where it stopped.
 * Writes {@code top-genomes.json} (the best search.evolve.top-k, best first: what {@code model.genome} reads)
 * and {@code random-genomes.json} (search.evolve.random in-band genomes scored the same way: the baseline the
 * search must beat).
 */
public final class EvolveRun {

    static final String STATE = "evolve-state.json";
    static final String TOP = "top-genomes.json";
    static final String RANDOM = "random-genomes.json";
    static final String SCORES = "scores.json";

    /** What the search found, and where it wrote it. */
    public record Outcome(Evolution.State state, List<Evolution.Scored> random, Path dir) {
    }

    private final Settings settings;
    private final PrintWriter out;

    public EvolveRun(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** The supernet of a {@code search supernet} run directory: its configuration and trained parameters. */
    static ComputationGraph supernet(FileSystem fs, Path run) throws IOException {
        Path zip = new Path(run, "model.zip");
        if (!fs.exists(zip)) {
            throw new UsageException("search.supernet: " + run + " has no model.zip (is the supernet run finished?)");
        }
        ComputationGraph net;
        try (var in = fs.open(zip)) {
            net = ModelSerializer.restoreComputationGraph(in, false);
        }
        if (!(net.getOutputLayer(0) instanceof SupernetLayer)) {
            throw new UsageException("search.supernet: " + run + " is not a supernet run (made by search supernet)");
        }
        return net;
    }

    /** search.supernet's run: where it is, its trained network, configuration and space. */
    private record Supernet(FileSystem fs, Path run, ComputationGraph net, SupernetConf conf, SearchSpace space) {
    }

    private Supernet open() throws IOException {
        Path run = new Path(settings.search().supernet());
        FileSystem fs = run.getFileSystem(HadoopFiles.configuration(settings.hadoop()));
        ComputationGraph net = supernet(fs, run);
        SupernetConf conf = ((SupernetLayer) net.getOutputLayer(0)).layerConf();
        return new Supernet(fs, run, net, conf, conf.searchSpace());
    }

    /** The search; {@code output} null = {@code <supernet run>/evolve}. */
    public Outcome run(JavaSparkContext sc, String output) throws Exception {
        SearchSettings x = settings.search();
        Supernet sn = open();
        FileSystem fs = sn.fs();
        Path run = sn.run();
        ComputationGraph net = sn.net();
        SupernetConf conf = sn.conf();
        SearchSpace space = sn.space();
        Path dir = output != null ? new Path(output) : new Path(run, "evolve");
        fs.mkdirs(dir);
        long min = x.minMacs(settings.model());
        long max = x.maxMacs(settings.model());
        HeldOutImages images = heldOut(sc);
        out.printf("evolve: supernet %s (%s channels; %s); scoring on %,d %s images; MACs band [%,d, %,d]; output %s%n",
                run, conf.channelPolicy().name().toLowerCase(Locale.ROOT), space.describe(), images.size(),
                x.scoreSplit(), min, max, dir);
        out.flush();
        GenomeSampler sampler = new GenomeSampler(space, x.identityProb()).calibrated(settings.run().seed(), min, max);
        Evolution evolution = new Evolution(space, sampler, min, max, x.population(), x.mutationEta(),
                settings.run().seed());
        String line = String.format(Locale.ROOT, "supernet %s, split %s, images %d, band %d-%d, population %d, "
                        + "eta %s, seed %d", fs.makeQualified(run), x.scoreSplit(), images.size(), min, max,
                x.population(), x.mutationEta(), settings.run().seed());
        try (CandidateScorer scorer = new CandidateScorer(sc, space, conf.channelPolicy(), net.params(), images)) {
            Evolution.State st = resume(fs, new Path(dir, STATE), space, line);
            long started = System.nanoTime();
            if (st == null) {
                st = evolution.start(scorer);
                saved(fs, dir, space, st, line, started);
            }
            while (st.generation() < x.generations()) {
                st = evolution.next(st, scorer);
                saved(fs, dir, space, st, line, started);
            }
            List<Evolution.Scored> best = new ArrayList<>(st.evaluated());
            best.sort(Evolution.RANKING);
            HadoopFiles.writeString(fs, new Path(dir, TOP), GenomeJson.list(space, "genomes",
                    best.subList(0, Math.min(x.topK(), best.size())), "\"settings\":\"" + line + "\""));
            List<Evolution.Scored> random = random(fs, dir, space, sampler, min, max, scorer, line);
            return new Outcome(st, random, dir);
        }
    }

    private HeldOutImages heldOut(JavaSparkContext sc) throws IOException {
        SearchSettings x = settings.search();
        DataOpener.Opened opened = DataOpener.open(sc, settings);
        if (!opened.manifest().splitNames().contains(x.scoreSplit())) {
            throw new UsageException("search.score-split: the shards at " + opened.root() + " have no split \""
                    + x.scoreSplit() + "\" (splits: " + String.join(", ", opened.manifest().splitNames())
                    + "); hold training images out with data.holdout");
        }
        if ("test".equals(x.scoreSplit())) {
            // the split made from the idx test files: results are reported on it, so it must not choose them
            throw new UsageException("search.score-split: candidates must not be scored on the test split");
        }
        return HeldOutImages.read(opened.manifest(), settings.reader(settings.model(), x.scoreSplit(), false),
                HadoopFiles.configuration(opened.hadoop()), x.scoreImages());
    }

    /** The saved state when it was written by this same search, null when there is none; else a usage error. */
    private static Evolution.State resume(FileSystem fs, Path file, SearchSpace space, String line) throws IOException {
        if (!fs.exists(file)) {
            return null;
        }
        String json = HadoopFiles.readString(fs, file);
        String was = ConfigFactory.parseString(json).getString("settings");
        if (!was.equals(line)) {
            throw new UsageException("search evolve: " + file + " belongs to another search (" + was
                    + "); choose another --output or delete it");
        }
        return GenomeJson.readState(space, json);
    }

    private void saved(FileSystem fs, Path dir, SearchSpace space, Evolution.State st, String line, long started)
            throws IOException {
        HadoopFiles.writeString(fs, new Path(dir, STATE), GenomeJson.state(space, st, line));
        Evolution.Scored top = st.population().get(0);
        double mean = st.population().stream().mapToDouble(Evolution.Scored::score).average().orElse(Double.NaN);
        out.printf(Locale.ROOT, "generation %d/%d: best %.4f (%,d MACs: %s), population mean %.4f, %d evaluated "
                        + "(%.0f s)%n", st.generation(), settings.search().generations(), top.score(), top.macs(),
                top.genome().describe(space), mean, st.evaluated().size(), (System.nanoTime() - started) / 1e9);
        out.flush();
    }

    /** search.evolve.random distinct in-band genomes, scored the same way (kept in random-genomes.json). */
    private List<Evolution.Scored> random(FileSystem fs, Path dir, SearchSpace space, GenomeSampler sampler, long min,
                                          long max, Evolution.Scorer scorer, String line) throws Exception {
        int n = settings.search().random();
        Path file = new Path(dir, RANDOM);
        if (n == 0) {
            return List.of();
        }
        if (fs.exists(file)) {
            String json = HadoopFiles.readString(fs, file);
            if (ConfigFactory.parseString(json).getString("settings").equals(line)) {
                return GenomeJson.readScored(space, ConfigFactory.parseString(json), "genomes");
            }
        }
        // a coordinate the generations (numbered from 1) never use
        SplittableRandom r = Rng.of(settings.run().seed(), Purpose.EVOLUTION.code, -1);
        Set<Genome> seen = new HashSet<>();
        List<Genome> genomes = new ArrayList<>();
        while (genomes.size() < n) {
            Genome g = sampler.sampleInBand(r, min, max).canonical(space);
            if (seen.add(g)) {
                genomes.add(g);
            }
        }
        out.printf("scoring %d random in-band genomes (the search's baseline)%n", n);
        out.flush();
        double[] f = scorer.score(genomes);
        List<Evolution.Scored> scored = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scored.add(new Evolution.Scored(genomes.get(i), f[i], org.vitspark.search.GenomeSize.macs(space,
                    genomes.get(i))));
        }
        HadoopFiles.writeString(fs, file, GenomeJson.list(space, "genomes", scored, "\"settings\":\"" + line + "\""));
        return scored;
    }

    /**
     * Scores the genomes of a genome file ({@code genomes} list, e.g. another search's random-genomes.json) on
     * this supernet, in the file's order, and writes them to {@code scores.json} in the output directory (the
     * channel-policy ablation ranks the same genomes on two supernets).
     */
    public Path scoreFile(JavaSparkContext sc, String genomesFile, String output) throws Exception {
        Supernet sn = open();
        FileSystem fs = sn.fs();
        Path run = sn.run();
        SearchSpace space = sn.space();
        Path in = new Path(genomesFile);
        List<Evolution.Scored> listed = GenomeJson.readScored(space,
                ConfigFactory.parseString(HadoopFiles.readString(in.getFileSystem(fs.getConf()), in)), "genomes");
        List<Genome> genomes = new ArrayList<>();
        for (Evolution.Scored g : listed) {
            genomes.add(g.genome());
        }
        HeldOutImages images = heldOut(sc);
        double[] f;
        try (CandidateScorer scorer = new CandidateScorer(sc, space, sn.conf().channelPolicy(), sn.net().params(),
                images)) {
            f = scorer.score(genomes);
        }
        List<Evolution.Scored> scored = new ArrayList<>();
        for (int i = 0; i < f.length; i++) {
            scored.add(new Evolution.Scored(genomes.get(i), f[i], listed.get(i).macs()));
        }
        Path dir = output != null ? new Path(output) : new Path(run, "scores");
        fs.mkdirs(dir);
        Path file = new Path(dir, SCORES);
        HadoopFiles.writeString(fs, file, GenomeJson.list(space, "genomes", scored, "\"supernet\":\""
                + fs.makeQualified(run) + "\",\"from\":\"" + genomesFile + "\""));
        return file;
    }
}
