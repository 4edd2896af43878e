package org.vitspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a merged configuration against the schema: unknown keys (with a suggestion), types and ranges.
 * All problems are collected in one pass; cross-key rules run afterwards on keys that passed.
 */
public final class ConfigValidator {

    private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "on");
    private static final Set<String> FALSE_WORDS = Set.of("false", "no", "off");

    private final ConfigSchema schema;

    public ConfigValidator(ConfigSchema schema) {
        this.schema = schema;
    }

    /**
     * @param userLayers only what the user supplied (files, -D, --set): scanned for unknown keys
     * @param merged the user layers over reference.conf: checked for types and ranges
     */
    public List<ConfigError> validate(ConfigObject userLayers, Config merged) {
        List<ConfigError> errors = new ArrayList<>();
        checkUnknown(userLayers, errors);
        for (ConfigKey key : schema.keys()) {
            checkValue(key, merged, errors);
        }
        return errors;
    }

    private void checkUnknown(ConfigObject userLayers, List<ConfigError> errors) {
        List<String> known = schema.keys().stream().map(ConfigKey::path).collect(Collectors.toList());
        for (Map.Entry<String, ConfigValue> leaf : ConfigTree.leaves(userLayers).entrySet()) {
            String path = leaf.getKey();
            if (schema.key(path).isPresent() || schema.enclosingFreeMap(ConfigTree.plain(path)).isPresent()) {
                continue;
            }
            String origin = origin(leaf.getValue());
            boolean isSection = known.stream().anyMatch(k -> k.startsWith(path + "."));
            if (isSection) {
                errors.add(new ConfigError(path, "is a section, not a value; set one of its keys instead", origin));
                continue;
            }
            String hint = Suggest.closest(path, known).map(s -> "; did you mean " + s + "?").orElse("");
            errors.add(new ConfigError(path, "unknown key" + hint, origin));
        }
    }

    private void checkValue(ConfigKey key, Config merged, List<ConfigError> errors) {
        ConfigValue value = ConfigTree.valueAt(merged.root(), key.path());
        if (value == null) {
            boolean parentReported = errors.stream().anyMatch(e -> key.path().startsWith(e.key() + "."));
            if (!parentReported) {
                errors.add(new ConfigError(key.path(), "missing (no default in reference.conf)", ""));
            }
            return;
        }
        String origin = origin(value);
        if (value.valueType() == ConfigValueType.NULL) {
            if (!key.nullable()) {
                errors.add(new ConfigError(key.path(), "must be " + key.expectation() + ", got null", origin));
            }
            return;
        }
        Optional<String> problem = switch (key.type()) {
            case INT -> checkNumber(key, value, true);
            case DOUBLE -> checkNumber(key, value, false);
            case BOOLEAN -> asBoolean(value).isPresent() ? Optional.empty() : Optional.of("wrong type");
            case STRING -> checkString(key, value);
            case STRING_LIST -> value.valueType() == ConfigValueType.LIST ? Optional.empty() : Optional.of("wrong type");
            case INT_LIST -> checkNumberList(key, value, true);
            case NUMBER_LIST -> checkNumberList(key, value, false);
            case FREE_MAP -> checkFreeMap(value);
        };
        problem.ifPresent(p -> errors.add(new ConfigError(key.path(),
                p + ": must be " + key.expectation() + ", got " + describe(value), origin)));
    }

    private static Optional<String> checkNumber(ConfigKey key, ConfigValue value, boolean integral) {
        Optional<Double> number = asNumber(value);
        if (number.isEmpty()) {
            return Optional.of("wrong type");
        }
        double v = number.get();
        if (integral && (v != Math.rint(v) || Double.isInfinite(v))) {
            return Optional.of("wrong type");
        }
        if (Double.isNaN(v) || (key.min() != null && v < key.min()) || (key.max() != null && v > key.max())) {
            return Optional.of("out of range");
        }
        return Optional.empty();
    }

    private static Optional<String> checkNumberList(ConfigKey key, ConfigValue value, boolean integral) {
        if (value.valueType() != ConfigValueType.LIST || ((com.typesafe.config.ConfigList) value).isEmpty()) {
            return Optional.of("wrong type");
        }
        for (ConfigValue element : (com.typesafe.config.ConfigList) value) {
            Optional<String> p = checkNumber(key, element, integral);
            if (p.isPresent()) {
                return Optional.of(p.get() + " element " + describe(element));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkString(ConfigKey key, ConfigValue value) {
        ConfigValueType t = value.valueType();
        if (t == ConfigValueType.OBJECT || t == ConfigValueType.LIST) {
            return Optional.of("wrong type");
        }
        String s = String.valueOf(value.unwrapped());
        if (!key.choices().isEmpty() && !key.choices().contains(s)) {
            String hint = Suggest.closest(s, key.choices()).map(c -> " (did you mean " + c + "?)").orElse("");
            return Optional.of("not an allowed value" + hint);
        }
        return Optional.empty();
    }

    private static Optional<String> checkFreeMap(ConfigValue value) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            return Optional.of("wrong type");
        }
        for (ConfigValue leaf : ConfigTree.leaves((ConfigObject) value).values()) {
            if (leaf.valueType() == ConfigValueType.LIST) {
                return Optional.of("a property value is a list");
            }
        }
        return Optional.empty();
    }

    static Optional<Double> asNumber(ConfigValue value) {
        if (value.valueType() == ConfigValueType.NUMBER) {
            return Optional.of(((Number) value.unwrapped()).doubleValue());
        }
        if (value.valueType() == ConfigValueType.STRING) { // -D properties arrive as strings
            try {
                return Optional.of(Double.parseDouble(((String) value.unwrapped()).trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static Optional<Boolean> asBoolean(ConfigValue value) {
        if (value.valueType() == ConfigValueType.BOOLEAN) {
            return Optional.of((Boolean) value.unwrapped());
        }
        if (value.valueType() == ConfigValueType.STRING) {
            String s = ((String) value.unwrapped()).trim().toLowerCase();
            if (TRUE_WORDS.contains(s)) {
                return Optional.of(true);
            }
            if (FALSE_WORDS.contains(s)) {
                return Optional.of(false);
            }
        }
        return Optional.empty();
    }

    private static String describe(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING -> "\"" + Secrets.withoutUserInfo(String.valueOf(value.unwrapped())) + "\"";
            case OBJECT -> "an object";
            case LIST -> "a list";
            default -> String.valueOf(value.unwrapped());
        };
    }

    static String origin(ConfigValue value) {
        String d = value.origin().description();
        if (d == null) {
            return "";
        }
        d = d.replaceFirst("^merge of ", "");
        // command-line values are one line each: their "line 1" adds nothing
        return d.startsWith("--set") || d.startsWith("-D") ? d.replaceFirst(": \\d+$", "") : d;
    }
}
