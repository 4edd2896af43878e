package org.vitspark.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.data.IdxBatches;
import org.vitspark.data.IdxImages;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.ModelSpec;
import org.vitspark.config.OptimSettings;
import org.vitspark.rng.Rng;
import org.vitspark.metrics.Clock;

/**
 * Single-JVM training of the configured ViT/Mixer on idx data: AdamW with warm-up and decay, optional
 * SAM, a progress line every {@code train.log-every} steps, test top-1/top-5 after every epoch.
 * The batch order of epoch e derives from (run.seed, e), so a rerun gives the same order.
 */
public final class LocalTrainer {

    /** What a run achieved. */
    public record Result(double testTop1, double testTop5, double lastLoss, long steps, double seconds) {
    }

    private final VitsparkConfig config;
    private final PrintWriter out;

    public LocalTrainer(VitsparkConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    public Result train(Path runDir) throws IOException {
        ModelSpec m = config.model();
        int batch = config.getInt("train.batch-per-worker");
        int epochs = config.getInt("train.epochs");
        int logEvery = config.getInt("train.log-every");
        long seed = config.getLong("run.seed");
        Path data = Path.of(config.getString("data.path"));
        IdxImages train = IdxImages.read(data, "train", config.getInt("data.train-limit"));
        IdxImages test = IdxImages.read(data, "t10k", config.getInt("data.test-limit"));
        List<DataSet> batches = IdxBatches.minibatches(train, m.classes(), batch);
        List<DataSet> testBatches = IdxBatches.minibatches(test, m.classes(), batch);
        TrainSetup setup = TrainSetup.from(config, batches.size());
        OptimSettings o = setup.optim();
        ComputationGraph net = setup.network();
        WorkerStep listener = setup.listener();
        net.setListeners(listener);
        out.printf("training %s (%s, %,d params) on %,d images, batch %d, %d epochs, %s, lr %.2g (warm-up %d steps, %s)%n",
                m.name(), m.family().name().toLowerCase(), net.numParams(), train.size(), batch, epochs,
                setup.describe(), o.lr(), o.warmupSteps(), o.schedule().name().toLowerCase());
        out.flush();

        List<String> metrics = new ArrayList<>();
        long totalSteps = (long) batches.size() * epochs;
        long step = 0;
        double loss = Double.NaN;
        Evaluation eval = null;
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<DataSet> order = new ArrayList<>(batches);
            Collections.shuffle(order, new Random(Rng.mix(seed, epoch)));
            double lossSum = 0;
            int lossCount = 0;
            for (DataSet b : order) {
                fitStep(net, listener, epoch - 1, b);
                step++;
                loss = net.score(); // the clean loss at w, also under SAM
                lossSum += loss;
                lossCount++;
                if (step % logEvery == 0 || step == totalSteps) {
                    double elapsed = seconds(start);
                    double lr = o.lrSchedule().valueAt((int) step - 1, epoch - 1);
                    out.printf("epoch %d/%d step %d/%d loss %.4f lr %.3g  %.1f img/s  elapsed %s  eta %s%n", epoch, epochs,
                            step, totalSteps, lossSum / lossCount, lr, step * batch / elapsed, Clock.format(elapsed),
                            Clock.format(elapsed / step * (totalSteps - step)));
                    out.flush();
                    metrics.add(new JsonLine().put("kind", "train").put("epoch", epoch).put("step", step)
                            .put("loss", lossSum / lossCount).put("lr", lr).put("seconds", elapsed).toString());
                    lossSum = 0;
                    lossCount = 0;
                }
            }
            eval = evaluate(net, testBatches, m.classes());
            out.printf("epoch %d/%d test top-1 %.4f top-5 %.4f  elapsed %s%n", epoch, epochs, eval.accuracy(),
                    eval.topNAccuracy(), Clock.format(seconds(start)));
            out.flush();
            metrics.add(new JsonLine().put("kind", "eval").put("epoch", epoch).put("step", step)
                    .put("top1", eval.accuracy()).put("top5", eval.topNAccuracy()).put("seconds", seconds(start))
                    .toString());
            Files.writeString(runDir.resolve("metrics.jsonl"), String.join("\n", metrics) + "\n");
        }
        Result r = new Result(eval.accuracy(), eval.topNAccuracy(), loss, step, seconds(start));
        writeAtomically(runDir.resolve("model.zip"), s -> ModelSerializer.writeModel(net, s, true));
        Files.writeString(runDir.resolve("summary.json"), new JsonLine().put("test_top1", r.testTop1())
                .put("test_top5", r.testTop5()).put("last_loss", r.lastLoss()).put("steps", r.steps())
                .put("seconds", r.seconds()).put("params", net.numParams()).toString() + "\n");
        return r;
    }

    /**
     * One optimiser step on {@code batch} at 0-based epoch {@code epoch} (dropout masks and the schedule
     * see it). The Spark workers take the same step; a non-finite loss or gradient stops here, before any
     * later step or checkpoint can use the parameters.
     */
    public static void fitStep(ComputationGraph net, WorkerStep listener, int epoch, DataSet batch) {
        net.getConfiguration().setEpochCount(epoch);
        net.fit(batch);
        if (listener.nonFinite() != null) {
            throw new IllegalStateException("training diverged at epoch " + (epoch + 1) + ", "
                    + listener.nonFinite() + "; lower optim.lr or check the data");
        }
    }

    static Evaluation evaluate(ComputationGraph net, List<DataSet> batches, int classes) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        Evaluation eval = new Evaluation(names, 5); // top-5 as well as top-1
        for (DataSet b : batches) {
            eval.eval(b.getLabels(), net.outputSingle(false, b.getFeatures()));
        }
        return eval;
    }

    interface Writer {
        void write(OutputStream s) throws IOException;
    }

    /** Writes to a temporary sibling, then renames: a reader never sees half a model. */
    static void writeAtomically(Path target, Writer writer) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream s = Files.newOutputStream(tmp)) {
            writer.write(s);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
