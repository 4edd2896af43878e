package org.vitspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.run.RunDirectory;
import org.vitspark.config.ReaderSettings;
import org.vitspark.shard.ShardBatch;
import org.vitspark.shard.ShardManifest;
import org.vitspark.shard.ShardReader;
import org.vitspark.train.LocalTrainer;
import org.vitspark.train.TrainSetup;
import org.vitspark.train.WorkerStep;
import org.vitspark.spark.SparkContexts;

/**
 * The averaging trainer on a real Spark {@code local[2,4]} master (2 cores, tasks retried up to 4 times)
 * against the local trainer's step on the same shard batches: 1 worker equals it bit for bit (AdamW and
 * SAM, parameters and updater state); 2 workers averaging every plain-SGD step equal one step on the
 * doubled batch; 2 workers exchanging parameters over the driver's socket equal a Spark job per round bit
 * for bit; a task that throws once changes nothing and every example is used once per epoch.
 */
class AveragingEquivalenceTest {

    @TempDir
    static Path dir;

    private static JavaSparkContext sc;
    private static String shards;

    private static final String[] BASE = {"spark.master=local[2,4]", "data.train-limit=512", "data.test-limit=128",
        "train.batch-per-worker=16", "train.epochs=2", "train.log-every=1000", "train.preflight=false",
        "augment.train=small", "augment.eval=small-eval", "data.reader-threads=1", "train.checkpoint-every-rounds=0"};

    static VitsparkConfig config(String... sets) {
        List<String> all = new ArrayList<>(List.of(BASE));
        all.add("run.root=" + dir);
        all.addAll(List.of(sets));
        return ConfigLoader.standard().load(new ConfigSources(null, new Properties(), all));
    }

