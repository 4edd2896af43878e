package org.vitspark.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vitspark.analysis.AnalysisPart;
import org.vitspark.augment.Pipeline;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;

/**
 * Rules that span several keys (e.g. heads must divide dim). They run after the per-key checks and
 * only on keys that passed them, so one typo is reported once.
 */
final class ConfigRules {

    private ConfigRules() {
    }

    static List<ConfigError> check(Config c, Set<String> badKeys) {
        List<ConfigError> errors = new ArrayList<>();
        nonBlank(c, badKeys, "run.name", errors);
        nonBlank(c, badKeys, "spark.master", errors);
        if (!badKeys.contains("run.name") && c.getString("run.name").contains("/")) {
            errors.add(error(c, "run.name", "must not contain '/', got \"" + c.getString("run.name") + "\""));
        }
        checkModel(c, badKeys, errors);
        checkUserInfo(c, badKeys, errors);
        checkAugment(c, badKeys, errors);
        checkSsl(c, badKeys, errors);
        checkSchedule(c, badKeys, errors);
        if (errors.stream().noneMatch(e -> e.key().startsWith("model."))) {
            checkSearch(c, badKeys, errors);
        }
        if (!badKeys.contains("analyze.parts")) {
            List<String> known = AnalysisPart.keys();
            for (String part : c.getStringList("analyze.parts")) {
                if (AnalysisPart.parse(part).isEmpty()) {
                    errors.add(error(c, "analyze.parts", "unknown analysis \"" + part + "\" (known: "
                            + String.join(", ", known) + ")"));
                }
            }
        }
        if (!badKeys.contains("run.secret-keys")) {
            for (String regex : c.getStringList("run.secret-keys")) {
                try {
                    java.util.regex.Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    errors.add(error(c, "run.secret-keys", "not a regular expression: \"" + regex + "\""));
                }
            }
        }
        return errors;
    }

    /**
     * No URI may carry credentials ({@code s3a://KEY:SECRET@bucket}): they would reach plan lines, run
     * directories and Spark's UI. The value is not echoed.
     */
    private static void checkUserInfo(Config c, Set<String> badKeys, List<ConfigError> errors) {
        for (var leaf : ConfigTree.leaves(c.root()).entrySet()) {
            Object v = leaf.getValue().unwrapped();
            if (v instanceof String text && Secrets.hasUserInfo(text)
                    && !badKeys.contains(ConfigTree.plain(leaf.getKey()))) {
                errors.add(new ConfigError(ConfigTree.plain(leaf.getKey()), "a URI here carries credentials "
                        + "(user-info before '@'), which would be shown and saved; give them as hadoop.fs.s3a.* keys, "
                        + "${?ENV} substitutions or a Hadoop credential provider", ConfigValidator.origin(leaf.getValue())));
            }
        }
    }

    /**
     * The learning rate decays towards min-lr, after a warm-up that ends no later than the run (a warm-up as
     * long as a one-epoch smoke run, the default's case, is allowed).
     */
    private static void checkSchedule(Config c, Set<String> badKeys, List<ConfigError> errors) {
        if (!badKeys.contains("optim.lr") && !badKeys.contains("optim.min-lr")
                && c.getDouble("optim.min-lr") > c.getDouble("optim.lr")) {
            errors.add(error(c, "optim.min-lr", "must not exceed optim.lr (" + c.getDouble("optim.lr") + "), got "
                    + c.getDouble("optim.min-lr")));
        }
        if (!badKeys.contains("optim.warmup-epochs") && !badKeys.contains("train.epochs")
                && c.getDouble("optim.warmup-epochs") > c.getInt("train.epochs")) {
            errors.add(error(c, "optim.warmup-epochs", "must not be longer than the run (train.epochs = "
                    + c.getInt("train.epochs") + "), got " + c.getDouble("optim.warmup-epochs")));
        }
    }

