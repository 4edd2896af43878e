package org.vitspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which keys hold secrets and hides their values. The built-in pattern is Spark's default
 * {@code spark.redaction.regex}, so S3A keys and session tokens are covered; {@code run.secret-keys}
 * adds more. Applied to every config that is printed, logged or saved.
 */
public final class Secrets {

    public static final String HIDDEN = "[hidden]";
    private static final Pattern BUILT_IN = Pattern.compile("(?i)secret|password|token|access[.]key");

    // vitspark's own typed keys hold no secrets (model.token-mlp-dim matched "token" and was hidden, which
    // made a saved config.conf unloadable); secrets live in the free-form maps (hadoop, spark.conf)
    private static final ConfigSchema SCHEMA = ConfigSchema.standard();

    private final List<Pattern> patterns;

    private Secrets(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** The secret rules of a config (built-in plus its {@code run.secret-keys}, if readable). */
    public static Secrets of(Config c) {
        List<Pattern> p = new ArrayList<>();
        p.add(BUILT_IN);
        if (c.hasPath("run.secret-keys")) {
            try {
                for (String extra : c.getStringList("run.secret-keys")) {
                    p.add(Pattern.compile(extra));
                }
            } catch (RuntimeException ignored) {
                // A malformed list is reported by validation; the built-in rule still applies here.
            }
        }
        return new Secrets(p);
    }

    public boolean isSecret(String dottedKey) {
        String plain = ConfigTree.plain(dottedKey);
        if (SCHEMA.key(plain).isPresent()) {
            return false;
        }
        return patterns.stream().anyMatch(p -> p.matcher(plain).find());
    }

    /** A copy with every secret leaf replaced by {@value #HIDDEN}. */
    public Config redact(Config c) {
        Config out = c;
        for (String path : ConfigTree.leaves(c.root()).keySet()) {
            if (isSecret(path)) {
                out = out.withValue(path, ConfigValueFactory.fromAnyRef(HIDDEN, "hidden secret"));
            }
        }
        return out;
    }

    /** Replaces every occurrence of a secret value in free text (log lines, exception messages). */
    public String scrub(Config c, String text) {
        String out = text;
        for (var leaf : ConfigTree.leaves(c.root()).entrySet()) {
            Object v = leaf.getValue().unwrapped();
            if (v != null && isSecret(leaf.getKey()) && !v.toString().isEmpty()) {
                out = out.replace(v.toString(), HIDDEN);
            }
        }
        return out;
    }
}
