package org.vitspark.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.vitspark.averaging.RoundPlan;
import org.vitspark.averaging.ShardAveragingMaster;
import org.vitspark.averaging.WorkerReport;
import org.vitspark.averaging.WorkerTask;
import org.vitspark.checkpoint.CheckpointStore;
import org.vitspark.checkpoint.TrainState;
import org.vitspark.config.Settings;
import org.vitspark.config.TrainSettings;
import org.vitspark.dataset.DataOpener;
import org.vitspark.dataset.WorkerData;
import org.vitspark.eval.ShardEvaluator;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.metrics.Clock;
import org.vitspark.metrics.JsonLine;
import org.vitspark.metrics.Stopwatch;
import org.vitspark.model.ModelSpec;
import org.vitspark.run.Export;
import org.vitspark.run.RunDirectory;
import org.vitspark.run.RunMetrics;
import org.vitspark.shard.ShardManifest;
import org.vitspark.spark.Preflight;
import org.vitspark.train.StepTotals;
import org.vitspark.train.TrainSetup;

/**
 * The driver of distributed training, in phases: open the data (the shards of both splits, per worker),
 * resume (the newest published checkpoint of the run directory, if any: same parameters, updater state,
 * step and data positions, so the rounds that follow equal those of an uninterrupted run), the round
 * loop (parameter averaging over shard-reading workers, {@link ShardAveragingMaster}, with per-round
 * metrics and a progress line), evaluation and checkpoints at their cadence, and the export of a
 * finished run.
 */
public final class AveragingTrainer {

    /** The outcome the job prints and tests check. */
    public record Result(double testAccuracy, double testTop5, double testLoss, double lastLoss, int rounds,
                         double seconds, ComputationGraph network) {
    }

    /** What the data phase opened; {@code trainEval}: the training split through the evaluation reader (train.eval-train), else null. */
    private record Data(String root, ShardManifest manifest, WorkerData train, WorkerData eval, WorkerData trainEval,
                        int workers) {
    }

    private final Settings settings;
    private final PrintWriter out;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
    private int stopAfterRound = Integer.MAX_VALUE;

