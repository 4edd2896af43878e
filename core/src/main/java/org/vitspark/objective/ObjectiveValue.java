package org.vitspark.objective;

import java.util.Map;

/**
 * An objective's value on one batch.
 *
 * @param loss the weighted total that is minimised
 * @param terms each term's own (unweighted) value by name, in a stable order, for metrics
 * @param gradientNorms for a sum of several terms, each term's weighted gradient norm at the final
 *                      LayerNorm's tokens (where every term's gradient passes), by name; else empty
 */
public record ObjectiveValue(double loss, Map<String, Double> terms, Map<String, Double> gradientNorms) {

    public ObjectiveValue(double loss, Map<String, Double> terms) {
        this(loss, terms, Map.of());
    }
}
