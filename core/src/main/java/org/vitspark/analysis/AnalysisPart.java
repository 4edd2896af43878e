package org.vitspark.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The parts of {@code analyze}, by their config names ({@code analyze.parts}). */
public enum AnalysisPart {
    HESSIAN, LANDSCAPE, NEURONS, ATTENTION, OVERSMOOTHING;

    /** The name in config files and analysis.json. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AnalysisPart> parse(String key) {
        for (AnalysisPart p : values()) {
            if (p.key().equals(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static List<String> keys() {
        List<String> k = new ArrayList<>();
        for (AnalysisPart p : values()) {
            k.add(p.key());
        }
        return k;
    }
}
