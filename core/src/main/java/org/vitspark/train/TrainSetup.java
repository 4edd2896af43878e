package org.vitspark.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.vitspark.config.SearchSettings;
import org.vitspark.config.Settings;
import org.vitspark.search.ChannelPolicy;
import org.vitspark.search.GenomeSampler;
import org.vitspark.search.SearchSpace;
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
 * @param supernet the architecture-search supernet this run trains instead of {@code model}, or null
 */
public record TrainSetup(ModelSpec model, ObjectiveSpec objective, OptimSettings optim, String optimizer, long seed,
                         String init, Map<String, String> hadoop, Supernet supernet) {

    /** A supernet run's space, channel policy and calibrated identity probability. */
    public record Supernet(SearchSpace space, ChannelPolicy policy, double identityProb) {
    }

    /** @param stepsPerEpoch optimiser steps per epoch of one worker (the schedule's unit) */
    public static TrainSetup from(Settings s, long stepsPerEpoch) {
        return new TrainSetup(s.model(), s.objective(), s.optim().forSteps(stepsPerEpoch, s.train().epochs()),
                s.optim().optimizer(), s.run().seed(), s.modelInit(), s.hadoop(), null);
    }

    /**
     * ViTAS supernet training ({@code search supernet}): the space of search.* over the model.* spec, whose
     * identity probability is calibrated here, on the driver, so the mean MACs of sampled genomes fall in the
     * band; cross-entropy with the configured label smoothing.
     */
    public static TrainSetup supernet(Settings s, long stepsPerEpoch) {
        SearchSettings x = s.search();
        SearchSpace space = x.space(s.model());
        GenomeSampler sampler = new GenomeSampler(space, x.identityProb()).calibrated(s.run().seed(),
                x.minMacs(s.model()), x.maxMacs(s.model()));
        TrainSetup plain = from(s, stepsPerEpoch);
        return new TrainSetup(plain.model, ObjectiveSpec.crossEntropy(s.optim().labelSmoothing()), plain.optim,
                plain.optimizer, plain.seed, "", plain.hadoop, new Supernet(space, x.channels(), sampler.identityProb()));
    }

    /** The initial network: parameters from (seed), float32; the backbone from model.init when set. */
    public ComputationGraph network() {
        if (supernet != null) {
            return Networks.supernet(supernet.space(), supernet.policy(), supernet.identityProb(), optim,
                    Networks.updater(optimizer, optim), seed, DataType.FLOAT);
        }
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
        String step = optim.samMode() == Sam.Mode.OFF ? base : optim.samMode() + " rho " + optim.rho() + " + " + base;
        return supernet == null ? step : String.format("supernet (%s channels, identity probability %.2f) with %s",
                supernet.policy().name().toLowerCase(java.util.Locale.ROOT), supernet.identityProb(), step);
    }
}
