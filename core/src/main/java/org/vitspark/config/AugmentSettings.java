package org.vitspark.config;

import java.io.Serializable;
import java.util.Map;
import org.vitspark.augment.Pipeline;

/**
 * {@code augment.*}: the named pipelines (parsed and checked at load), which one training and evaluation
 * use, and batch-level Mixup/CutMix (alpha; 0 = off).
 */
public record AugmentSettings(String train, String eval, Map<String, String> pipelines, double mixup,
                              double cutmix, double mixProb) implements Serializable {

    public AugmentSettings {
        pipelines = Map.copyOf(pipelines);
    }

    /** The training or the evaluation pipeline. */
    public Pipeline pipeline(boolean training) {
        return Pipeline.parse(pipelines.get(training ? train : eval));
    }
}