    @BeforeAll
    static void startSpark() throws IOException {
        VitsparkConfig c = config();
        sc = new JavaSparkContext(SparkContexts.conf(c.settings(), "equivalence-test"));
        shards = IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), c.settings(), 2,
                new PrintWriter(new StringWriter()));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** Trains on Spark in run directory {@code <run.root>/default/<run.id>}. */
    private static AveragingTrainer.Result spark(VitsparkConfig c) throws IOException {
        return spark(c, new AveragingTrainer(c.settings(), new PrintWriter(new StringWriter())));
    }

    private static AveragingTrainer.Result spark(VitsparkConfig c, AveragingTrainer trainer) throws IOException {
        return trainer.train(sc, RunDirectory.create(c.settings(), new Configuration()));
    }

    /** The thread count the Spark tasks computed with (spark.task.cpus = 1): same splits, same bits. */
    private static void likeASparkTask() {
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(1);
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(1);
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
    }

    /** Worker {@code w} of {@code workers}'s training stream, as the Spark worker reads it. */
    private static ShardReader reader(VitsparkConfig c, int w, int workers) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(shards);
        FileSystem fs = root.getFileSystem(new Configuration());
        ShardManifest m = ShardManifest.read(fs, root);
        ReaderSettings s = c.settings().reader(c.model(), "train", true); // as the trainer builds them
        return new ShardReader(m, s.withShards(ShardReader.share(m.shards("train").size(), w, workers)), new Configuration());
    }

    /** The local trainer's steps over worker 0's stream of a 1-worker run. */
    private static ComputationGraph local(VitsparkConfig c, long stepsPerEpoch) throws IOException {
        likeASparkTask();
        TrainSetup setup = TrainSetup.from(c.settings(), stepsPerEpoch);
        ComputationGraph net = setup.network();
        WorkerStep listener = setup.listener();
        net.setListeners(listener);
        try (ShardReader r = reader(c, 0, 1)) {
            for (int e = 0; e < c.getInt("train.epochs"); e++) {
                Iterator<ShardBatch> it = r.epoch(DataPosition.start(e));
                while (it.hasNext()) {
                    LocalTrainer.fitStep(net, listener, e, it.next().data());
                }
            }
        }
        return net;
    }

    private static void assertBitForBit(ComputationGraph expected, ComputationGraph got) {
        assertArrayEquals(expected.params().data().asFloat(), got.params().data().asFloat(), "parameters");
        INDArray a = expected.getUpdater().getStateViewArray();
        INDArray b = got.getUpdater().getStateViewArray();
        assertEquals(a == null, b == null);
        if (a != null) {
            assertArrayEquals(a.data().asFloat(), b.data().asFloat(), "updater state");
        }
        assertEquals(expected.getConfiguration().getIterationCount(), got.getConfiguration().getIterationCount());
    }

    @Test
    void oneWorkerEqualsTheLocalTrainerBitForBitWithAdamW() throws IOException {
        // 512 images / 16 = 32 batches per epoch = 8 rounds of 4: the schedule has 32 steps per epoch either way
        VitsparkConfig c = config("run.id=adamw-1", "train.workers=1", "train.averaging-frequency=4");
        AveragingTrainer.Result r = spark(c);
        assertEquals(16, r.rounds());
        assertBitForBit(local(c, 32), r.network());
    }

    @Test
    void oneWorkerEqualsTheLocalTrainerBitForBitWithSam() throws IOException {
        VitsparkConfig c = config("run.id=sam-1", "train.workers=1", "train.averaging-frequency=4",
                "optim.sam.mode=sam", "optim.sam.rho=0.05", "train.epochs=1");
        AveragingTrainer.Result r = spark(c);
        assertBitForBit(local(c, 32), r.network());
    }

    @Test
    void oneWorkerEqualsTheLocalTrainerBitForBitWithThePatchLossesAndSam() throws IOException {
        // patch-aligned CutMix on every batch feeds the mixing loss; both SAM passes see the same batch, mask
        // and dropout draws, and SAM perturbs along the total loss's gradient
        VitsparkConfig c = config("run.id=patch-1", "train.workers=1", "train.averaging-frequency=4",
                "optim.sam.mode=sam", "optim.sam.rho=0.05", "train.epochs=1", "augment.cutmix=1.0",
                "loss.patch.cosine=1", "loss.patch.contrastive=1", "loss.patch.mixing=1", "model.dropout=0.1");
        AveragingTrainer.Result r = spark(c);
        ComputationGraph local = local(c, 32);
        assertBitForBit(local, r.network());
        long model = org.vitspark.model.ModelSize.params(c.settings().model());
        assertTrue(local.numParams() > model, "the patch head's tensors follow the model's");
    }

    @Test
    void twoWorkersAveragingEverySgdStepEqualTheDoubledBatch() throws IOException {
        VitsparkConfig c = config("run.id=sgd-2", "train.workers=2", "train.averaging-frequency=1", "optim.optimizer=sgd",
                "optim.lr=0.05", "optim.warmup-epochs=0", "optim.schedule=constant", "optim.clip-norm=0",
                "optim.weight-decay=0", "train.epochs=1");
        AveragingTrainer.Result r = spark(c);

        likeASparkTask();
        TrainSetup setup = TrainSetup.from(c.settings(), r.rounds());
        ComputationGraph net = setup.network();
        WorkerStep listener = setup.listener();
        net.setListeners(listener);
        int steps = 0;
        try (ShardReader a = reader(c, 0, 2); ShardReader b = reader(c, 1, 2)) {
            assertEquals(a.batchesPerEpoch(), b.batchesPerEpoch(), "fixture: equal shares");
            Iterator<ShardBatch> ia = a.epoch(DataPosition.start(0));
            Iterator<ShardBatch> ib = b.epoch(DataPosition.start(0));
            while (ia.hasNext() && ib.hasNext()) {
                LocalTrainer.fitStep(net, listener, 0, DataSet.merge(List.of(ia.next().data(), ib.next().data())));
                steps++;
            }
        }
        assertEquals(r.rounds(), steps);
        INDArray diff = net.params().sub(r.network().params());
        double relative = diff.norm2Number().doubleValue() / net.params().norm2Number().doubleValue();
        double maxRelative = 0;
        float[] x = net.params().data().asFloat();
        float[] y = r.network().params().data().asFloat();
        for (int i = 0; i < x.length; i++) {
            maxRelative = Math.max(maxRelative, Math.abs(x[i] - y[i]) / Math.max(Math.abs(x[i]), 1e-2));
        }
        assertTrue(relative < 1e-5 && maxRelative < 1e-4, "relative difference " + relative + ", worst element "
                + maxRelative);
        // and the workers really moved the parameters: this is not two untrained copies agreeing
        assertTrue(net.params().sub(setup.network().params()).norm2Number().doubleValue() > 1e-2);
    }

    /** Throws at one iteration on the first attempt of one partition's task: Spark retries the task. */
    static final class ThrowOnce extends BaseTrainingListener implements java.io.Serializable {
        private final int iteration;

        ThrowOnce(int iteration) {
            this.iteration = iteration;
        }

        @Override
        public void iterationDone(Model model, int it, int epoch) {
            TaskContext tc = TaskContext.get();
            if (tc != null && tc.partitionId() == 1 && tc.attemptNumber() == 0 && it == iteration) {
                throw new IllegalStateException("injected fault at iteration " + it);
            }
        }
    }

    @Test
    void twoWorkersOverTheDriversSocketEqualASparkJobPerRoundBitForBit() throws IOException {
        String[] sets = {"train.workers=2", "train.averaging-frequency=3", "train.eval-every-rounds=7"};
        StringWriter log = new StringWriter();
        VitsparkConfig c = config(concat(sets, "run.id=socket"));
        AveragingTrainer.Result socket = spark(c, new AveragingTrainer(c.settings(), new PrintWriter(log)));
        AveragingTrainer.Result jobs = spark(config(concat(concat(sets, "run.id=jobs"), "train.averaging-channel=jobs")));
        assertBitForBit(jobs.network(), socket.network());
        assertEquals(jobs.testAccuracy(), socket.testAccuracy());
        assertTrue(!log.toString().contains("WARNING") && !log.toString().contains("averaging:"), log.toString());
        // a segment's round has no broadcast of its own; a Spark job's always has one (evaluations every
        // 7 rounds paused the segment in between)
        assertTrue(roundRows("socket", socket.rounds()).allMatch(r -> r.path("broadcast_s").asDouble() == 0));
        assertTrue(roundRows("jobs", jobs.rounds()).allMatch(r -> r.path("broadcast_s").asDouble() > 0));
    }

    private static Stream<JsonNode> roundRows(String id, int rounds) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("default/" + id + "/metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if ("train".equals(n.path("kind").asText())) {
                rows.add(n);
            }
        }
        assertEquals(rounds, rows.size(), id + ": a row per round");
        return rows.stream();
    }

    @Test
    void aTaskThatThrowsOnceChangesNothingAndEveryExampleIsUsedOncePerEpoch() throws IOException {
        String[] sets = {"train.workers=2", "train.averaging-frequency=3", "train.key-audit=true"};
        AveragingTrainer.Result clean = spark(config(concat(sets, "run.id=clean")));
        VitsparkConfig c = config(concat(sets, "run.id=faulty"));
        StringWriter log = new StringWriter();
        AveragingTrainer faulty = new AveragingTrainer(c.settings(), new PrintWriter(log)).withWorkerListener(new ThrowOnce(7));
        AveragingTrainer.Result retried = spark(c, faulty);
        assertBitForBit(clean.network(), retried.network());
        // the fault ended the round segment; its round ran again as a Spark job, whose task Spark retried
        assertTrue(log.toString().contains("the round segment was lost"), log.toString());
        for (String id : List.of("clean", "faulty")) {
            for (int epoch = 1; epoch <= 2; epoch++) {
                Map<String, Integer> counts = keyCounts(dir.resolve("default/" + id + "/audit/epoch-" + epoch));
                assertEquals(512, counts.size(), id + " epoch " + epoch + ": every example");
                assertTrue(counts.values().stream().allMatch(n -> n == 1), id + " epoch " + epoch + ": once each");
            }
        }
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static Map<String, Integer> keyCounts(Path epochDir) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> files = Files.list(epochDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".keys")).toList()) { // not .crc
                for (String k : Files.readAllLines(f)) {
                    if (!k.isEmpty()) {
                        counts.merge(k, 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}
