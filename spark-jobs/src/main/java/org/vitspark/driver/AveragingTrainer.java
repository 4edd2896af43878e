package org.vitspark.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.vitspark.averaging.ResultSizeCheck;
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
import org.vitspark.fs.HadoopFiles;
import org.vitspark.metrics.Clock;
import org.vitspark.metrics.JsonLine;
import org.vitspark.metrics.Stopwatch;
import org.vitspark.model.ModelSpec;
import org.vitspark.run.RunDirectory;
import org.vitspark.run.RunMetrics;
import org.vitspark.spark.Preflight;
import org.vitspark.train.StepTotals;

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

    /** What the data phase opened: the shards and the training split's readers. */
    private record Data(DataOpener.Opened opened, WorkerData train) {

        int workers() {
            return opened.workers();
        }
    }

    private final Settings settings;
    private final PrintWriter out;
    private final Recipe.Factory recipes;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
    private int stopAfterRound = Integer.MAX_VALUE;

    /** Supervised training of the classifier. */
    public AveragingTrainer(Settings settings, PrintWriter out) {
        this(settings, out, SupervisedRecipe.FACTORY);
    }

    /** Training by another recipe (self-distillation pretraining: {@link DinoRecipe#FACTORY}). */
    public AveragingTrainer(Settings settings, PrintWriter out, Recipe.Factory recipes) {
        this.settings = settings;
        this.out = out;
        this.recipes = recipes;
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
        Recipe recipe = recipes.create(new Recipe.Context(sc, settings, data.opened(), run,
                (long) plan.roundsPerEpoch * t.averagingFrequency(), out));
        ComputationGraph net = recipe.network();
        // before anything is written or trained: Spark would abort the first round's job only after its steps
        ResultSizeCheck.require(sc.getConf(), data.workers(), net, t.averageUpdater());
        CheckpointStore store = new CheckpointStore(run.fs(), run.file("checkpoints"), t.keepCheckpoints(), out);
        TrainState state = Resume.from(store, net, data.workers(), settings, out);
        run.accept(settings); // only now: a refused resume leaves the run's config.conf as it was
        out.printf("training %s (%s, %,d params) on %,d images of %s/%s: %d workers x batch %d, averaging every %d "
                        + "steps, %d rounds/epoch, %d epochs, %s%n", m.name(), m.family().name().toLowerCase(),
                net.numParams(), plan.imagesPerEpoch(t.batchPerWorker()), data.opened().root(),
                data.train().settings.split(), data.workers(), t.batchPerWorker(), t.averagingFrequency(),
                plan.roundsPerEpoch, t.epochs(), recipe.describe());
        out.flush();
        if (t.preflight()) {
            Preflight.run(sc, data.workers()).forEach(line -> out.println("preflight: " + line));
            out.flush();
        }

        List<TrainingListener> workerListeners = new ArrayList<>(recipe.workerListeners());
        workerListeners.addAll(extraListeners);
        ShardAveragingMaster master = new ShardAveragingMaster(sc, data.train(), recipe.stepListener(), workerListeners,
                t, out);
        RunMetrics metrics = new RunMetrics(run, state.round(), t.tensorboard());
        recipe.start(net, state, metrics);
        int totalRounds = plan.roundsPerEpoch * t.epochs();
        int startRound = state.round();
        double loss = Double.NaN;
        Recipe.Evaluation evaluated = null;
        try {
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
                Map<String, Double> scalars = RoundScalars.of(totals, round, roundSeconds,
                        recipe.scheduleScalars(state), skipped);
                recipe.roundDone(state, scalars);
                int epoch = tasks.get(0).epoch + 1;
                metrics.add("train", new JsonLine().put("epoch", epoch).put("round", state.round())
                        .put("step", state.step()), state.step(), scalars);
                writeAudit(run, round, epoch, state.round());
                boolean epochEnd = state.roundInEpoch() == 0;
                if (state.round() % t.logEvery() == 0 || epochEnd) {
                    double elapsed = clock.seconds();
                    double perRound = elapsed / (state.round() - startRound);
                    out.printf("epoch %d/%d round %d/%d step %d %s  %.1f img/s  elapsed %s  eta %s%n", epoch,
                            t.epochs(), state.round(), totalRounds, state.step(), recipe.progress(scalars),
                            scalars.get("images_per_s"), Clock.format(elapsed),
                            Clock.format(perRound * (totalRounds - state.round())));
                    out.flush();
                    metrics.flush();
                }
                if (recipe.evaluationDue(state, epochEnd)) {
                    master.pause(); // the evaluation's jobs need the task slots the workers hold
                    evaluated = recipe.evaluate(net, state, metrics);
                }
                if (epochEnd || (t.checkpointEveryRounds() > 0 && state.round() % t.checkpointEveryRounds() == 0)) {
                    checkpoint(store, state, net);
                    metrics.flush();
                }
            }
        } finally {
            master.close();
        }
        if (evaluated == null) {
            evaluated = recipe.evaluate(net, state, metrics);
        }
        metrics.flush();
        if (state.epoch() >= t.epochs()) {
            recipe.export(run, net, evaluated, loss, state.round(), clock.seconds());
        }
        return new Result(evaluated.top1(), evaluated.top5(), evaluated.loss(), loss, state.round(), clock.seconds(), net);
    }

    /** The data phase: the shards, and the training split's readers (per worker) for a model of {@code m}'s shape. */
    private Data openData(JavaSparkContext sc, RunDirectory run, ModelSpec m) throws IOException {
        DataOpener.Opened opened = DataOpener.open(sc, settings);
        if (opened.manifest().classes().size() != m.classes()) {
            throw new IllegalArgumentException(String.format("model.classes: the model has %d classes but the shards "
                    + "in %s have %d", m.classes(), opened.manifest().root(), opened.manifest().classes().size()));
        }
        return new Data(opened, opened.split(recipes.trainReader(settings), run.path() + "#train"));
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
