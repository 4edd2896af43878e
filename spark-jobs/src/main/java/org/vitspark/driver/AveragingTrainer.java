package org.vitspark.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.vitspark.checkpoint.Checkpoint;
import org.vitspark.checkpoint.CheckpointStore;
import org.vitspark.checkpoint.TrainState;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.run.RunDirectory;
import org.vitspark.run.RunMetrics;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.ModelSpec;
import org.vitspark.shard.ShardManifest;
import org.vitspark.metrics.Clock;
import org.vitspark.train.StepTotals;
import org.vitspark.train.TrainSetup;
import org.vitspark.averaging.RoundPlan;
import org.vitspark.averaging.ShardAveragingMaster;
import org.vitspark.averaging.WorkerReport;
import org.vitspark.averaging.WorkerTask;
import org.vitspark.checkpoint.ResumeCheck;
import org.vitspark.dataset.TrainData;
import org.vitspark.dataset.WorkerData;
import org.vitspark.eval.ShardEvaluator;
import org.vitspark.run.Export;
import org.vitspark.spark.Preflight;

/**
 * The driver of distributed training: epochs of parameter-averaging rounds over shard-reading workers
 * ({@link ShardAveragingMaster}), evaluation on the eval split, checkpoints with exact resume, per-round
 * metrics (JSONL + TensorBoard) and a progress line. A run directory that holds a published checkpoint
 * is resumed from it: same parameters, updater state, step and data positions, so the rounds that follow
 * equal those of an uninterrupted run.
 */
public final class AveragingTrainer {

    /** The outcome the job prints and tests check. */
    public record Result(double testAccuracy, double testTop5, double testLoss, double lastLoss, int rounds,
                         double seconds, ComputationGraph network) {
    }

    private final VitsparkConfig config;
    private final PrintWriter out;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
    private int stopAfterRound = Integer.MAX_VALUE;

    public AveragingTrainer(VitsparkConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /** Adds a listener every worker's network carries after the step listener (fault-injection tests use it). */
    public AveragingTrainer withWorkerListener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    public Result train(JavaSparkContext sc, RunDirectory run) throws IOException {
        long start = System.nanoTime();
        ModelSpec m = config.model();
        int batch = config.getInt("train.batch-per-worker");
        int frequency = config.getInt("train.averaging-frequency");
        int workers = TrainData.workers(config, sc);
        int epochs = config.getInt("train.epochs");
        long seed = config.getLong("run.seed");
        boolean averageUpdater = config.getBoolean("train.average-updater");

        String shardRoot = IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), config,
                workers, out);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(shardRoot);
        FileSystem dataFs = root.getFileSystem(sc.hadoopConfiguration());
        ShardManifest manifest = ShardManifest.read(dataFs, root);
        requireCompatible(manifest, m);
        Map<String, String> hadoop = TrainData.hadoopProperties(sc);
        WorkerData train = new WorkerData(manifest, TrainData.readerSettings(config, m, config.getString("data.train-split"), true),
                hadoop, workers, run.path() + "#train");
        WorkerData eval = new WorkerData(manifest, TrainData.readerSettings(config, m, config.getString("data.eval-split"), false),
                hadoop, workers, run.path() + "#eval");
        RoundPlan plan = new RoundPlan(train, frequency);
        TrainSetup setup = TrainSetup.from(config, (long) plan.roundsPerEpoch * frequency);
        ComputationGraph net = setup.network();

        CheckpointStore store = new CheckpointStore(run.fs(), run.file("checkpoints"),
                config.getInt("train.keep-checkpoints"), out);
        TrainState state = resume(store, net, workers, seed);
        out.printf("training %s (%s, %,d params) on %,d images of %s/%s: %d workers x batch %d, averaging every %d "
                        + "steps, %d rounds/epoch, %d epochs, %s%n", m.name(), m.family().name().toLowerCase(),
                net.numParams(), plan.imagesPerEpoch(batch), shardRoot, train.settings.split(), workers, batch,
                frequency, plan.roundsPerEpoch, epochs, setup.describe());
        out.flush();
        if (config.getBoolean("train.preflight")) {
            Preflight.run(sc, workers).forEach(line -> out.println("preflight: " + line));
            out.flush();
        }

