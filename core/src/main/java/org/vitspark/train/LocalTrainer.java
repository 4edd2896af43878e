package org.vitspark.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.augment.BatchMixing;
import org.vitspark.augment.Pixels;
import org.vitspark.config.AugmentSettings;
import org.vitspark.config.DataSettings;
import org.vitspark.config.OptimSettings;
import org.vitspark.config.Settings;
import org.vitspark.config.TrainSettings;
import org.vitspark.data.IdxBatches;
import org.vitspark.data.IdxImages;
import org.vitspark.metrics.Clock;
import org.vitspark.metrics.EvalCounts;
import org.vitspark.metrics.JsonLine;
import org.vitspark.metrics.Stopwatch;
import org.vitspark.model.ModelSpec;
import org.vitspark.rng.Purpose;
import org.vitspark.rng.Rng;
import org.vitspark.run.Export;
import org.vitspark.run.RunDirectory;
import org.vitspark.run.RunMetrics;

/**
 * Single-JVM training of the configured ViT/Mixer on idx data, in phases: open the data, build the
 * network, train epoch by epoch (a progress line every {@code train.log-every} steps, test loss and
 * top-1/top-5 after every epoch), export. Its outputs go through the same run directory, metrics sink
 * (metrics.jsonl + TensorBoard) and atomic export as the Spark trainer's. The batch order of epoch e
 * derives from (run.seed, e), so a rerun gives the same order.
 */
public final class LocalTrainer {

    /** What a run achieved. */
    public record Result(double testTop1, double testTop5, double testLoss, double lastLoss, long steps, double seconds) {
    }

    /** The idx data as minibatches. */
    private record Data(IdxImages train, List<DataSet> batches, List<DataSet> test) {
    }

    private final Settings settings;
    private final PrintWriter out;

