package org.vitspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.dino.DinoLayout;
import org.vitspark.model.ParamLayout;
import org.vitspark.network.DinoLayer;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.run.RunDirectory;
import org.vitspark.spark.SparkContexts;
import org.vitspark.train.TrainSetup;

/**
 * DINO pretraining on a real Spark {@code local[2]} master with two averaging workers: a run cut short
 * and resumed from its checkpoint ends with exactly the parameters (student, teacher, centre), updater
 * state, losses and k-NN of an uninterrupted one; the k-NN baselines are recorded at round 0; and
 * fine-tuning starts from the teacher's backbone by name (from the run directory or a checkpoint), the
 * classifier fresh.
 */
class DinoPretrainTest {

    @TempDir
    static Path dir;

    private static JavaSparkContext sc;

    private static final String[] BASE = {"spark.master=local[2]", "train.workers=2", "data.train-limit=256",
        "data.test-limit=128", "train.batch-per-worker=16", "train.epochs=2", "train.averaging-frequency=2",
        "train.log-every=1000", "train.preflight=false", "augment.train=small-eval", "augment.eval=small-eval",
        "data.reader-threads=1", "train.checkpoint-every-rounds=1", "model.dim=32", "model.heads=2",
        "model.mlp-dim=64", "model.depth=2", "model.drop-path=0.1", "ssl.hidden-dim=32", "ssl.bottleneck-dim=16",
        "ssl.prototypes=32", "ssl.local-crops=2", "ssl.knn.every-epochs=1", "ssl.freeze-last-layer-epochs=1",
        "optim.lr=0.001", "optim.weight-decay=0.04", "run.name=dino"};

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
        sc = new JavaSparkContext(SparkContexts.conf(c.settings(), "dino-test"));
        IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), c.settings(), 2,
                new PrintWriter(new StringWriter()));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static AveragingTrainer.Result pretrain(VitsparkConfig c, int stopAfter, StringWriter log)
            throws IOException {
        AveragingTrainer t = new AveragingTrainer(c.settings(), new PrintWriter(log), Recipes.DINO);
        if (stopAfter > 0) {
            t.stopAfterRound(stopAfter);
        }
        return t.train(sc, RunDirectory.createOrResume(c.settings(), new Configuration()));
    }

    @Test
    void resumedRunEqualsUninterruptedAndFineTuningLoadsTheTeacher() throws IOException {
        StringWriter wholeLog = new StringWriter();
        AveragingTrainer.Result whole = pretrain(config("run.id=whole"), 0, wholeLog);
        StringWriter cutLog = new StringWriter();
        pretrain(config("run.id=cut"), 3, cutLog);
        StringWriter resumedLog = new StringWriter();
        AveragingTrainer.Result resumed = pretrain(config("run.id=cut"), 0, resumedLog);
        assertTrue(resumedLog.toString().contains("resuming from checkpoint round-00000003"), resumedLog.toString());

        ComputationGraph a = whole.network();
        ComputationGraph b = resumed.network();
        assertArrayEquals(a.params().data().asFloat(), b.params().data().asFloat(), "student, teacher, centre");
        assertArrayEquals(a.getUpdater().getStateViewArray().data().asFloat(),
                b.getUpdater().getStateViewArray().data().asFloat(), "updater state");
        assertEquals(whole.testAccuracy(), resumed.testAccuracy(), 0, "k-NN");
        assertEquals(whole.lastLoss(), resumed.lastLoss(), 0, "last loss");
        Path wholeRun = dir.resolve("runs/dino/whole");
        Path cutRun = dir.resolve("runs/dino/cut");
        assertArrayEquals(Files.readAllBytes(wholeRun.resolve("teacher.safetensors")),
                Files.readAllBytes(cutRun.resolve("teacher.safetensors")));
        assertEquals(trainLosses(wholeRun), trainLosses(cutRun));

        // the baselines at round 0 (raw pixels, random init), the collapse monitors every round
        String metrics = Files.readString(wholeRun.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"kind\":\"knn_pixels\""), metrics);
        assertTrue(metrics.contains("\"kind\":\"knn\",\"epochs_done\":0,\"round\":0"), metrics);
        assertTrue(metrics.contains("\"teacher_entropy\"") && metrics.contains("\"kl_teacher_student\""), metrics);

        // EMA and centre moved
        ParamLayout l = DinoLayout.of(c().model(), c().settings().ssl().dino(c().model(), 1));
        INDArray p = a.params();
        assertNotEquals(0, l.view(p, DinoLayout.CENTER).amaxNumber().doubleValue());
        assertNotEquals(l.view(p, "blocks.0.attn.qkv.weight"), l.view(p, DinoLayout.TEACHER + "blocks.0.attn.qkv.weight"));

        // fine-tuning from the run directory: the teacher's backbone by name, the classifier fresh
        INDArray teacher = ((DinoLayer) a.getOutputLayer(0)).teacherBackbone();
        ParamLayout model = ParamLayout.of(c().model());
        ComputationGraph tuned = TrainSetup.from(config("model.init=" + wholeRun).settings(), 10).network();
        ComputationGraph fresh = TrainSetup.from(config().settings(), 10).network();
        for (ParamLayout.Entry e : model.entries()) {
            INDArray got = model.view(tuned.params(), e.name());
            if (e.name().startsWith("head.")) {
                assertEquals(model.view(fresh.params(), e.name()), got, e.name() + " starts fresh");
            } else {
                assertEquals(model.view(teacher, e.name()), got, e.name() + " from the teacher");
            }
        }
        // or from one of its checkpoints (the teacher range of its parameters)
        ComputationGraph fromCheckpoint = TrainSetup.from(config("model.init=" + wholeRun.resolve(
                "checkpoints/round-00000008")).settings(), 10).network();
        assertEquals(model.view(teacher, "blocks.1.mlp.fc2.weight"),
                model.view(fromCheckpoint.params(), "blocks.1.mlp.fc2.weight"));
        // a model of another shape is refused, naming the tensor
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainSetup.from(config("model.init=" + wholeRun, "model.mlp-dim=48").settings(), 10).network());
        assertTrue(e.getMessage().contains("blocks.0.mlp.fc1.weight has shape [64, 32], the model needs [48, 32]"),
                e.getMessage());
    }

    private static VitsparkConfig c() {
        return config();
    }

    /** The exact text of every training row's loss, in order. */
    private static List<String> trainLosses(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<String> lines = Files.lines(run.resolve("metrics.jsonl"))) {
            lines.filter(s -> s.contains("\"kind\":\"train\"")).forEach(s -> out.add(s.replaceAll(
                    ".*(\"round\":\\d+).*(\"loss\":[^,]+).*(\"teacher_entropy\":[^,}]+).*", "$1 $2 $3")));
        }
        return out;
    }
}
