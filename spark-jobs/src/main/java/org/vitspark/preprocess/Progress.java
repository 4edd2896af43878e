package org.vitspark.preprocess;

import java.io.PrintWriter;
import java.util.function.LongSupplier;
import org.vitspark.metrics.Clock;
import org.vitspark.metrics.Stopwatch;

/**
 * A progress line every few seconds while a long Spark action runs on the driver: done/total, rate and
 * ETA from a counter that executors advance (an accumulator, updated on the driver as tasks finish).
 */
public final class Progress implements AutoCloseable {

    private final Thread thread;
    private volatile boolean done;

    public Progress(PrintWriter out, String what, long total, long everyMillis, LongSupplier counter,
                    LongSupplier skipped) {
        Stopwatch start = Stopwatch.start();
        thread = new Thread(() -> {
            while (!done) {
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
                if (done) {
                    return;
                }
                long n = counter.getAsLong();
                double s = start.seconds();
                double rate = n / Math.max(s, 1e-9);
                String eta = n > 0 ? Clock.format((total - n) / rate) : "?";
                out.printf("%s: %,d/%,d files read, %,d skipped, %.0f files/s, elapsed %s, eta %s%n", what, n, total,
                        skipped.getAsLong(), rate, Clock.format(s), eta);
                out.flush();
            }
        }, "vitspark-progress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
    }
}
