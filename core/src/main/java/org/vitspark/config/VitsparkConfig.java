package org.vitspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.vitspark.digest.Sha256;
import org.vitspark.model.ModelSpec;
import org.vitspark.optim.Sam;
import org.vitspark.optim.WarmupDecaySchedule;

/** A validated configuration: every concern's typed settings ({@link #settings()}), the redacted rendering and its hash. */
public final class VitsparkConfig {

    private final Config config;
    private final Secrets secrets;
    private Settings settings;

    VitsparkConfig(Config config) {
        this.config = config;
        this.secrets = Secrets.of(config);
    }

    /** The raw validated config, secrets included: never print or save it; use {@link #render()}. */
    public Config raw() {
        return config;
    }

    private ModelSpec model;

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

    public java.util.List<Integer> getIntList(String key) {
        return config.getIntList(key);
    }

    public java.util.List<Double> getDoubleList(String key) {
        return config.getDoubleList(key);
    }

    /**
     * The model spec: the variant with the model.* overrides, or with model.genome the architecture of that
     * genome file (a search's output) over them. An unreadable or malformed genome file is a configuration
     * error naming model.genome.
     */
    public synchronized ModelSpec model() {
        if (model == null) {
            ModelSpec base = SpecResolver.model(config);
            String file = config.getString("model.genome");
            if (file.isEmpty()) {
                model = base;
            } else {
                try {
                    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
                    String text = org.vitspark.fs.HadoopFiles.readString(
                            path.getFileSystem(org.vitspark.fs.HadoopFiles.configuration(properties("hadoop"))), path);
                    model = org.vitspark.search.GenomeJson.spec(text, file, base);
                } catch (java.io.IOException | IllegalArgumentException e) {
                    String why = e instanceof java.io.IOException ? "cannot read " + file + ": " + e.getMessage()
                            : e.getMessage().replaceFirst("^model.genome: ", "");
                    throw new ConfigValidationException(java.util.List.of(new ConfigError("model.genome", why, "")));
                }
            }
        }
        return model;
    }

    /** Every concern's typed settings, built on first use. */
    public synchronized Settings settings() {
        if (settings == null) {
            settings = new Settings(run(), data(), augment(), model(), optim(), loss(), train(), spark(), backend(),
                    AnalyzeSettings.of(this), SslSettings.of(this), SearchSettings.of(this), getString("model.init"),
                    properties("hadoop"), render(), hash(), RunIdentity.hash(secrets.redact(config)));
        }
        return settings;
    }

    private RunSettings run() {
        return new RunSettings(getString("run.name"), getString("run.root"), getString("run.id"), getLong("run.seed"));
    }

    private DataSettings data() {
        return new DataSettings(getString("data.path"), getString("data.layout"), getString("data.shards"),
                getString("data.train-split"), getString("data.eval-split"), getInt("data.train-limit"),
                getInt("data.test-limit"), getInt("data.reader-threads"), getInt("data.prefetch-batches"),
                getInt("data.holdout"), getLong("data.holdout-seed"), "skip".equals(getString("data.bad-records")));
    }

    private AugmentSettings augment() {
        Map<String, String> pipelines = new LinkedHashMap<>();
        config.getConfig("augment.pipelines").root().forEach((k, v) -> pipelines.put(k, v.unwrapped().toString()));
        return new AugmentSettings(getString("augment.train"), getString("augment.eval"), pipelines,
                getDouble("augment.mixup"), getDouble("augment.cutmix"), getDouble("augment.mix-prob"));
    }

    private OptimConfig optim() {
        return new OptimConfig(getString("optim.optimizer"), getDouble("optim.lr"), getDouble("optim.min-lr"),
                WarmupDecaySchedule.Kind.valueOf(getString("optim.schedule").toUpperCase(Locale.ROOT)),
                getDouble("optim.warmup-epochs"), getDouble("optim.weight-decay"), getDouble("optim.beta1"),
                getDouble("optim.beta2"), getDouble("optim.eps"), getDouble("optim.clip-norm"),
                getDouble("optim.label-smoothing"), Sam.Mode.valueOf(getString("optim.sam.mode").toUpperCase(Locale.ROOT)),
                getDouble("optim.sam.rho"));
    }

    private LossSettings loss() {
        return new LossSettings(getDouble("loss.patch.cosine"), getDouble("loss.patch.contrastive"),
                getString("loss.patch.contrastive-anchor"), getDouble("loss.patch.mixing"));
    }

    private TrainSettings train() {
        return new TrainSettings(getInt("train.epochs"), getInt("train.batch-per-worker"), getInt("train.workers"),
                getInt("train.averaging-frequency"), getInt("train.log-every"), getBoolean("train.average-updater"),
                getInt("train.eval-every-rounds"), getBoolean("train.eval-train"), getInt("train.checkpoint-every-rounds"),
                getInt("train.keep-checkpoints"),
                TrainSettings.NanPolicy.valueOf(getString("train.nan-policy").toUpperCase(Locale.ROOT)),
                getBoolean("train.key-audit"), getBoolean("train.tensorboard"), getBoolean("train.preflight"),
                TrainSettings.AveragingChannel.valueOf(getString("train.averaging-channel").toUpperCase(Locale.ROOT)),
                getInt("train.socket-wait-s"));
    }

    private SparkSettings spark() {
        return new SparkSettings(getString("spark.master"), getString("spark.app-name"), properties("spark.conf"),
                secrets.redactionRegex());
    }

    private BackendSettings backend() {
        return new BackendSettings(getString("backend.native-binary"), getInt("backend.omp-threads"),
                getString("backend.kernels"));
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
        return Sha256.hex(canonical);
    }

    /** The file saved as {@code config.conf} in a run directory: a header with the hash, then {@link #render()}. */
    public String renderForRunDirectory() {
        return settings().renderForRunDirectory();
    }
}
