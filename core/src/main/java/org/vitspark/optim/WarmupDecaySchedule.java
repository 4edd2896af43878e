package org.vitspark.optim;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate per iteration: linear warm-up from 0 to the peak over {@code warmup} steps, then cosine
 * or linear decay to {@code end} at {@code total} steps (big_vision/timm convention), or constant.
 * Iterations are DL4J's 0-based update counter, so step t = iteration + 1.
 */
public final class WarmupDecaySchedule implements ISchedule {

    public enum Kind { COSINE, LINEAR, CONSTANT }

    private final double peak;
    private final double end;
    private final long warmup;
    private final long total;
    private final Kind kind;

    public WarmupDecaySchedule(@JsonProperty("peak") double peak, @JsonProperty("end") double end,
                               @JsonProperty("warmup") long warmup, @JsonProperty("total") long total,
                               @JsonProperty("kind") Kind kind) {
        this.peak = peak;
        this.end = end;
        this.warmup = warmup;
        this.total = Math.max(total, warmup + 1);
        this.kind = kind;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        long step = iteration + 1L;
        if (step <= warmup) {
            return peak * step / warmup;
        }
        double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
        return switch (kind) {
            case CONSTANT -> peak;
            case LINEAR -> end + (peak - end) * (1 - progress);
            case COSINE -> end + (peak - end) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    @Override
    public ISchedule clone() {
        return new WarmupDecaySchedule(peak, end, warmup, total, kind);
    }

    @JsonProperty("peak")
    public double peak() {
        return peak;
    }

    @JsonProperty("end")
    public double end() {
        return end;
    }

    @JsonProperty("warmup")
    public long warmup() {
        return warmup;
    }

    @JsonProperty("total")
    public long total() {
        return total;
    }

    @JsonProperty("kind")
    public Kind kind() {
        return kind;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupDecaySchedule s && s.peak == peak && s.end == end && s.warmup == warmup
                && s.total == total && s.kind == kind;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(peak, end, warmup, total, kind);
    }
}