        ShardAveragingMaster master = new ShardAveragingMaster(sc, train, setup.listener(), extraListeners,
                averageUpdater, config.getBoolean("train.key-audit"));
        RunMetrics metrics = new RunMetrics(run, state.round(), config.getBoolean("train.tensorboard"));
        int totalRounds = plan.roundsPerEpoch * epochs;
        int logEvery = config.getInt("train.log-every");
        int evalEvery = config.getInt("train.eval-every-rounds");
        int checkpointEvery = config.getInt("train.checkpoint-every-rounds");
        int startRound = state.round();
        double loss = Double.NaN;
        ShardEvaluator.Result evaluated = null;
        while (state.epoch() < epochs && state.round() < stopAfterRound) {
            List<WorkerTask> tasks = plan.tasks(state);
            sc.setJobDescription(String.format("train epoch %d/%d round %d/%d (%d workers x %d steps from step %d)",
                    state.epoch() + 1, epochs, state.roundInEpoch() + 1, plan.roundsPerEpoch, workers,
                    RoundPlan.steps(tasks), state.step()));
            long r0 = System.nanoTime();
            ShardAveragingMaster.Round round = master.round(net, tasks);
            double roundSeconds = (System.nanoTime() - r0) / 1e9;
            int skipped = handleNonFinite(round, state, metrics);
            state = advance(state, tasks, round, plan);
            net.getConfiguration().setIterationCount(state.step());
            StepTotals totals = new StepTotals();
            round.reports().forEach(r -> totals.add(r.totals));
            loss = totals.steps > 0 ? totals.meanLoss() : loss;
            Map<String, Double> scalars = roundScalars(totals, round, roundSeconds, setup, state, skipped);
            metrics.add("train", new JsonLine().put("epoch", tasks.get(0).epoch + 1).put("round", state.round()).put("step", state.step()), state.step(), scalars);
            writeAudit(run, round, tasks.get(0).epoch, state.round());
            boolean epochEnd = state.roundInEpoch() == 0;
            if (state.round() % logEvery == 0 || epochEnd) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                double perRound = elapsed / (state.round() - startRound);
                out.printf("epoch %d/%d round %d/%d step %d loss %.4f clean %.4f acc %.3f lr %.3g  %.1f img/s  "
                                + "elapsed %s  eta %s%n", tasks.get(0).epoch + 1, epochs, state.round(), totalRounds,
                        state.step(), scalars.get("loss"), scalars.get("clean_loss"), scalars.get("accuracy"),
                        scalars.get("lr"), scalars.get("images_per_s"), Clock.format(elapsed),
                        Clock.format(perRound * (totalRounds - state.round())));
                out.flush();
                metrics.flush();
            }
            if (epochEnd || (evalEvery > 0 && state.round() % evalEvery == 0)) {
                evaluated = evaluate(sc, net, eval, manifest, state, metrics);
            }
            if (epochEnd || (checkpointEvery > 0 && state.round() % checkpointEvery == 0)) {
                checkpoint(store, state, net, averageUpdater);
                metrics.flush();
            }
        }
        if (evaluated == null) {
            evaluated = evaluate(sc, net, eval, manifest, state, metrics);
        }
        metrics.flush();
        if (state.epoch() >= epochs) {
            Export.write(run, net, new Export.Final(evaluated.top1(), evaluated.top5(), evaluated.loss(), loss, state.round(),
                    (System.nanoTime() - start) / 1e9));
        }
        return new Result(evaluated.top1(), evaluated.top5(), evaluated.loss(), loss, state.round(),
                (System.nanoTime() - start) / 1e9, net);
    }

    /** Stops after the given global round (tests: a run cut short, as if the driver died after it). */
    public AveragingTrainer stopAfterRound(int round) {
        this.stopAfterRound = round;
        return this;
    }

    private TrainState resume(CheckpointStore store, ComputationGraph net, int workers, long seed) throws IOException {
        Optional<Checkpoint> found = store.loadLatest();
        if (found.isEmpty()) {
            return TrainState.start(workers, seed, config.hash());
        }
        Checkpoint cp = found.get();
        Set<String> diff = ResumeCheck.differences(cp.config(), config.render()); // HOCON: header comments parse away
        if (!diff.isEmpty()) {
            throw new IllegalStateException("checkpoint " + store.root() + "/" + cp.name() + " was written with a "
                    + "different configuration (keys " + diff + "); resume with the same settings or start a new run");
        }
        if (cp.state().workers() != workers) {
            throw new IllegalStateException("checkpoint " + cp.name() + " was written by " + cp.state().workers()
                    + " workers, this run has " + workers + " (train.workers): data positions are per worker");
        }
        net.setParams(cp.params());
        if (cp.updater() != null) {
            net.getUpdater().getStateViewArray().assign(cp.updater());
        }
        TrainState s = cp.state();
        net.getConfiguration().setIterationCount(s.step());
        out.printf("resuming from checkpoint %s: round %d, epoch %d, step %d, data positions %s%n", cp.name(),
                s.round(), s.epoch() + 1, s.step(), s.positions());
        out.flush();
        return s;
    }

    private int handleNonFinite(ShardAveragingMaster.Round round, TrainState state, RunMetrics metrics)
            throws IOException {
        int skipped = 0;
        for (WorkerReport r : round.reports()) {
            if (r.nonFinite == null) {
                continue;
            }
            String what = "non-finite loss or gradient in epoch " + (state.epoch() + 1) + ", " + r.nonFinite;
            if ("fail".equals(config.getString("train.nan-policy"))) {
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

    private static TrainState advance(TrainState s, List<WorkerTask> tasks, ShardAveragingMaster.Round round,
                                      RoundPlan plan) {
        List<DataPosition> next = new ArrayList<>(s.positions());
        for (WorkerReport r : round.reports()) {
            next.set(r.worker, r.next);
        }
        int step = s.step() + RoundPlan.steps(tasks);
        if (s.roundInEpoch() + 1 < plan.roundsPerEpoch) {
            return new TrainState(s.round() + 1, s.epoch(), s.roundInEpoch() + 1, step, next, s.seed(), s.configHash());
        }
        List<DataPosition> fresh = new ArrayList<>();
        for (int w = 0; w < next.size(); w++) {
            fresh.add(DataPosition.start(s.epoch() + 1));
        }
        return new TrainState(s.round() + 1, s.epoch() + 1, 0, step, fresh, s.seed(), s.configHash());
    }

    private Map<String, Double> roundScalars(StepTotals t, ShardAveragingMaster.Round round, double seconds,
                                             TrainSetup setup, TrainState state, int skipped) {
        double compute = 0;
        double data = 0;
        double init = 0;
        for (WorkerReport r : round.reports()) {
            compute = Math.max(compute, r.computeSeconds);
            data = Math.max(data, r.dataSeconds);
            init = Math.max(init, r.initSeconds);
        }
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("loss", t.meanLoss());
        s.put("clean_loss", t.meanCleanLoss());
        s.put("accuracy", t.accuracy());
        s.put("lr", setup.optim().lrSchedule().valueAt(Math.max(0, state.step() - 1), state.epoch()));
        s.put("grad_norm", t.meanGradNorm());
        s.put("rho", setup.optim().samMode() == org.vitspark.optim.Sam.Mode.OFF ? 0 : setup.optim().rho());
        s.put("images_per_s", t.examples / seconds);
        s.put("round_s", seconds);
        s.put("compute_s", compute - t.samSeconds);
        s.put("sam_s", t.samSeconds);
        s.put("data_s", data);
        s.put("init_s", init);
        // Everything outside the slowest worker's own work: broadcast, scheduling, result transfer, summing.
        s.put("averaging_s", Math.max(0, seconds - compute - data - init));
        s.put("broadcast_s", round.broadcastSeconds()); // of which: driver-side broadcast creation
        s.put("apply_s", round.applySeconds()); // and setting the mean into the driver's network
        s.put("skipped_workers", (double) skipped);
        return s;
    }

    private ShardEvaluator.Result evaluate(JavaSparkContext sc, ComputationGraph net, WorkerData eval,
                                           ShardManifest manifest, TrainState state, RunMetrics metrics) {
        sc.setJobDescription(String.format("evaluate after round %d on %,d %s images", state.round(),
                manifest.images(eval.settings.split()), eval.settings.split()));
        ShardEvaluator.Result r = ShardEvaluator.evaluate(sc, net, eval, manifest.classes());
        out.printf("round %d: %s loss %.4f top-1 %.4f top-5 %.4f (%,d images)%n", state.round(),
                eval.settings.split(), r.loss(), r.top1(), r.top5(), r.images());
        out.flush();
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("loss", r.loss());
        s.put("top1", r.top1());
        s.put("top5", r.top5());
        metrics.add("eval", new JsonLine().put("epochs_done", state.epoch()).put("round", state.round())
                .put("step", state.step()).put("images", r.images()), state.step(), s);
        return r;
    }

    private void checkpoint(CheckpointStore store, TrainState state, ComputationGraph net, boolean averageUpdater)
            throws IOException {
        long t0 = System.nanoTime();
        String name = store.write(state, net.params(), averageUpdater ? net.getUpdater().getStateViewArray() : null,
                config.renderForRunDirectory());
        out.printf("checkpoint %s written (%.1f s)%n", name, (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    private void writeAudit(RunDirectory run, ShardAveragingMaster.Round round, int epoch, int globalRound)
            throws IOException {
        if (!config.getBoolean("train.key-audit")) {
            return;
        }
        StringBuilder keys = new StringBuilder();
        for (WorkerReport r : round.reports()) {
            r.keys.forEach(k -> keys.append(k).append('\n'));
        }
        HadoopFiles.writeString(run.fs(), run.file(String.format("audit/epoch-%d/round-%08d.keys", epoch + 1,
                globalRound)), keys.toString());
    }

    private static void requireCompatible(ShardManifest manifest, ModelSpec m) {
        if (manifest.classes().size() != m.classes()) {
            throw new IllegalArgumentException(String.format("model.classes: the model has %d classes but the shards "
                    + "in %s have %d", m.classes(), manifest.root(), manifest.classes().size()));
        }
    }
}
