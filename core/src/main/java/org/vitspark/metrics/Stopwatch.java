package org.vitspark.metrics;

/** Elapsed wall time in seconds since it was started (monotonic clock), for timings and progress lines. */
public final class Stopwatch {

    private final long start = System.nanoTime();

    private Stopwatch() {
    }

    public static Stopwatch start() {
        return new Stopwatch();
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    public double millis() {
        return (System.nanoTime() - start) / 1e6;
    }
}
