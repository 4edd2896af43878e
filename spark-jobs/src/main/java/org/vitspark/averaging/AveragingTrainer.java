package org.vitspark.averaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.data.IdxBatches;
import org.vitspark.data.IdxImages;
import org.vitspark.io.HadoopFiles;
import org.vitspark.io.RunDirectory;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.dl4j.Networks;
import org.vitspark.optim.OptimSettings;
import org.vitspark.optim.Sam;
import org.vitspark.optim.SamListener;
import org.vitspark.train.Clock;
import org.vitspark.model.ModelSpec;

/**
 * Data-parallel training with DL4J's ParameterAveragingTrainingMaster: each round, every worker trains
 * {@code averaging-frequency} minibatches from the current parameters, then parameters (and updater
 * state) are averaged. The driver drives the rounds itself so it can report progress, evaluate and
 * write metrics between them.
 */
public final class AveragingTrainer {

    /** The outcome the job prints and tests check. */
    public record Result(double testAccuracy, double testTop5, double lastLoss, int rounds, double seconds) {
    }

    private final VitsparkConfig config;
    private final PrintWriter out;

    public AveragingTrainer(VitsparkConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    public Result train(JavaSparkContext sc, RunDirectory run) throws IOException {
        ModelSpec m = config.model();
        int batch = config.getInt("train.batch-per-worker");
        int frequency = config.getInt("train.averaging-frequency");
        int workers = config.getInt("train.workers") > 0 ? config.getInt("train.workers") : sc.defaultParallelism();
        int epochs = config.getInt("train.epochs");
        long seed = config.getLong("run.seed");

        Path data = Path.of(config.getString("data.path"));
        IdxImages train = IdxImages.read(data, "train", config.getInt("data.train-limit"));
        IdxImages test = IdxImages.read(data, "t10k", config.getInt("data.test-limit"));
        DataChecks.requireCompatible(m, train);
        List<DataSet> trainBatches = IdxBatches.minibatches(train, m.classes(), batch);
        JavaRDD<DataSet> testRdd = sc.parallelize(IdxBatches.minibatches(test, m.classes(), batch), workers);

        int perRound = workers * frequency;
        int roundsPerEpoch = (trainBatches.size() + perRound - 1) / perRound;
        // Each worker takes `frequency` optimiser steps per round: that is the schedule's step count.
        OptimSettings optim = OptimSettings.from(config, (long) roundsPerEpoch * frequency, epochs);
        ComputationGraph net = Networks.build(m, optim, seed, DataType.FLOAT);
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(batch)
                .batchSizePerWorker(batch)
                .averagingFrequency(frequency)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                // Export (DL4J's default) needs a shared filesystem on real clusters; Direct does not.
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(seed)
                .build();
        IterationCountHook counts = new IterationCountHook();
        master.addHook(counts);
        SparkComputationGraph sparkNet = new SparkComputationGraph(sc, net, master);
        DoubleAccumulator roundLoss = sc.sc().doubleAccumulator("train loss");
        List<TrainingListener> listeners = new ArrayList<>();
        listeners.add(new LossListener(roundLoss));
        if (optim.samMode() != Sam.Mode.OFF) {
            listeners.add(0, new SamListener(optim.samMode(), optim.rho())); // SAM first: the loss logged is clean
        }
        sparkNet.setListeners(listeners);
        int totalRounds = roundsPerEpoch * epochs;
        int logEvery = config.getInt("train.log-every");
        out.printf("training %s (%s, %,d params) on %,d images: %d workers x batch %d, averaging every %d steps, "
                        + "%d rounds/epoch, %d epochs, %s%n", m.name(), m.family().name().toLowerCase(), net.numParams(),
                train.size(), workers, batch, frequency, roundsPerEpoch, epochs,
                optim.samMode() == Sam.Mode.OFF ? "AdamW" : optim.samMode() + " rho " + optim.rho() + " + AdamW");
        out.flush();

        List<String> metrics = new ArrayList<>();
        long start = System.nanoTime();
        int round = 0;
        double loss = Double.NaN;
        Evaluation eval = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<DataSet> order = new ArrayList<>(trainBatches);
            Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
            for (int r = 0; r < roundsPerEpoch; r++) {
                List<DataSet> chunk = order.subList(r * perRound, Math.min(order.size(), (r + 1) * perRound));
                sc.setJobDescription("train epoch " + epoch + "/" + epochs + " round " + (r + 1) + "/" + roundsPerEpoch);
                roundLoss.reset();
                counts.set(sparkNet.getNetwork().getConfiguration().getIterationCount(), epoch - 1);
                sparkNet.fit(sc.parallelize(chunk, Math.min(workers, chunk.size())));
                round++;
                loss = roundLoss.avg(); // mean loss over every minibatch of the round, all workers
                if (!Double.isFinite(loss)) {
                    // Fail fast: a diverged model is worthless and would only be evaluated into NaN later.
                    HadoopFiles.writeString(run.fs(), run.file("metrics.jsonl"), String.join("\n", metrics) + "\n");
                    throw new IllegalStateException(String.format("training diverged: mean loss of epoch %d round %d "
                            + "is %s (last finite metrics in metrics.jsonl; no model saved). Lower optim.lr or "
                            + "check the data", epoch, round, loss));
                }
                if (round % logEvery == 0 || r == roundsPerEpoch - 1) {
                    double elapsed = seconds(start);
                    double eta = elapsed / round * (totalRounds - round);
                    int step = sparkNet.getNetwork().getConfiguration().getIterationCount();
                    double lr = optim.lrSchedule().valueAt(Math.max(0, step - 1), epoch - 1);
                    out.printf("epoch %d/%d round %d/%d step %d loss %.4f lr %.3g  %.1f img/s  elapsed %s  eta %s%n",
                            epoch, epochs, round, totalRounds, step, loss, lr,
                            imagesSeen(round, perRound, batch) / elapsed, Clock.format(elapsed), Clock.format(eta));
                    out.flush();
                    metrics.add(new JsonLine().put("kind", "train").put("epoch", epoch).put("round", round)
                            .put("step", step).put("loss", loss).put("lr", lr).put("seconds", elapsed).toString());
                }
            }
            sc.setJobDescription("evaluate epoch " + epoch + " on " + test.size() + " test images");
            eval = sparkNet.doEvaluation(testRdd, batch, new Evaluation(classNames(m.classes()), 5))[0];
            out.printf("epoch %d/%d test accuracy %.4f top-5 %.4f%n", epoch, epochs, eval.accuracy(), eval.topNAccuracy());
            out.flush();
            metrics.add(new JsonLine().put("kind", "eval").put("epoch", epoch).put("round", round)
                    .put("top1", eval.accuracy()).put("top5", eval.topNAccuracy()).put("seconds", seconds(start))
                    .toString());
            HadoopFiles.writeString(run.fs(), run.file("metrics.jsonl"), String.join("\n", metrics) + "\n");
        }
        ComputationGraph trained = sparkNet.getNetwork();
        HadoopFiles.writeAtomically(run.fs(), run.file("model.zip"), s -> ModelSerializer.writeModel(trained, s, true));
        Result result = new Result(eval.accuracy(), eval.topNAccuracy(), loss, round, seconds(start));
        HadoopFiles.writeString(run.fs(), run.file("summary.json"), new JsonLine()
                .put("test_top1", result.testAccuracy()).put("test_top5", result.testTop5())
                .put("last_loss", result.lastLoss()).put("rounds", result.rounds()).put("seconds", result.seconds())
                .put("params", trained.numParams()).toString() + "\n");
        return result;
    }

    private static List<String> classNames(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(i < IdxImages.FASHION_CLASSES.length && classes == IdxImages.FASHION_CLASSES.length
                    ? IdxImages.FASHION_CLASSES[i] : Integer.toString(i));
        }
        return names;
    }

    private static long imagesSeen(int rounds, int batchesPerRound, int batch) {
        return (long) rounds * batchesPerRound * batch;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
