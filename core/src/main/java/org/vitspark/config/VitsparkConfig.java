package org.vitspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitspark.model.ModelSpec;

/** A validated configuration: typed accessors, the redacted rendering and its hash. */
public final class VitsparkConfig {

    private final Config config;
    private final Secrets secrets;

    VitsparkConfig(Config config) {
        this.config = config;
        this.secrets = Secrets.of(config);
    }

    /** The raw validated config, secrets included: never print or save it; use {@link #render()}. */
    public Config raw() {
        return config;
    }

    public Secrets secrets() {
        return secrets;
    }

    public String getString(String key) {
        return config.getString(key);
    }

    public int getInt(String key) {
        return config.getInt(key);
    }

    public long getLong(String key) {
        return config.getLong(key);
    }

    public double getDouble(String key) {
        return config.getDouble(key);
    }

    public boolean getBoolean(String key) {
        return config.getBoolean(key);
    }

    public ModelSpec model() {
        return SpecResolver.model(config);
    }

    /** A free-form property section ({@code hadoop}, {@code spark.conf}) as flat key → string. */
    public Map<String, String> properties(String section) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : ConfigTree.leaves(config.getConfig(section).root()).entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v != null) {
                out.put(ConfigTree.plain(e.getKey()), v.toString());
            }
        }
        return out;
    }

    /** The resolved config as HOCON with secrets hidden: what is printed and saved into run directories. */
    public String render() {
        return secrets.redact(config).root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
    }

    /** SHA-256 of the canonical (key-sorted, compact, secrets hidden) rendering, in hex. */
    public String hash() {
        String canonical = secrets.redact(config).root().render(ConfigRenderOptions.concise());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /** The file saved as {@code config.conf} in a run directory: a header with the hash, then {@link #render()}. */
    public String renderForRunDirectory() {
        return "# vitspark resolved configuration (secrets hidden)\n# sha256 " + hash() + "\n" + render();
    }
}