    /** The search space must be buildable over the model.* spec, and the band must be a band. */
    private static void checkSearch(Config c, Set<String> badKeys, List<ConfigError> errors) {
        if (!badKeys.contains("search.band-min") && !badKeys.contains("search.band-max")
                && c.getDouble("search.band-min") >= c.getDouble("search.band-max")) {
            errors.add(error(c, "search.band-min", "must be below search.band-max (" + c.getDouble("search.band-max")
                    + "), got " + c.getDouble("search.band-min")));
        }
        if (badKeys.stream().anyMatch(k -> k.startsWith("search") || k.startsWith("model"))) {
            return; // named already
        }
        ModelSpec base = SpecResolver.model(c);
        String[][] keyOf = {{"patch side", "search.patches"}, {"heads do not divide", "search.heads"},
            {"embedding widths", "search.dim-ratios"}, {"q/k/v widths", "search.attn-ratios"},
            {"MLP widths", "search.mlp-ratios"}};
        try {
            new org.vitspark.search.SearchSpace(base, c.getIntList("search.patches"),
                    org.vitspark.search.SearchSpace.widths(c.getInt("search.max-dim"), c.getDoubleList("search.dim-ratios")),
                    c.getIntList("search.heads"), org.vitspark.search.SearchSpace.widths(c.getInt("search.max-attn-dim"),
                    c.getDoubleList("search.attn-ratios")), org.vitspark.search.SearchSpace.widths(
                    c.getInt("search.max-mlp-dim"), c.getDoubleList("search.mlp-ratios")), c.getInt("search.slots"));
        } catch (IllegalArgumentException e) {
            String key = "search.patches";
            for (String[] k : keyOf) {
                if (e.getMessage().contains(k[0])) {
                    key = k[1];
                }
            }
            errors.add(error(c, key, e.getMessage()));
        }
    }

    private static void checkSsl(Config c, Set<String> badKeys, List<ConfigError> errors) {
        for (String range : List.of("global-scale", "local-scale")) {
            String lo = "ssl." + range + "-min";
            String hi = "ssl." + range + "-max";
            if (!badKeys.contains(lo) && !badKeys.contains(hi) && c.getDouble(lo) > c.getDouble(hi)) {
                errors.add(error(c, lo, "must not exceed " + hi + " (" + c.getDouble(hi) + "), got " + c.getDouble(lo)));
            }
        }
        // ssl.local-size against the patch is checked by `pretrain` alone: other jobs never read it
    }

    private static void checkModel(Config c, Set<String> badKeys, List<ConfigError> errors) {
        List<String> inputs = List.of("model", "model.variant", "model.image-size", "model.patch", "model.dim",
                "model.heads");
        if (inputs.stream().anyMatch(badKeys::contains)) {
            return;
        }
        String variant = c.getString("model.variant");
        if (Variants.find(variant).isEmpty()) {
            String hint = Suggest.closest(variant, Variants.names()).map(s -> "; did you mean " + s + "?").orElse("");
            errors.add(error(c, "model.variant", "unknown variant \"" + variant + "\" (known: "
                    + String.join(", ", Variants.names()) + ")" + hint));
            return;
        }
        ModelSpec m = SpecResolver.model(c);
        if (m.dim() % m.heads() != 0) {
            String key = c.getIsNull("model.heads") ? "model.dim" : "model.heads";
            errors.add(error(c, key, "model.heads (" + m.heads() + ") must divide model.dim (" + m.dim() + ")"));
        }
        if (m.imageSize() % m.patch() != 0) {
            String key = c.getIsNull("model.patch") ? "model.image-size" : "model.patch";
            errors.add(error(c, key, "model.patch (" + m.patch() + ") must divide model.image-size ("
                    + m.imageSize() + ")"));
        }
    }

    /** Every named pipeline parses, and augment.train/eval name one of them. */
    private static void checkAugment(Config c, Set<String> badKeys, List<ConfigError> errors) {
        if (badKeys.contains("augment.pipelines")) {
            return;
        }
        Config pipelines = c.getConfig("augment.pipelines");
        for (String name : pipelines.root().keySet()) {
            String key = "augment.pipelines." + name;
            try {
                Pipeline.parse(pipelines.getString(name));
            } catch (com.typesafe.config.ConfigException.WrongType e) {
                errors.add(error(c, key, "must be a pipeline string, e.g. \"rrc(0.05,1) flip normalize(half)\""));
            } catch (IllegalArgumentException e) {
                errors.add(error(c, key, e.getMessage()));
            }
        }
        for (String key : List.of("augment.train", "augment.eval")) {
            if (!badKeys.contains(key) && !pipelines.root().containsKey(c.getString(key))) {
                errors.add(error(c, key, "names no pipeline under augment.pipelines (defined: "
                        + String.join(", ", new java.util.TreeSet<>(pipelines.root().keySet())) + ")"));
            }
        }
    }

    private static void nonBlank(Config c, Set<String> badKeys, String key, List<ConfigError> errors) {
        if (!badKeys.contains(key) && c.getString(key).isBlank()) {
            errors.add(error(c, key, "must not be empty"));
        }
    }

    private static ConfigError error(Config c, String key, String message) {
        String origin = Optional.ofNullable(ConfigTree.valueAt(c.root(), key)).map(ConfigValidator::origin).orElse("");
        return new ConfigError(key, message, origin);
    }
}
