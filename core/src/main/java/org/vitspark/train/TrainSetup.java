package org.vitspark.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.vitspark.config.Settings;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.PretrainedBackbone;
import org.vitspark.model.ModelSpec;
import org.vitspark.objective.ObjectiveSpec;
import org.vitspark.network.Networks;
import org.vitspark.config.OptimSettings;
import org.vitspark.optim.Sam;
import org.vitspark.optim.SamListener;

/**
 * What a training run builds from its config, in one place so the local trainer and the Spark driver
 * build the same network, updater and step listener (their equivalence test depends on it).
 *
 * @param optimizer optim.optimizer: adamw or sgd
 * @param init model.init: a pretraining run or checkpoint whose teacher backbone starts the model, or ""
 * @param hadoop the Hadoop properties to read {@code init} with
 */
public record TrainSetup(ModelSpec model, ObjectiveSpec objective, OptimSettings optim, String optimizer, long seed,
                         String init, Map<String, String> hadoop) {

    /** @param stepsPerEpoch optimiser steps per epoch of one worker (the schedule's unit) */
    public static TrainSetup from(Settings s, long stepsPerEpoch) {
        return new TrainSetup(s.model(), s.objective(), s.optim().forSteps(stepsPerEpoch, s.train().epochs()),
                s.optim().optimizer(), s.run().seed(), s.modelInit(), s.hadoop());
    }

    /** The initial network: parameters from (seed), float32; the backbone from model.init when set. */
    public ComputationGraph network() {
        ComputationGraph net = Networks.build(model, objective, optim, Networks.updater(optimizer, optim), seed,
                DataType.FLOAT);
        if (!init.isEmpty()) {
            try {
                PretrainedBackbone.load(PretrainedBackbone.read(init, HadoopFiles.configuration(hadoop)), model,
                        net.params());
            } catch (IOException e) {
                throw new UncheckedIOException("model.init: cannot read " + init + ": " + e.getMessage(), e);
            }
        }
        return net;
    }

    /** A fresh step listener (SAM inside when optim.sam.mode is not off). */
    public WorkerStep listener() {
        return new WorkerStep(optim.samMode() == Sam.Mode.OFF ? null : new SamListener(optim.samMode(), optim.rho()));
    }

    /** "AdamW", "SAM rho 0.05 + AdamW", ... for progress lines. */
    public String describe() {
        String base = "adamw".equals(optimizer) ? "AdamW" : "SGD";
        return optim.samMode() == Sam.Mode.OFF ? base : optim.samMode() + " rho " + optim.rho() + " + " + base;
    }
}
