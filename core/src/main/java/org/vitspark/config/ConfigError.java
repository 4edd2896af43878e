package org.vitspark.config;

/**
 * One problem found in a configuration.
 *
 * @param key the dotted key it is about
 * @param message what is wrong and what was expected
 * @param origin where the offending value came from (file and line, {@code --set}, {@code -D}); may be empty
 */
public record ConfigError(String key, String message, String origin) {

    @Override
    public String toString() {
        return key + ": " + message + (origin == null || origin.isEmpty() ? "" : "  (from " + origin + ")");
    }
}
