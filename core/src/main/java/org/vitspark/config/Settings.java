package org.vitspark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vitspark.model.ModelSpec;
import org.vitspark.objective.ObjectiveSpec;
import org.vitspark.objective.PatchContrastive;
import org.vitspark.objective.PatchCosine;
import org.vitspark.objective.PatchMixing;

/**
 * Every concern's typed settings, built once from a validated configuration ({@link VitsparkConfig#settings()}):
 * what library classes take instead of the configuration and its string keys. {@code rendered} and
 * {@code hash} identify the configuration in run directories and checkpoints (secrets hidden); {@code identity}
 * hashes only the keys that change what is trained ({@link RunIdentity}), and names run directories. The Hadoop
 * and Spark properties may hold credentials, so this record never prints them.
 */
public record Settings(RunSettings run, DataSettings data, AugmentSettings augment, ModelSpec model,
                       OptimConfig optim, LossSettings loss, TrainSettings train, SparkSettings spark, BackendSettings backend,
                       AnalyzeSettings analyze, SslSettings ssl, SearchSettings search, String modelInit,
                       Map<String, String> hadoop,
                       String rendered, String hash, String identity) {

    public Settings {
        hadoop = Map.copyOf(hadoop);
    }

    /**
     * What the network trains on: cross-entropy with the configured label smoothing, plus each patch loss
     * whose weight is not 0 (cross-entropy alone when none is on).
     */
    public ObjectiveSpec objective() {
        ObjectiveSpec ce = ObjectiveSpec.crossEntropy(optim.labelSmoothing());
        if (!loss.anyPatchLoss()) {
            return ce;
        }
        List<ObjectiveSpec.Term> terms = new ArrayList<>(ce.terms());
        String smoothing = Double.toString(optim.labelSmoothing());
        if (loss.patchCosine() > 0) {
            terms.add(new ObjectiveSpec.Term(PatchCosine.NAME, loss.patchCosine(), Map.of()));
        }
        if (loss.patchContrastive() > 0) {
            terms.add(new ObjectiveSpec.Term(PatchContrastive.NAME, loss.patchContrastive(),
                    Map.of("anchor", loss.contrastiveAnchor())));
        }
        if (loss.patchMixing() > 0) {
            terms.add(new ObjectiveSpec.Term(PatchMixing.NAME, loss.patchMixing(), Map.of("smoothing", smoothing)));
        }
        return new ObjectiveSpec(terms);
    }

    /**
     * The reader settings for {@code split} shaped for {@code m} (shards are set per worker later). Training
     * shuffles, drops the last partial batch and mixes; evaluation reads every image once, as stored.
     */
    public ReaderSettings reader(ModelSpec m, String split, boolean training) {
        return new ReaderSettings(split, java.util.List.of(), run.seed(), train.batchPerWorker(), m.imageSize(),
                m.channels(), m.classes(), augment.pipeline(training), training, training,
                training ? augment.mixup() : 0, training ? augment.cutmix() : 0, m.patch(), data.readerThreads(),
                data.prefetchBatches(), training && loss.patchMixing() > 0, null, null, augment.mixProb(),
                data.skipBadRecords());
    }

    /** The file saved as {@code config.conf} in a run directory: a header with the hash, then the rendering. */
    public String renderForRunDirectory() {
        return "# vitspark resolved configuration (secrets hidden)\n# sha256 " + hash + "\n" + rendered;
    }

    @Override
    public String toString() {
        return "Settings[run=" + run + ", model=" + model.name() + ", hash=" + hash + "]";
    }
}
