package org.vitspark.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * Tonight's value of one metric against the same metric on earlier nights: a regression when it lies more
 * than {@link #Z} noise standard deviations from the median of the last nights, and by more than
 * {@link #FLOOR} of that median (so a flat history does not turn the last digit's jitter into an alarm),
 * in the direction the metric's band says is worse: below for a band with only a minimum (accuracy,
 * throughput), above for one with only a maximum (wall time, loss), either way otherwise. The noise is
 * estimated from the night-to-night changes (1.4826 × their median absolute value / √2), not from the
 * spread around the median, so that a steady drift does not hide itself by widening its own limit; the
 * medians make one earlier outlier night harmless.
 */
public final class Trend {

    /** Robust standard deviations that count as a regression. */
    static final double Z = 3.0;
    /** Smallest relative change that counts, of the window's median. */
    static final double FLOOR = 0.02;
    /** Earlier nights needed before a trend verdict is given (fewer: no verdict). */
    static final int MIN_NIGHTS = 3;

    /** The verdict; {@code median} and {@code limit} are NaN without enough history. */
    public record Result(boolean enoughHistory, boolean regression, double median, double limit, String reason) {
    }

    private Trend() {
    }

    /**
     * @param earlier the metric on earlier nights, oldest first, nights without a value left out; only the
     *                last {@code lookback} are used
     * @param band    the metric's band (its bounds give the bad direction), or null
     */
    public static Result check(double tonight, List<Double> earlier, int lookback, Band band) {
        List<Double> window = new ArrayList<>();
        for (Double v : earlier.subList(Math.max(0, earlier.size() - lookback), earlier.size())) {
            if (v != null && Double.isFinite(v)) {
                window.add(v);
            }
        }
        if (window.size() < MIN_NIGHTS) {
            return new Result(false, false, Double.NaN, Double.NaN,
                    window.size() + " earlier night(s), " + MIN_NIGHTS + " needed for a trend");
        }
        double median = median(window);
        List<Double> steps = new ArrayList<>();
        for (int i = 1; i < window.size(); i++) {
            steps.add(Math.abs(window.get(i) - window.get(i - 1)));
        }
        double noise = 1.4826 * median(steps) / Math.sqrt(2);
        double limit = Math.max(Z * noise, FLOOR * Math.abs(median));
        double change = tonight - median;
        boolean lowerIsBad = band == null || band.min() != null;
        boolean higherIsBad = band == null || band.max() != null;
        boolean worse = (change < -limit && lowerIsBad) || (change > limit && higherIsBad) || Double.isNaN(tonight);
        String reason = String.format(java.util.Locale.ROOT, "%.6g vs median %.6g of %d night(s) (limit ±%.3g)",
                tonight, median, window.size(), limit);
        return new Result(true, worse, median, limit, reason);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
