package org.vitspark.config;

import java.util.Map;

/**
 * {@code spark.*}: the master and application name when no spark-submit set them, and Spark properties
 * passed through. May hold secrets (spark.conf): never printed. {@code redactionRegex} is the secret-key
 * pattern Spark's UI and logs must hide ({@link Secrets#redactionRegex}).
 */
public record SparkSettings(String master, String appName, Map<String, String> conf, String redactionRegex) {

    public SparkSettings {
        conf = Map.copyOf(conf);
    }

    @Override
    public String toString() {
        return "SparkSettings[master=" + master + ", appName=" + appName + ", conf=" + conf.keySet() + "]";
    }
}
