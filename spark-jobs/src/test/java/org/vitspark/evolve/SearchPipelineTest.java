package org.vitspark.evolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.driver.AveragingTrainer;
import org.vitspark.driver.Recipes;
import org.vitspark.model.ModelSpec;
import org.vitspark.network.SupernetLayer;
import org.vitspark.network.TransformerLayer;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.run.RunDirectory;
import org.vitspark.runtime.UsageException;
import org.vitspark.search.Evolution;
import org.vitspark.search.Genome;
import org.vitspark.search.GenomeJson;
import org.vitspark.search.GenomeSize;
import org.vitspark.search.SearchSpace;
import org.vitspark.spark.SparkContexts;
import org.vitspark.train.TrainSetup;

/**
 * The search end to end on a real Spark {@code local[2]} master: the supernet trains with two averaging
 * workers that train the same genome at every step; the evolutionary search scores canonical in-band genomes
 * on the held-out split, never twice, resumes from its state, and refuses the test split and another search's
 * state; scoring a genome file reproduces the search's scores; and {@code model.genome} builds the found
 * architecture standalone.
 */
class SearchPipelineTest {

    @TempDir
    static Path dir;

    private static JavaSparkContext sc;

    private static final String[] BASE = {"spark.master=local[2]", "train.workers=2", "data.train-limit=384",
        "data.test-limit=64", "data.holdout=128", "data.eval-split=holdout", "train.batch-per-worker=16",
        "train.epochs=1", "train.averaging-frequency=2", "train.log-every=1000", "train.preflight=false",
        "augment.train=small", "augment.eval=small-eval", "augment.cutmix=1.0", "data.reader-threads=1",
        "model.dim=32", "model.heads=2", "model.mlp-dim=64", "model.depth=2", "optim.label-smoothing=0.1",
        "search.max-dim=48", "search.max-attn-dim=64", "search.heads=[2, 4]", "search.max-mlp-dim=96",
        "search.slots=3", "search.score-images=96", "search.evolve.population=4", "search.evolve.random=6",
        "run.name=supernet", "run.id=s"};

    static VitsparkConfig config(String... sets) {
        List<String> all = new ArrayList<>(List.of(BASE));
        all.add("run.root=" + dir.resolve("runs"));
        all.add("data.shards=" + dir.resolve("shards"));
        all.addAll(List.of(sets));
        return ConfigLoader.standard().load(new ConfigSources(null, new Properties(), all));
    }

