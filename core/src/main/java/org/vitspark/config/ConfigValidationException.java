package org.vitspark.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration has one or more errors; carries all of them, found in one pass. */
public final class ConfigValidationException extends RuntimeException {

    private final List<ConfigError> errors;

    public ConfigValidationException(List<ConfigError> errors) {
        super(errors.size() + " configuration error(s):\n  "
                + errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n  ")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