    public AveragingTrainer(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Adds a listener every worker's network carries after the step listener (fault-injection tests use it). */
    public AveragingTrainer withWorkerListener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    /** Stops after the given global round (tests: a run cut short, as if the driver died after it). */
    public AveragingTrainer stopAfterRound(int round) {
        this.stopAfterRound = round;
        return this;
    }

    public Result train(JavaSparkContext sc, RunDirectory run) throws IOException {
        Stopwatch clock = Stopwatch.start();
        TrainSettings t = settings.train();
        ModelSpec m = settings.model();
        Data data = openData(sc, run, m);
        RoundPlan plan = new RoundPlan(data.train(), t.averagingFrequency());
        TrainSetup setup = TrainSetup.from(settings, (long) plan.roundsPerEpoch * t.averagingFrequency());
        ComputationGraph net = setup.network();
        CheckpointStore store = new CheckpointStore(run.fs(), run.file("checkpoints"), t.keepCheckpoints(), out);
        TrainState state = Resume.from(store, net, data.workers(), settings, out);
        out.printf("training %s (%s, %,d params) on %,d images of %s/%s: %d workers x batch %d, averaging every %d "
                        + "steps, %d rounds/epoch, %d epochs, %s%n", m.name(), m.family().name().toLowerCase(),
                net.numParams(), plan.imagesPerEpoch(t.batchPerWorker()), data.root(),
                data.train().settings.split(), data.workers(), t.batchPerWorker(), t.averagingFrequency(),
                plan.roundsPerEpoch, t.epochs(), setup.describe());
        out.flush();
        if (t.preflight()) {
            Preflight.run(sc, data.workers()).forEach(line -> out.println("preflight: " + line));
            out.flush();
        }

        ShardAveragingMaster master = new ShardAveragingMaster(sc, data.train(), setup.listener(), extraListeners,
                t.averageUpdater(), t.keyAudit());
        RunMetrics metrics = new RunMetrics(run, state.round(), t.tensorboard());
        int totalRounds = plan.roundsPerEpoch * t.epochs();
        int startRound = state.round();
        double loss = Double.NaN;
        ShardEvaluator.Result evaluated = null;
        while (state.epoch() < t.epochs() && state.round() < stopAfterRound) {
            List<WorkerTask> tasks = plan.tasks(state);
            sc.setJobDescription(String.format("train epoch %d/%d round %d/%d (%d workers x %d steps from step %d)",
                    state.epoch() + 1, t.epochs(), state.roundInEpoch() + 1, plan.roundsPerEpoch, data.workers(),
                    RoundPlan.steps(tasks), state.step()));
            Stopwatch roundClock = Stopwatch.start();
            ShardAveragingMaster.Round round = master.round(net, tasks);
            double roundSeconds = roundClock.seconds();
            int skipped = handleNonFinite(round, state, metrics);
            state = plan.advance(state, tasks, round.reports());
            net.getConfiguration().setIterationCount(state.step());
            StepTotals totals = new StepTotals();
            round.reports().forEach(r -> totals.add(r.totals));
            loss = totals.steps > 0 ? totals.meanLoss() : loss;
            Map<String, Double> scalars = RoundScalars.of(totals, round, roundSeconds, setup.optim(), state, skipped);
            int epoch = tasks.get(0).epoch + 1;
            metrics.add("train", new JsonLine().put("epoch", epoch).put("round", state.round()).put("step", state.step()),
                    state.step(), scalars);
            writeAudit(run, round, epoch, state.round());
            boolean epochEnd = state.roundInEpoch() == 0;
            if (state.round() % t.logEvery() == 0 || epochEnd) {
                double elapsed = clock.seconds();
                double perRound = elapsed / (state.round() - startRound);
                out.printf("epoch %d/%d round %d/%d step %d loss %.4f clean %.4f acc %.3f lr %.3g  %.1f img/s  "
                                + "elapsed %s  eta %s%n", epoch, t.epochs(), state.round(), totalRounds,
                        state.step(), scalars.get("loss"), scalars.get("clean_loss"), scalars.get("accuracy"),
                        scalars.get("lr"), scalars.get("images_per_s"), Clock.format(elapsed),
                        Clock.format(perRound * (totalRounds - state.round())));
                out.flush();
                metrics.flush();
            }
            if (epochEnd || (t.evalEveryRounds() > 0 && state.round() % t.evalEveryRounds() == 0)) {
                evaluated = evaluate(sc, net, data, state, metrics);
            }
            if (epochEnd || (t.checkpointEveryRounds() > 0 && state.round() % t.checkpointEveryRounds() == 0)) {
                checkpoint(store, state, net);
                metrics.flush();
            }
        }
        if (evaluated == null) {
            evaluated = evaluate(sc, net, data, state, metrics);
        }
        metrics.flush();
        if (state.epoch() >= t.epochs()) {
            Export.write(run, net, new Export.Final(evaluated.top1(), evaluated.top5(), evaluated.loss(), loss,
                    state.round(), clock.seconds()));
        }
        return new Result(evaluated.top1(), evaluated.top5(), evaluated.loss(), loss, state.round(), clock.seconds(), net);
    }

    /** The data phase: both splits' shards, per worker, for a model of {@code m}'s shape. */
    private Data openData(JavaSparkContext sc, RunDirectory run, ModelSpec m) throws IOException {
        DataOpener.Opened opened = DataOpener.open(sc, settings);
        if (opened.manifest().classes().size() != m.classes()) {
            throw new IllegalArgumentException(String.format("model.classes: the model has %d classes but the shards "
                    + "in %s have %d", m.classes(), opened.manifest().root(), opened.manifest().classes().size()));
        }
        return new Data(opened.root(), opened.manifest(),
                opened.split(settings.reader(m, settings.data().trainSplit(), true), run.path() + "#train"),
                opened.split(settings.reader(m, settings.data().evalSplit(), false), run.path() + "#eval"),
                settings.train().evalTrain()
                        ? opened.split(settings.reader(m, settings.data().trainSplit(), false), run.path() + "#train-eval")
                        : null,
                opened.workers());
    }

    private int handleNonFinite(ShardAveragingMaster.Round round, TrainState state, RunMetrics metrics)
            throws IOException {
        int skipped = 0;
        for (WorkerReport r : round.reports()) {
            if (r.nonFinite == null) {
                continue;
            }
            String what = "non-finite loss or gradient in epoch " + (state.epoch() + 1) + ", " + r.nonFinite;
            if (settings.train().nanPolicy() == TrainSettings.NanPolicy.FAIL) {
                metrics.flush();
                throw new IllegalStateException(what + ". Stopped (train.nan-policy = fail); the last checkpoint "
                        + "holds only finite values. Lower optim.lr or check the data");
            }
            out.println("WARNING: " + what + "; that worker's round is left out of the average (train.nan-policy = skip)");
            skipped++;
        }
        out.flush();
        return skipped;
    }

    /** Evaluates the eval split (metrics kind "eval"), and the training split too with train.eval-train ("eval_train"). */
    private ShardEvaluator.Result evaluate(JavaSparkContext sc, ComputationGraph net, Data data, TrainState state,
                                           RunMetrics metrics) {
        if (data.trainEval() != null) {
            evaluate(sc, net, data, data.trainEval(), "eval_train", state, metrics);
        }
        return evaluate(sc, net, data, data.eval(), "eval", state, metrics);
    }

    private ShardEvaluator.Result evaluate(JavaSparkContext sc, ComputationGraph net, Data data, WorkerData on,
                                           String kind, TrainState state, RunMetrics metrics) {
        String split = on.settings.split();
        sc.setJobDescription(String.format("evaluate after round %d on %,d %s images", state.round(),
                data.manifest().images(split), split));
        ShardEvaluator.Result r = ShardEvaluator.evaluate(sc, net, on, data.manifest().classes());
        out.printf("round %d: %s loss %.4f top-1 %.4f top-5 %.4f (%,d images)%n", state.round(), split, r.loss(),
                r.top1(), r.top5(), r.images());
        out.flush();
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("loss", r.loss());
        s.put("top1", r.top1());
        s.put("top5", r.top5());
        metrics.add(kind, new JsonLine().put("epochs_done", state.epoch()).put("round", state.round())
                .put("step", state.step()).put("images", r.images()), state.step(), s);
        return r;
    }

    private void checkpoint(CheckpointStore store, TrainState state, ComputationGraph net) throws IOException {
        Stopwatch clock = Stopwatch.start();
        String name = store.write(state, net.params(),
                settings.train().averageUpdater() ? net.getUpdater().getStateViewArray() : null,
                settings.renderForRunDirectory());
        out.printf("checkpoint %s written (%.1f s)%n", name, clock.seconds());
        out.flush();
    }

    private void writeAudit(RunDirectory run, ShardAveragingMaster.Round round, int epoch, int globalRound)
            throws IOException {
        if (!settings.train().keyAudit()) {
            return;
        }
        StringBuilder keys = new StringBuilder();
        for (WorkerReport r : round.reports()) {
            r.keys.forEach(k -> keys.append(k).append('\n'));
        }
        HadoopFiles.writeString(run.fs(), run.file(String.format("audit/epoch-%d/round-%08d.keys", epoch, globalRound)),
                keys.toString());
    }
}
