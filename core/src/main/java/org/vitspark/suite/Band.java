package org.vitspark.suite;

/**
 * The range a suite expects one metric of one experiment in: {@code min ≤ value ≤ max}, either bound
 * optional (null), never both absent. A band that is a published method's gate also carries the claim it
 * tests and the paper's own number ({@code claim}, {@code paper}; null otherwise): the suite report lists
 * those bands as its claims table, paper against measured.
 */
public record Band(String metric, Double min, Double max, String claim, String paper) {

    public Band {
        if (min == null && max == null) {
            throw new IllegalArgumentException("a band needs min or max");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        if (paper != null && claim == null) {
            throw new IllegalArgumentException("a band with the paper's number needs the claim it belongs to");
        }
    }

    public Band(String metric, Double min, Double max) {
        this(metric, min, max, null, null);
    }

    /** Whether {@code value} lies in the band (a NaN never does). */
    public boolean contains(double value) {
        return !Double.isNaN(value) && (min == null || value >= min) && (max == null || value <= max);
    }

    /** "≥ 0.8", "≤ 600", "0.8..0.9". */
    public String describe() {
        if (min != null && max != null) {
            return min + ".." + max;
        }
        return min != null ? "≥ " + min : "≤ " + max;
    }
}
