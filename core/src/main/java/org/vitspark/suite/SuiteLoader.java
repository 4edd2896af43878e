package org.vitspark.suite;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.vitspark.config.ConfigError;
import org.vitspark.config.ConfigValidationException;
import org.vitspark.config.Suggest;

/**
 * Reads a suite file (HOCON) strictly: every problem (an unknown or missing key, a wrong type, a bad band,
 * a config or script that does not exist, a duplicate id) is collected with its key path, e.g.
 * {@code suite.experiments[2].bands.test_top1.mni}, and the origin's file and line, and reported together
 * before anything runs.
 */
public final class SuiteLoader {

    static final String DEFAULT_HISTORY = "runs/nightly/history";
    static final int DEFAULT_LOOKBACK = 7;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> SUITE_KEYS = Set.of("name", "description", "history", "lookback", "experiments");
    private static final Set<String> EXPERIMENT_KEYS = Set.of("id", "job", "config", "script", "runs", "of", "set",
            "bands");
    private static final Set<String> BAND_KEYS = Set.of("min", "max", "claim", "paper");

    private final Path workDir;

    /** @param workDir what relative config paths and deploy/experiments resolve against (the project's root) */
    public SuiteLoader(Path workDir) {
        this.workDir = workDir;
    }

    public SuiteSpec load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("suite file not found: " + file);
        }
        Config root;
        try {
            root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("suite file " + file + ": " + e.getMessage(), e);
        }
        List<ConfigError> errors = new ArrayList<>();
        for (String top : root.root().keySet()) {
            if (!top.equals("suite")) {
                errors.add(unknown(top, top, Set.of("suite"), root.root().get(top)));
            }
        }
        if (!root.hasPath("suite") || root.getValue("suite").valueType() != ConfigValueType.OBJECT) {
            errors.add(new ConfigError("suite", "missing: a suite file holds one object named suite", origin(root.root())));
            throw new ConfigValidationException(errors);
        }
        ConfigObject s = root.getObject("suite");
        checkKeys(s, "suite", SUITE_KEYS, errors);
        String name = string(s, "suite", "name", true, errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(new ConfigError("suite.name", "must be lower-case letters, digits and dashes, got " + name,
                    origin(s.get("name"))));
        }
        String description = string(s, "suite", "description", false, errors);
        String history = string(s, "suite", "history", false, errors);
        int lookback = integer(s, "suite", "lookback", DEFAULT_LOOKBACK, 1, 365, errors);
        List<SuiteSpec.Experiment> experiments = new ArrayList<>();
        ConfigValue list = s.get("experiments");
        if (list == null) {
            errors.add(new ConfigError("suite.experiments", "missing: the list of experiments to run", origin(s)));
        } else if (list.valueType() != ConfigValueType.LIST || ((ConfigList) list).isEmpty()) {
            errors.add(new ConfigError("suite.experiments", "must be a non-empty list of experiments", origin(list)));
        } else {
            Map<String, SuiteJob> seen = new LinkedHashMap<>();
            ConfigList items = (ConfigList) list;
            for (int i = 0; i < items.size(); i++) {
                String at = "suite.experiments[" + i + "]";
                ConfigValue item = items.get(i);
                if (item.valueType() != ConfigValueType.OBJECT) {
                    errors.add(new ConfigError(at, "must be an object {id, job, config, ...}", origin(item)));
                    continue;
                }
                SuiteSpec.Experiment e = experiment((ConfigObject) item, at, seen, errors);
                if (e != null) {
                    experiments.add(e);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        return new SuiteSpec(name, description == null ? "" : description, history == null ? DEFAULT_HISTORY : history,
                lookback, List.copyOf(experiments));
    }

    /** One entry, or null when it has errors; records its id and job in {@code earlier} either way. */
    private SuiteSpec.Experiment experiment(ConfigObject o, String at, Map<String, SuiteJob> earlier,
                                            List<ConfigError> errors) {
        int before = errors.size();
        checkKeys(o, at, EXPERIMENT_KEYS, errors);
        String id = string(o, at, "id", true, errors);
        if (id != null && !NAME.matcher(id).matches()) {
            errors.add(new ConfigError(at + ".id", "must be lower-case letters, digits and dashes, got " + id,
                    origin(o.get("id"))));
        } else if (id != null && earlier.containsKey(id)) {
            errors.add(new ConfigError(at + ".id", "duplicate id " + id, origin(o.get("id"))));
        }
        String jobKey = string(o, at, "job", true, errors);
        SuiteJob job = jobKey == null ? null : SuiteJob.of(jobKey).orElse(null);
        if (jobKey != null && job == null) {
            errors.add(new ConfigError(at + ".job", "unknown job " + jobKey + "; one of " + SuiteJob.keys()
                    + Suggest.closest(jobKey, SuiteJob.keys()).map(x -> "; did you mean " + x + "?").orElse(""),
                    origin(o.get("job"))));
        }
        String config = string(o, at, "config", job != null && job != SuiteJob.EXPERIMENT, errors);
        Path configPath = null;
        if (config != null) {
            configPath = workDir.resolve(config);
            if (!Files.isRegularFile(configPath)) {
                errors.add(new ConfigError(at + ".config", "no such file: " + configPath, origin(o.get("config"))));
            }
        }
        String script = string(o, at, "script", job == SuiteJob.EXPERIMENT, errors);
        if (script != null && job != SuiteJob.EXPERIMENT) {
            errors.add(new ConfigError(at + ".script", "only a job = experiment runs a script", origin(o.get("script"))));
        } else if (script != null && !Files.isRegularFile(workDir.resolve("deploy/experiments").resolve(script))) {
            errors.add(new ConfigError(at + ".script", "no experiment deploy/experiments/" + script,
                    origin(o.get("script"))));
        }
        String runs = string(o, at, "runs", false, errors);
        if (runs != null && job != SuiteJob.EXPERIMENT) {
            errors.add(new ConfigError(at + ".runs", "only a job = experiment keeps its runs elsewhere; a job's run"
                    + " directory is set by the suite", origin(o.get("runs"))));
        }
        SuiteJob needs = job == SuiteJob.ANALYZE ? SuiteJob.TRAIN : job == SuiteJob.SEARCH_EVOLVE
                ? SuiteJob.SEARCH_SUPERNET : job == SuiteJob.TRAIN ? SuiteJob.PRETRAIN : null;
        String of = string(o, at, "of", job == SuiteJob.ANALYZE || job == SuiteJob.SEARCH_EVOLVE, errors);
        if (of != null && needs == null) {
            errors.add(new ConfigError(at + ".of", "only analyze (of a train run), search-evolve (of a"
                    + " search-supernet run) and train (fine-tuning from a pretrain run) name an earlier run",
                    origin(o.get("of"))));
        } else if (of != null && earlier.get(of) != needs) {
            errors.add(new ConfigError(at + ".of", "must name an earlier " + needs.key() + " experiment of this suite,"
                    + " got " + of, origin(o.get("of"))));
        }
        if (id != null && !earlier.containsKey(id)) {
            earlier.put(id, job); // ids are taken even by entries with errors; job null if it did not parse
        }
        Map<String, String> set = overrides(o.get("set"), at + ".set", errors);
        List<Band> bands = bands(o.get("bands"), at + ".bands", job, errors);
        if (errors.size() > before) {
            return null;
        }
        return new SuiteSpec.Experiment(id, job, configPath, script, runs, of, set, bands);
    }

    private static Map<String, String> overrides(ConfigValue v, String at, List<ConfigError> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            errors.add(new ConfigError(at, "must be an object of config keys and values", origin(v)));
            return out;
        }
        // leaves by their full dotted path: set { train.epochs = 1 } and set { "train.epochs" = 1 } are the same
        Config flat = ((ConfigObject) v).toConfig();
        for (Map.Entry<String, ConfigValue> e : flat.entrySet()) {
            String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
            ConfigValue value = e.getValue();
            out.put(key, value.valueType() == ConfigValueType.LIST
                    ? value.render(ConfigRenderOptions.concise()) : String.valueOf(value.unwrapped()));
        }
        return out;
    }

    private static List<Band> bands(ConfigValue v, String at, SuiteJob job, List<ConfigError> errors) {
        List<Band> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            errors.add(new ConfigError(at, "must be an object metric { min = .., max = .. }", origin(v)));
            return out;
        }
        ConfigObject o = (ConfigObject) v;
        // by metric name: HOCON objects do not keep their order, reports and histories should
        for (Map.Entry<String, ConfigValue> e : new java.util.TreeMap<>(o).entrySet()) {
            String metric = e.getKey();
            String key = at + "." + metric;
            if (job != null && !job.knows(metric)) {
                List<String> known = new ArrayList<>(job.metrics());
                known.add(SuiteJob.WALL);
                errors.add(new ConfigError(key, "not a metric of a " + job.key() + " run; one of " + known
                        + Suggest.closest(metric, known).map(x -> "; did you mean " + x + "?").orElse(""),
                        origin(e.getValue())));
                continue;
            }
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                errors.add(new ConfigError(key, "must be an object { min = .., max = .. }", origin(e.getValue())));
                continue;
            }
            ConfigObject b = (ConfigObject) e.getValue();
            int before = errors.size();
            checkKeys(b, key, BAND_KEYS, errors);
            Double min = number(b, key, "min", errors);
            Double max = number(b, key, "max", errors);
            String claim = string(b, key, "claim", false, errors);
            String paper = string(b, key, "paper", false, errors);
            if (paper != null && claim == null) {
                errors.add(new ConfigError(key + ".paper", "the paper's number belongs to a claim: add claim = \"...\"",
                        origin(b.get("paper"))));
            }
            if (errors.size() > before) {
                continue;
            }
            if (min == null && max == null) {
                errors.add(new ConfigError(key, "a band needs min or max", origin(b)));
            } else if (min != null && max != null && min > max) {
                errors.add(new ConfigError(key, "min " + min + " is above max " + max, origin(b)));
            } else {
                out.add(new Band(metric, min, max, claim, paper));
            }
        }
        return out;
    }

    private static void checkKeys(ConfigObject o, String at, Set<String> allowed, List<ConfigError> errors) {
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                errors.add(unknown(at + "." + k, k, allowed, o.get(k)));
            }
        }
    }

    private static ConfigError unknown(String path, String key, Set<String> allowed, ConfigValue v) {
        String hint = Suggest.closest(key, allowed).map(x -> "; did you mean " + x + "?").orElse("");
        return new ConfigError(path, "unknown key" + hint, origin(v));
    }

    private static String string(ConfigObject o, String at, String key, boolean required, List<ConfigError> errors) {
        ConfigValue v = o.get(key);
        if (v == null || v.valueType() == ConfigValueType.NULL) {
            if (required) {
                errors.add(new ConfigError(at + "." + key, "missing", origin(o)));
            }
            return null;
        }
        if (v.valueType() != ConfigValueType.STRING || ((String) v.unwrapped()).isBlank()) {
            errors.add(new ConfigError(at + "." + key, "must be a non-empty string", origin(v)));
            return null;
        }
        return (String) v.unwrapped();
    }

    private static int integer(ConfigObject o, String at, String key, int dflt, int min, int max,
                               List<ConfigError> errors) {
        ConfigValue v = o.get(key);
        if (v == null) {
            return dflt;
        }
        if (v.valueType() != ConfigValueType.NUMBER || !(v.unwrapped() instanceof Integer i) || i < min || i > max) {
            errors.add(new ConfigError(at + "." + key, "must be an integer in " + min + ".." + max + ", got "
                    + v.render(), origin(v)));
            return dflt;
        }
        return i;
    }

    private static Double number(ConfigObject o, String at, String key, List<ConfigError> errors) {
        ConfigValue v = o.get(key);
        if (v == null) {
            return null;
        }
        if (v.valueType() != ConfigValueType.NUMBER || !Double.isFinite(((Number) v.unwrapped()).doubleValue())) {
            errors.add(new ConfigError(at + "." + key, "must be a finite number, got " + v.render(), origin(v)));
            return null;
        }
        return ((Number) v.unwrapped()).doubleValue();
    }

    private static String origin(ConfigValue v) {
        if (v == null || v.origin() == null) {
            return "";
        }
        String d = v.origin().filename();
        int line = v.origin().lineNumber();
        return d == null ? v.origin().description() : d + (line > 0 ? ":" + line : "");
    }
}
