package org.vitspark.config;

import java.util.List;

/**
 * One declared configuration key: its dotted path, type and constraints. Defaults and the one-line
 * documentation live in {@code reference.conf}; a test keeps the two in step.
 *
 * @param min inclusive lower bound for numbers, or null
 * @param max inclusive upper bound for numbers, or null
 * @param choices allowed values for strings; empty = any
 * @param nullable whether {@code null} is a legal value (meaning "take it from elsewhere", e.g. the variant)
 */
public record ConfigKey(String path, ConfigType type, Double min, Double max, List<String> choices, boolean nullable) {

    public ConfigKey {
        choices = List.copyOf(choices);
    }

    public static ConfigKey integer(String path, long min, long max) {
        return new ConfigKey(path, ConfigType.INT, (double) min, (double) max, List.of(), false);
    }

    public static ConfigKey number(String path, double min, double max) {
        return new ConfigKey(path, ConfigType.DOUBLE, min, max, List.of(), false);
    }

    public static ConfigKey bool(String path) {
        return new ConfigKey(path, ConfigType.BOOLEAN, null, null, List.of(), false);
    }

    public static ConfigKey string(String path) {
        return new ConfigKey(path, ConfigType.STRING, null, null, List.of(), false);
    }

    public static ConfigKey oneOf(String path, String... choices) {
        return new ConfigKey(path, ConfigType.STRING, null, null, List.of(choices), false);
    }

    public static ConfigKey stringList(String path) {
        return new ConfigKey(path, ConfigType.STRING_LIST, null, null, List.of(), false);
    }

    /** A non-empty list of integers, each in [min, max]. */
    public static ConfigKey intList(String path, long min, long max) {
        return new ConfigKey(path, ConfigType.INT_LIST, (double) min, (double) max, List.of(), false);
    }

    /** A non-empty list of numbers, each in [min, max]. */
    public static ConfigKey numberList(String path, double min, double max) {
        return new ConfigKey(path, ConfigType.NUMBER_LIST, min, max, List.of(), false);
    }

    public static ConfigKey freeMap(String path) {
        return new ConfigKey(path, ConfigType.FREE_MAP, null, null, List.of(), false);
    }

    /** The same key, but {@code null} is allowed. */
    public ConfigKey orNull() {
        return new ConfigKey(path, type, min, max, choices, true);
    }

    /** Human-readable constraint for error messages, e.g. "an integer in [1, 4096]". */
    public String expectation() {
        StringBuilder s = new StringBuilder(type.description());
        if (!choices.isEmpty()) {
            s.append(", one of ").append(String.join(", ", choices));
        }
        if (min != null || max != null) {
            s.append(type == ConfigType.INT_LIST || type == ConfigType.NUMBER_LIST ? ", each" : "")
                    .append(" in [").append(format(min)).append(", ").append(format(max)).append(']');
        }
        if (nullable) {
            s.append(" (or null)");
        }
        return s.toString();
    }

    private static String format(Double bound) {
        if (bound == null) {
            return "∞";
        }
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString(bound.longValue()) : bound.toString();
    }
}
