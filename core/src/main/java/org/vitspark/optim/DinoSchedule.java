package org.vitspark.optim;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DINO's per-iteration schedule ({@code utils.cosine_scheduler} of Caron et al.'s code): over the first
 * {@code warmup} iterations a linear ramp {@code linspace(start, base, warmup)} (both ends included),
 * then {@code final + ½(base − final)(1 + cos(π·i/n))} for i = 0…n−1, n = total − warmup (it never quite
 * reaches {@code final}); past the end it holds the last value. With {@code cosine} off the value after
 * the ramp is {@code base} throughout (DINO's teacher-temperature warm-up, there per epoch).
 * Iterations are DL4J's 0-based update counter, which is DINO's {@code it}.
 */
public final class DinoSchedule implements ISchedule {

    private final double start;
    private final double base;
    private final double end;
    private final long warmup;
    private final long total;
    private final boolean cosine;

    public DinoSchedule(@JsonProperty("start") double start, @JsonProperty("base") double base,
                        @JsonProperty("end") double end, @JsonProperty("warmup") long warmup,
                        @JsonProperty("total") long total, @JsonProperty("cosine") boolean cosine) {
        if (total < 1 || warmup < 0 || warmup > total) {
            throw new IllegalArgumentException("schedule: warm-up " + warmup + " of " + total + " iterations");
        }
        this.start = start;
        this.base = base;
        this.end = end;
        this.warmup = warmup;
        this.total = total;
        this.cosine = cosine;
    }

    /** Warm-up ramp from {@code start}, then cosine from {@code base} to {@code end} (lr, weight decay, momentum). */
    public static DinoSchedule cosine(double start, double base, double end, long warmup, long total) {
        return new DinoSchedule(start, base, end, warmup, total, true);
    }

    /** Warm-up ramp from {@code start} to {@code base}, then constant (teacher temperature). */
    public static DinoSchedule ramp(double start, double base, long warmup, long total) {
        return new DinoSchedule(start, base, base, warmup, total, false);
    }

    public double at(long iteration) {
        long it = Math.min(Math.max(iteration, 0), total - 1);
        if (it < warmup) {
            return warmup == 1 ? start : start + (base - start) * it / (warmup - 1);
        }
        if (!cosine) {
            return base;
        }
        long n = total - warmup;
        return end + 0.5 * (base - end) * (1 + Math.cos(Math.PI * (it - warmup) / n));
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return at(iteration);
    }

    @Override
    public ISchedule clone() {
        return new DinoSchedule(start, base, end, warmup, total, cosine);
    }

    @JsonProperty("start")
    public double start() {
        return start;
    }

    @JsonProperty("base")
    public double base() {
        return base;
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

    @JsonProperty("cosine")
    public boolean cosine() {
        return cosine;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DinoSchedule s && s.start == start && s.base == base && s.end == end
                && s.warmup == warmup && s.total == total && s.cosine == cosine;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(start, base, end, warmup, total, cosine);
    }
}