    @BeforeAll
    static void startSpark() throws IOException {
        VitsparkConfig c = config();
        sc = new JavaSparkContext(SparkContexts.conf(c.settings(), "search-test"));
        IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), c.settings(), 2,
                new PrintWriter(new StringWriter()));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** Records "iteration genome" for every step of every worker. */
    static final class GenomeRecorder extends BaseTrainingListener implements java.io.Serializable {
        private final CollectionAccumulator<String> steps;

        GenomeRecorder(CollectionAccumulator<String> steps) {
            this.steps = steps;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            SupernetLayer layer = (SupernetLayer) ((ComputationGraph) model).getOutputLayer(0);
            steps.add(iteration + " " + layer.lastGenome().key());
        }
    }

    @Test
    void supernetSearchResumeScoreAndRetrain() throws Exception {
        // the supernet: both workers train one genome per step
        CollectionAccumulator<String> steps = sc.sc().collectionAccumulator("genomes");
        StringWriter log = new StringWriter();
        AveragingTrainer.Result r = new AveragingTrainer(config().settings(), new PrintWriter(log), Recipes.SUPERNET)
                .withWorkerListener(new GenomeRecorder(steps))
                .train(sc, RunDirectory.createOrResume(config().settings(), new Configuration()));
        assertTrue(log.toString().contains("supernet (cyclic channels"), log.toString());
        Map<Integer, Set<String>> byStep = new TreeMap<>();
        Map<Integer, Integer> workers = new TreeMap<>();
        for (String s : steps.value()) {
            String[] f = s.split(" ");
            byStep.computeIfAbsent(Integer.parseInt(f[0]), k -> new HashSet<>()).add(f[1]);
            workers.merge(Integer.parseInt(f[0]), 1, Integer::sum);
        }
        assertEquals(8, byStep.size(), "steps: " + byStep.keySet()); // 256 images / (2 × 16) per step
        byStep.forEach((step, genomes) -> assertEquals(1, genomes.size(), "step " + step + ": " + genomes));
        workers.forEach((step, n) -> assertEquals(2, n, "workers recorded at step " + step));
        assertTrue(new HashSet<>(byStep.values()).size() > 1, "the genome changes from step to step");
        Path run = dir.resolve("runs/supernet/s");
        assertTrue(Files.exists(run.resolve("supernet.safetensors")));
        assertTrue(r.testAccuracy() >= 0);

        // the search, cut after generation 2 and resumed to 3
        String supernet = "search.supernet=" + run;
        Path out = dir.resolve("evolve");
        StringWriter first = new StringWriter();
        new EvolveRun(config(supernet, "search.evolve.generations=2").settings(), new PrintWriter(first))
                .run(sc, out.toString());
        StringWriter second = new StringWriter();
        EvolveRun.Outcome o = new EvolveRun(config(supernet, "search.evolve.generations=3").settings(),
                new PrintWriter(second)).run(sc, out.toString());
        assertTrue(first.toString().contains("generation 2/2"), first.toString());
        assertTrue(!second.toString().contains("generation 1/") && !second.toString().contains("generation 2/")
                && second.toString().contains("generation 3/3"), second.toString());
        SearchSpace space = ((SupernetLayer) EvolveRun.supernet(org.apache.hadoop.fs.FileSystem.getLocal(
                new Configuration()), new org.apache.hadoop.fs.Path(run.toString())).getOutputLayer(0))
                .layerConf().searchSpace();
        VitsparkConfig c = config();
        long min = c.settings().search().minMacs(c.settings().model());
        long max = c.settings().search().maxMacs(c.settings().model());
        Set<Genome> seen = new HashSet<>();
        for (Evolution.Scored x : o.state().evaluated()) {
            assertTrue(x.genome().isCanonical(space), x.genome().describe(space));
            assertTrue(seen.add(x.genome()), "scored twice: " + x.genome().describe(space));
            long macs = GenomeSize.macs(space, x.genome());
            assertTrue(macs >= min && macs <= max, macs + " outside [" + min + ", " + max + "]");
            assertTrue(x.score() >= 0 && x.score() <= 1);
        }
        assertTrue(o.state().evaluated().size() > 4 && o.state().evaluated().size() <= 12);
        List<Evolution.Scored> top = GenomeJson.readScored(space,
                ConfigFactory.parseFile(out.resolve("top-genomes.json").toFile()), "genomes");
        for (int i = 1; i < top.size(); i++) {
            assertTrue(top.get(i - 1).score() >= top.get(i).score(), "top genomes best first");
        }
        assertEquals(o.state().population().get(0).genome(), top.get(0).genome());
        assertEquals(6, o.random().size());

        // scoring a genome file on the same supernet gives the search's scores again
        Path scores = dir.resolve("scores");
        new EvolveRun(config(supernet).settings(), new PrintWriter(new StringWriter()))
                .scoreFile(sc, out.resolve("random-genomes.json").toString(), scores.toString());
        List<Evolution.Scored> again = GenomeJson.readScored(space,
                ConfigFactory.parseFile(scores.resolve("scores.json").toFile()), "genomes");
        for (int i = 0; i < again.size(); i++) {
            assertEquals(o.random().get(i).genome(), again.get(i).genome());
            assertEquals(o.random().get(i).score(), again.get(i).score(), 0.0);
        }

        // refusals: the test split, and a state written by another search
        UsageException test = assertThrows(UsageException.class, () -> new EvolveRun(config(supernet,
                "search.score-split=test").settings(), new PrintWriter(new StringWriter())).run(sc, out.toString()));
        assertTrue(test.getMessage().startsWith("search.score-split"), test.getMessage());
        UsageException other = assertThrows(UsageException.class, () -> new EvolveRun(config(supernet,
                "search.evolve.population=5").settings(), new PrintWriter(new StringWriter())).run(sc, out.toString()));
        assertTrue(other.getMessage().contains("belongs to another search"), other.getMessage());

        // retraining: model.genome builds the best genome's network standalone
        VitsparkConfig retrain = config("model.genome=\"" + out.resolve("top-genomes.json") + "\"");
        ModelSpec spec = retrain.settings().model();
        assertEquals(top.get(0).genome().toSpec(space, "x").blocks(), spec.blocks());
        ComputationGraph net = TrainSetup.from(retrain.settings(), 10).network();
        assertEquals(spec, ((TransformerLayer) net.getOutputLayer(0)).layerConf().modelSpec());
        assertEquals(GenomeSize.params(space, top.get(0).genome()), net.numParams());
    }
}
