package org.vitspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which keys hold secrets and hides their values. Built in: Spark's default
 * {@code spark.redaction.regex} (secret, password, token, access.key) and Hadoop's own list of sensitive
 * keys ({@code hadoop.security.sensitive-config-keys}: fs.azure.account.key.*, fs.s3a.encryption.key,
 * fs.gs.auth.*, credential$, ...); {@code run.secret-keys} adds more. Applied to every config that is
 * printed, logged or saved, and handed to Spark as its redaction pattern.
 */
public final class Secrets {

    public static final String HIDDEN = "[hidden]";
    private static final String SPARK_DEFAULT = "(?i)secret|password|token|access[.]key";
    /**
     * Hadoop 3.3.4's default {@code hadoop.security.sensitive-config-keys} (core-default.xml), used when the
     * Hadoop classes cannot tell us their own.
     */
    static final List<String> HADOOP_SENSITIVE = List.of("secret$", "password$", "ssl.keystore.pass$",
            "fs.s3a.server-side-encryption.key", "fs.s3a.*.server-side-encryption.key", "fs.s3a.encryption.algorithm",
            "fs.s3a.encryption.key", "fs.s3a.secret.key", "fs.s3a.*.secret.key", "fs.s3a.session.key",
            "fs.s3a.*.session.key", "fs.s3a.session.token", "fs.s3a.*.session.token", "fs.azure.account.key.*",
            "fs.azure.oauth2.*", "fs.adl.oauth2.*", "fs.gs.encryption.*", "fs.gs.proxy.*", "fs.gs.auth.*",
            "credential$", "oauth.*secret", "oauth.*password", "oauth.*token", "hadoop.security.sensitive-config-keys");
    private static final List<Pattern> BUILT_IN = builtIn();

    private static List<Pattern> builtIn() {
        List<Pattern> p = new ArrayList<>();
        p.add(Pattern.compile(SPARK_DEFAULT));
        List<String> hadoop = HADOOP_SENSITIVE;
        try {
            String[] own = new org.apache.hadoop.conf.Configuration().getTrimmedStrings(
                    "hadoop.security.sensitive-config-keys");
            if (own.length > 0) {
                hadoop = List.of(own);
            }
        } catch (LinkageError | RuntimeException noHadoop) {
            // the copy above
        }
        for (String h : hadoop) {
            p.add(Pattern.compile(h));
        }
        return List.copyOf(p);
    }

    // vitspark's own typed keys hold no secrets (model.token-mlp-dim matched "token" and was hidden, which
    // made a saved config.conf unloadable); secrets live in the free-form maps (hadoop, spark.conf)
    private static final ConfigSchema SCHEMA = ConfigSchema.standard();

    private final List<Pattern> patterns;

    private Secrets(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** The secret rules of a config (built-in plus its {@code run.secret-keys}, if readable). */
    public static Secrets of(Config c) {
        List<Pattern> p = new ArrayList<>(BUILT_IN);
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

    /**
     * One regular expression for Spark's {@code spark.redaction.regex}: every pattern here, case-insensitive,
     * so the Spark UI's environment page and Spark's logs hide the same keys we do.
     */
    public String redactionRegex() {
        StringBuilder b = new StringBuilder("(?i)");
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i).pattern().replace("(?i)", "");
            b.append(i == 0 ? "" : "|").append("(?:").append(p).append(')');
        }
        return b.toString();
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

    /** The user-info part of a URI ({@code s3a://KEY:SECRET@bucket}): credentials, never shown. */
    static final Pattern URI_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s\"']+@");

    /** {@code text} with the user-info of every URI in it replaced by {@value #HIDDEN}. */
    public static String withoutUserInfo(String text) {
        return URI_USER_INFO.matcher(text).replaceAll("$1" + java.util.regex.Matcher.quoteReplacement(HIDDEN) + "@");
    }

    /** Whether {@code text} holds a URI with user-info (credentials in the URI). */
    public static boolean hasUserInfo(String text) {
        return URI_USER_INFO.matcher(text).find();
    }

    /**
     * Replaces every occurrence of a secret value in free text (log lines, exception messages), and the
     * user-info of any URI in it.
     */
    public String scrub(Config c, String text) {
        String out = withoutUserInfo(text);
        for (var leaf : ConfigTree.leaves(c.root()).entrySet()) {
            Object v = leaf.getValue().unwrapped();
            if (v != null && isSecret(leaf.getKey()) && !v.toString().isEmpty()) {
                out = out.replace(v.toString(), HIDDEN);
            }
        }
        return out;
    }
}
