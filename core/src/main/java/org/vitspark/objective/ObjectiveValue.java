package org.vitspark.objective;

import java.util.Map;

/**
 * An objective's value on one batch.
 *
 * @param loss the weighted total that is minimised
 * @param terms each term's own (unweighted) value by name, in a stable order, for metrics
 */
public record ObjectiveValue(double loss, Map<String, Double> terms) {
}
