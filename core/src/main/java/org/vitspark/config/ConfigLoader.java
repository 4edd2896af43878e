package org.vitspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads, merges and validates a configuration. Touches nothing but the config library, so a bad
 * configuration is rejected in well under a second, before Spark or ND4J start.
 */
public final class ConfigLoader {

    private final ConfigSchema schema;

    public ConfigLoader(ConfigSchema schema) {
        this.schema = schema;
    }

    public static ConfigLoader standard() {
        return new ConfigLoader(ConfigSchema.standard());
    }

    /** @throws ConfigValidationException with every problem found, each naming its key */
    public VitsparkConfig load(ConfigSources sources) {
        List<ConfigError> errors = new ArrayList<>();
        Config user = ConfigFactory.empty();
        for (String set : sources.sets()) {
            user = normalised(parseSet(set, errors)).withFallback(user);
        }
        user = user.withFallback(normalised(systemLayer(sources.systemProperties(), errors)));
        if (sources.file() != null) {
            user = user.withFallback(normalised(fileLayer(sources, errors)));
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        Config merged;
        try {
            merged = user.withFallback(reference()).resolve();
        } catch (ConfigException e) {
            // e.g. an unset ${ENV_VAR} without the optional "?" form; the message names file and line
            throw new ConfigValidationException(List.of(new ConfigError("${substitution}", e.getMessage(), "")));
        }
        Config userResolved = user.resolveWith(merged, ConfigResolveOptions.defaults().setAllowUnresolved(true));
        errors.addAll(new ConfigValidator(schema).validate(userResolved.root(), merged));
        Set<String> bad = errors.stream().map(ConfigError::key).collect(Collectors.toCollection(HashSet::new));
        errors.addAll(ConfigRules.check(merged, bad));
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        VitsparkConfig config = new VitsparkConfig(onlySchemaSections(merged));
        config.model(); // reads model.genome's file now: a bad one is a configuration error, before any work
        return config;
    }

    /** reference.conf alone, restricted to vitspark's sections. */
    public Config reference() {
        return onlySchemaSections(ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf"));
    }

    private Config onlySchemaSections(Config c) {
        Config out = ConfigFactory.empty();
        for (String root : schema.keys().stream().map(k -> k.path().split("\\.")[0]).collect(Collectors.toSet())) {
            if (c.hasPathOrNull(root)) {
                out = out.withValue(root, c.getValue(root));
            }
        }
        return out;
    }

    private static Config fileLayer(ConfigSources sources, List<ConfigError> errors) {
        if (!Files.isRegularFile(sources.file())) {
            errors.add(new ConfigError("--config", "file not found: " + sources.file(), ""));
            return ConfigFactory.empty();
        }
        missingIncludes(sources.file(), errors);
        try {
            return ConfigFactory.parseFile(sources.file().toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            errors.add(new ConfigError("--config", "cannot parse " + sources.file() + ": " + e.getMessage(), ""));
            return ConfigFactory.empty();
        }
    }

    /**
     * The {@code -Dvitspark.<key>} properties, each key read as a HOCON path (so a quoted part such as
     * {@code hadoop."fs.s3a.endpoint"} is one key, as in a file or --set, not a name with quotes in it).
     */
    private static final java.util.regex.Pattern INCLUDE = java.util.regex.Pattern.compile(
            "^\\s*include\\s+(required\\s*\\(\\s*)?(file\\s*\\(\\s*)?\"([^\"]+)\"");

    /**
     * HOCON skips an {@code include} whose file is missing without a word; a misspelt include would silently
     * drop a whole experiment's settings. Each plain or {@code file(...)} include of the experiment file must
     * exist (relative to the file); {@code required(...)} ones fail in the parser already.
     */
    private static void missingIncludes(java.nio.file.Path file, List<ConfigError> errors) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (java.io.IOException | RuntimeException e) {
            return; // the parser reports an unreadable file
        }
        for (int i = 0; i < lines.size(); i++) {
            java.util.regex.Matcher m = INCLUDE.matcher(lines.get(i));
            if (m.find() && m.group(1) == null) {
                java.nio.file.Path target = file.toAbsolutePath().getParent().resolve(m.group(3));
                boolean exists = Files.exists(target) || (m.group(2) == null
                        && ConfigLoader.class.getClassLoader().getResource(m.group(3)) != null);
                if (!exists) {
                    errors.add(new ConfigError("include", "\"" + m.group(3) + "\" not found (HOCON would skip it "
                            + "silently): fix the path or write include required(\"...\")", file + ": " + (i + 1)));
                }
            }
        }
    }

    private static Config systemLayer(Properties props, List<ConfigError> errors) {
        Config out = ConfigFactory.empty();
        for (String name : new java.util.TreeSet<>(props.stringPropertyNames())) {
            if (name.startsWith(ConfigSources.SYSTEM_PREFIX) && name.length() > ConfigSources.SYSTEM_PREFIX.length()) {
                String key = name.substring(ConfigSources.SYSTEM_PREFIX.length());
                try {
                    String path = ConfigUtil.joinPath(ConfigUtil.splitPath(key));
                    out = out.withValue(path, ConfigValueFactory.fromAnyRef(props.getProperty(name),
                            "-D system property " + key));
                } catch (ConfigException e) {
                    errors.add(new ConfigError(key, "not a valid key path", "-D " + ConfigSources.SYSTEM_PREFIX + key));
                }
            }
        }
        return out;
    }

    /**
     * One source with its free-form property sections (hadoop, spark.conf, augment.pipelines) in one form:
     * every property one key, its dotted name quoted. {@code hadoop { fs.s3a.endpoint = x }} and
     * {@code hadoop."fs.s3a.endpoint" = x} are different HOCON paths for the same Hadoop property; in one form,
     * the documented order of sources decides between them.
     */
    private Config normalised(Config layer) {
        Config resolved;
        try {
            // environment substitutions (${?AWS_SECRET_ACCESS_KEY}) resolve within the layer; others wait
            resolved = layer.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
        } catch (ConfigException e) {
            return layer; // reported when the merged configuration resolves
        }
        Config out = layer;
        for (ConfigKey k : schema.keys()) {
            try {
                if (k.type() != ConfigType.FREE_MAP || !resolved.hasPath(k.path())
                        || resolved.getValue(k.path()).valueType() != com.typesafe.config.ConfigValueType.OBJECT) {
                    continue;
                }
                Config section = ConfigFactory.empty();
                for (Map.Entry<String, ConfigValue> e : ConfigTree.leaves(resolved.getObject(k.path())).entrySet()) {
                    section = section.withValue(ConfigUtil.quoteString(ConfigTree.plain(e.getKey())), e.getValue());
                }
                out = out.withoutPath(k.path()).withValue(k.path(), section.root());
            } catch (ConfigException e) {
                // a section that refers to other sources stays as written
            }
        }
        return out;
    }

    /** {@code key=value}: the value is read as HOCON (numbers, booleans, null, quoted strings), else as a plain string. */
    private static Config parseSet(String set, List<ConfigError> errors) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            // the text is not echoed: what follows a key may be a secret
            int colon = set.indexOf(':');
            String key = colon > 0 ? set.substring(0, colon).trim() : "--set";
            errors.add(new ConfigError(key, "--set needs key=value" + (colon > 0 ? " (with '=', not ':')" : "")
                    + "; the argument is not shown, it may hold a secret", "--set"));
            return ConfigFactory.empty();
        }
        String key = set.substring(0, eq).trim();
        String raw = set.substring(eq + 1);
        String origin = "--set " + key;
        ConfigValue value;
        try {
            value = ConfigFactory.parseString("v = " + raw, ConfigParseOptions.defaults().setOriginDescription(origin))
                    .root().get("v");
            if (value == null) {
                value = ConfigValueFactory.fromAnyRef(raw, origin);
            }
        } catch (ConfigException e) {
            value = ConfigValueFactory.fromAnyRef(raw, origin);
        }
        try {
            return ConfigFactory.empty().withValue(key, value);
        } catch (ConfigException e) {
            errors.add(new ConfigError(key, "not a valid key path: " + e.getMessage(), "--set"));
            return ConfigFactory.empty();
        }
    }
}
