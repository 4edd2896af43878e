package org.vitspark.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Where a configuration comes from, lowest precedence first: reference.conf, the experiment file,
 * {@code -Dvitspark.<key>=value} system properties, then {@code --set key=value} pairs.
 *
 * @param file the experiment file ({@code --config}), or null
 * @param systemProperties JVM properties; only those starting with {@value #SYSTEM_PREFIX} are read
 * @param sets {@code key=value} overrides in command-line order (later wins)
 */
public record ConfigSources(Path file, Properties systemProperties, List<String> sets) {

    /** -D properties must carry this prefix: the JVM namespace also holds spark.*, java.*, user.* ... */
    public static final String SYSTEM_PREFIX = "vitspark.";

    public ConfigSources {
        sets = List.copyOf(sets);
    }

    public static ConfigSources of(Path file, List<String> sets) {
        return new ConfigSources(file, System.getProperties(), sets);
    }
}
