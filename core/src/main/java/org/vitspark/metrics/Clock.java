package org.vitspark.metrics;

/** h:mm:ss for progress lines. */
public final class Clock {

    private Clock() {
    }

    public static String format(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