    public LocalTrainer(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public Result train(RunDirectory run) throws IOException {
        Data data = openData();
        TrainSetup setup = TrainSetup.from(settings, data.batches().size());
        ComputationGraph net = setup.network();
        WorkerStep listener = setup.listener();
        net.setListeners(listener);
        TrainSettings t = settings.train();
        ModelSpec m = settings.model();
        out.printf("training %s (%s, %,d params) on %,d images, batch %d, %d epochs, %s, lr %.2g (warm-up %d steps, %s)%n",
                m.name(), m.family().name().toLowerCase(), net.numParams(), data.train().size(), t.batchPerWorker(),
                t.epochs(), setup.describe(), setup.optim().lr(), setup.optim().warmupSteps(),
                setup.optim().schedule().name().toLowerCase());
        out.flush();

        RunMetrics metrics = new RunMetrics(run, 0, t.tensorboard());
        Stopwatch clock = Stopwatch.start();
        long[] step = {0};
        double loss = Double.NaN;
        EvalCounts eval = null;
        for (int epoch = 1; epoch <= t.epochs(); epoch++) {
            loss = trainEpoch(net, listener, setup.optim(), data.batches(), epoch, step, metrics, clock);
            eval = evaluate(net, data.test());
            out.printf("epoch %d/%d test top-1 %.4f top-5 %.4f  elapsed %s%n", epoch, t.epochs(), eval.top1(),
                    eval.top5(), Clock.format(clock.seconds()));
            out.flush();
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("loss", eval.loss());
            s.put("top1", eval.top1());
            s.put("top5", eval.top5());
            s.put("seconds", clock.seconds());
            metrics.add("eval", new JsonLine().put("epoch", epoch).put("step", step[0]), step[0], s);
            metrics.flush();
        }
        Result r = new Result(eval.top1(), eval.top5(), eval.loss(), loss, step[0], clock.seconds());
        // one optimiser step per "round": the local trainer has no averaging
        Export.write(run, net, new Export.Final(r.testTop1(), r.testTop5(), r.testLoss(), r.lastLoss(),
                Math.toIntExact(r.steps()), r.seconds()));
        return r;
    }

    private Data openData() throws IOException {
        DataSettings d = settings.data();
        int classes = settings.model().classes();
        int batch = settings.train().batchPerWorker();
        Path path = Path.of(d.path());
        IdxImages train = IdxImages.read(path, "train", d.trainLimit());
        IdxImages test = IdxImages.read(path, "t10k", d.testLimit());
        return new Data(train, IdxBatches.minibatches(train, classes, batch), IdxBatches.minibatches(test, classes, batch));
    }

    /** One epoch in its seeded order; returns the clean loss of its last step. */
    private double trainEpoch(ComputationGraph net, WorkerStep listener, OptimSettings o, List<DataSet> batches,
                              int epoch, long[] step, RunMetrics metrics, Stopwatch clock) {
        TrainSettings t = settings.train();
        long totalSteps = (long) batches.size() * t.epochs();
        List<DataSet> order = new ArrayList<>(batches);
        Collections.shuffle(order, new Random(Rng.mix(settings.run().seed(), epoch)));
        double loss = Double.NaN;
        double lossSum = 0;
        int lossCount = 0;
        for (DataSet b : order) {
            fitStep(net, listener, epoch - 1, mix(b, epoch, step[0]));
            step[0]++;
            loss = net.score(); // the clean loss at w, also under SAM
            lossSum += loss;
            lossCount++;
            if (step[0] % t.logEvery() == 0 || step[0] == totalSteps) {
                double elapsed = clock.seconds();
                double lr = o.lrSchedule().valueAt((int) step[0] - 1, epoch - 1);
                out.printf("epoch %d/%d step %d/%d loss %.4f lr %.3g  %.1f img/s  elapsed %s  eta %s%n", epoch,
                        t.epochs(), step[0], totalSteps, lossSum / lossCount, lr,
                        step[0] * t.batchPerWorker() / elapsed, Clock.format(elapsed),
                        Clock.format(elapsed / step[0] * (totalSteps - step[0])));
                out.flush();
                Map<String, Double> s = new LinkedHashMap<>();
                s.put("loss", lossSum / lossCount);
                s.put("lr", lr);
                s.put("seconds", elapsed);
                s.putAll(listener.take().termMeans()); // loss_<term>, grad_share_<term> for several terms
                metrics.add("train", new JsonLine().put("epoch", epoch).put("step", step[0]), step[0], s);
                lossSum = 0;
                lossCount = 0;
            }
        }
        return loss;
    }

    /**
     * Batch-level Mixup/CutMix (augment.mixup, augment.cutmix) and, for the patch-mixing loss, the packed
     * targets: the same step as the shard reader's, drawn from (run.seed, epoch, step). The per-image
     * augmentation pipelines are the shard reader's only; train-local reads the idx images as stored.
     */
    private DataSet mix(DataSet batch, int epoch, long step) {
        AugmentSettings a = settings.augment();
        boolean pack = settings.loss().patchMixing() > 0;
        if (a.mixup() <= 0 && a.cutmix() <= 0 && !pack) {
            return batch;
        }
        INDArray x = batch.getFeatures();
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int side = (int) x.size(2);
        Pixels[] images = new Pixels[n];
        float[][] targets = batch.getLabels().toFloatMatrix();
        for (int i = 0; i < n; i++) {
            images[i] = new Pixels(c, side, side, x.get(NDArrayIndex.point(i)).dup('c').data().asFloat());
        }
        SplittableRandom r = a.mixup() > 0 || a.cutmix() > 0
                ? Rng.of(settings.run().seed(), epoch, step, Purpose.MIX.code) : null;
        BatchMixing.Batch m = BatchMixing.apply(images, targets, a.mixup(), a.cutmix(), a.mixProb(), settings.model().patch(),
                pack, r);
        float[] flat = new float[n * c * side * side];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m.images()[i].data(), 0, flat, i * c * side * side, c * side * side);
        }
        return new DataSet(Nd4j.create(flat, new long[] {n, c, side, side}, 'c'), Nd4j.create(m.labels()));
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

    private EvalCounts evaluate(ComputationGraph net, List<DataSet> batches) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < settings.model().classes(); c++) {
            names.add(Integer.toString(c));
        }
        EvalCounts counts = new EvalCounts(names);
        for (DataSet b : batches) {
            counts.add(b.getLabels(), net.outputSingle(false, b.getFeatures()));
        }
        return counts;
    }
}
