package org.vitspark.driver;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.vitspark.checkpoint.TrainState;
import org.vitspark.config.ReaderSettings;
import org.vitspark.config.Settings;
import org.vitspark.dataset.DataOpener;
import org.vitspark.run.RunDirectory;
import org.vitspark.run.RunMetrics;
import org.vitspark.train.WorkerStep;

/**
 * What a run of {@link AveragingTrainer} trains and how it is judged: the supervised classifier
 * ({@link SupervisedRecipe}) or self-distillation pretraining ({@link DinoRecipe}). The trainer owns what
 * both share: the data positions, the rounds of parameter averaging, resume, checkpoints, metrics and
 * progress.
 */
public interface Recipe {

    /** A recipe in two steps: its training reader decides the round plan, which sizes the schedules. */
    interface Factory {
        /** How the workers read the training split (shards are assigned per worker later). */
        ReaderSettings trainReader(Settings s);

        Recipe create(Context c) throws IOException;
    }

    /** What the data phase found. @param stepsPerEpoch one worker's optimiser steps per epoch */
    record Context(JavaSparkContext sc, Settings settings, DataOpener.Opened opened, RunDirectory run,
                   long stepsPerEpoch, java.io.PrintWriter out) {
    }

    /** An evaluation's headline numbers (NaN where a recipe has none). */
    record Evaluation(double top1, double top5, double loss) {
    }

    /** The initial network (the trainer then resumes it from a checkpoint when there is one). */
    ComputationGraph network();

    WorkerStep stepListener();

    /** Listeners every worker's network carries after the step listener. */
    default List<TrainingListener> workerListeners() {
        return List.of();
    }

    /** "SAM rho 0.05 + AdamW", "DINO (8 local views) + AdamW", ... for the start line. */
    String describe();

    /** Schedule values at the step just taken (lr, ...) for the round's metrics row. */
    Map<String, Double> scheduleScalars(TrainState state);

    /** The progress line's middle part from the round's scalars. */
    String progress(Map<String, Double> scalars);

    /** After resume, before the first round (baselines a recipe records once). */
    default void start(ComputationGraph net, TrainState state, RunMetrics metrics) throws IOException {
    }

    /** After each round's metrics (warnings a recipe watches for). */
    default void roundDone(TrainState state, Map<String, Double> scalars) {
    }

    /** Whether an evaluation is due after this round (the trainer always evaluates at the end). */
    boolean evaluationDue(TrainState state, boolean epochEnd);

    /** Evaluates {@code net}, prints a line and writes metrics rows. */
    Evaluation evaluate(ComputationGraph net, TrainState state, RunMetrics metrics) throws IOException;

    /** What a finished run leaves in its directory besides the checkpoints (model, weights, summary.json). */
    void export(RunDirectory run, ComputationGraph net, Evaluation last, double lastLoss, int rounds, double seconds)
            throws IOException;
}
