package org.vitspark.config;

import static org.vitspark.config.ConfigKey.bool;
import static org.vitspark.config.ConfigKey.freeMap;
import static org.vitspark.config.ConfigKey.integer;
import static org.vitspark.config.ConfigKey.number;
import static org.vitspark.config.ConfigKey.oneOf;
import static org.vitspark.config.ConfigKey.string;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key vitspark reads, with its type and legal range (Kafka's ConfigDef idea).
 * {@code reference.conf} holds the defaults and docs; {@code ConfigSchemaTest} checks both list the same keys.
 */
public final class ConfigSchema {

    private static final int MAX_INT = Integer.MAX_VALUE;

    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    private ConfigSchema() {
    }

    /** The schema of this build. */
    public static ConfigSchema standard() {
        ConfigSchema s = new ConfigSchema();
        s.add(string("run.name"));
        s.add(string("run.root"));
        s.add(string("run.id"));
        s.add(integer("run.seed", 0, Long.MAX_VALUE));
        s.add(ConfigKey.stringList("run.secret-keys"));

        s.add(string("spark.master"));
        s.add(string("spark.app-name"));
        s.add(freeMap("spark.conf"));
        s.add(freeMap("hadoop"));

        s.add(oneOf("backend.native-binary", "auto", "onednn-avx512", "onednn-avx2"));
        s.add(integer("backend.omp-threads", 0, 1024));
        s.add(oneOf("backend.kernels", "auto", "nd4j"));

        s.add(string("data.path"));
        s.add(oneOf("data.layout", "idx", "shards"));
        s.add(string("data.shards"));
        s.add(string("data.train-split"));
        s.add(string("data.eval-split"));
        s.add(integer("data.train-limit", 0, MAX_INT));
        s.add(integer("data.test-limit", 0, MAX_INT));
        s.add(integer("data.reader-threads", 0, 1024));
        s.add(integer("data.prefetch-batches", 1, 1024));
        s.add(integer("data.holdout", 0, MAX_INT));
        s.add(integer("data.holdout-seed", 0, Long.MAX_VALUE));
        s.add(oneOf("data.bad-records", "fail", "skip"));

        s.add(string("augment.train"));
        s.add(string("augment.eval"));
        s.add(freeMap("augment.pipelines"));
        s.add(number("augment.mixup", 0.0, 100.0));
        s.add(number("augment.mix-prob", 0.0, 1.0));
        s.add(number("augment.cutmix", 0.0, 100.0));

        s.add(string("model.variant"));
        s.add(integer("model.image-size", 1, 4096).orNull());
        s.add(integer("model.channels", 1, 64).orNull());
        s.add(integer("model.classes", 2, 1_000_000).orNull());
        s.add(integer("model.patch", 1, 4096).orNull());
        s.add(integer("model.dim", 1, 65536).orNull());
        s.add(integer("model.depth", 1, 1024).orNull());
        s.add(integer("model.heads", 1, 1024).orNull());
        s.add(integer("model.mlp-dim", 1, 1 << 20).orNull());
        s.add(integer("model.token-mlp-dim", 1, 1 << 20).orNull());
        s.add(oneOf("model.pooling", "cls", "gap").orNull());
        s.add(number("model.dropout", 0.0, 0.95).orNull());
        s.add(number("model.drop-path", 0.0, 0.95).orNull());
        s.add(bool("model.qkv-bias").orNull());
        s.add(string("model.init"));
        s.add(string("model.genome"));

        s.add(oneOf("optim.optimizer", "adamw", "sgd"));
        s.add(number("optim.lr", 0.0, 10.0));
        s.add(number("optim.min-lr", 0.0, 10.0));
        s.add(oneOf("optim.schedule", "cosine", "linear", "constant"));
        s.add(number("optim.warmup-epochs", 0.0, 1e6));
        s.add(number("optim.weight-decay", 0.0, 10.0));
        s.add(number("optim.beta1", 0.0, 0.999999));
        s.add(number("optim.beta2", 0.0, 0.999999));
        s.add(number("optim.eps", 1e-12, 1.0));
        s.add(number("optim.clip-norm", 0.0, 1e6));
        s.add(number("optim.label-smoothing", 0.0, 0.99));
        s.add(oneOf("optim.sam.mode", "off", "sam", "asam"));
        s.add(number("optim.sam.rho", 0.0, 100.0));
        s.add(number("loss.patch.cosine", 0.0, 1e6));
        s.add(number("loss.patch.contrastive", 0.0, 1e6));
        s.add(oneOf("loss.patch.contrastive-anchor", "embed", "embed+pos", "block1"));
        s.add(number("loss.patch.mixing", 0.0, 1e6));

        s.add(ConfigKey.intList("search.patches", 1, 4096));
        s.add(integer("search.max-dim", 1, 65536));
        s.add(ConfigKey.numberList("search.dim-ratios", 1e-6, 1.0));
        s.add(ConfigKey.intList("search.heads", 1, 1024));
        s.add(integer("search.max-attn-dim", 1, 65536));
        s.add(ConfigKey.numberList("search.attn-ratios", 1e-6, 1.0));
        s.add(integer("search.max-mlp-dim", 1, 1 << 20));
        s.add(ConfigKey.numberList("search.mlp-ratios", 1e-6, 1.0));
        s.add(integer("search.slots", 1, 1024));
        s.add(oneOf("search.channels", "left", "bcnet", "cyclic"));
        s.add(number("search.band-min", 0.0, 1e6));
        s.add(number("search.band-max", 1e-9, 1e6));
        s.add(number("search.identity-prob", 0.0, 0.99));
        s.add(string("search.supernet"));
        s.add(string("search.score-split"));
        s.add(integer("search.score-images", 0, MAX_INT));
        s.add(integer("search.evolve.population", 2, 100_000));
        s.add(integer("search.evolve.generations", 1, 100_000));
        s.add(number("search.evolve.mutation-eta", 0.0, 1000.0));
        s.add(integer("search.evolve.top-k", 1, 100_000));
        s.add(integer("search.evolve.random", 0, 100_000));

        s.add(integer("ssl.hidden-dim", 1, 1 << 16));
        s.add(integer("ssl.bottleneck-dim", 1, 1 << 16));
        s.add(integer("ssl.prototypes", 2, 1 << 20));
        s.add(number("ssl.global-scale-min", 1e-6, 1.0));
        s.add(number("ssl.global-scale-max", 1e-6, 1.0));
        s.add(integer("ssl.local-crops", 0, 64));
        s.add(integer("ssl.local-size", 1, 4096));
        s.add(number("ssl.local-scale-min", 1e-6, 1.0));
        s.add(number("ssl.local-scale-max", 1e-6, 1.0));
        s.add(oneOf("ssl.normalize", "imagenet", "half", "unit"));
        s.add(number("ssl.student-temp", 1e-4, 100.0));
        s.add(number("ssl.teacher-temp", 1e-4, 100.0));
        s.add(number("ssl.teacher-temp-start", 1e-4, 100.0));
        s.add(number("ssl.teacher-temp-warmup", 0.0, 1.0));
        s.add(number("ssl.center-momentum", 0.0, 1.0));
        s.add(number("ssl.teacher-momentum", 0.0, 1.0));
        s.add(number("ssl.lr-warmup", 0.0, 1.0));
        s.add(number("ssl.weight-decay-end", 0.0, 10.0));
        s.add(number("ssl.clip", 0.0, 1e6));
        s.add(integer("ssl.freeze-last-layer-epochs", 0, 100_000));
        s.add(integer("ssl.knn.k", 1, 100_000));
        s.add(number("ssl.knn.temperature", 1e-4, 100.0));
        s.add(integer("ssl.knn.every-epochs", 0, 100_000));
        s.add(integer("ssl.knn.bank-limit", 0, MAX_INT));

        s.add(integer("train.epochs", 1, 100_000));
        s.add(integer("train.batch-per-worker", 1, 1 << 16));
        s.add(integer("train.workers", 0, 1 << 16));
        s.add(integer("train.averaging-frequency", 1, 1 << 20));
        s.add(integer("train.log-every", 1, MAX_INT));
        s.add(bool("train.average-updater"));
        s.add(integer("train.eval-every-rounds", 0, MAX_INT));
        s.add(bool("train.eval-train"));
        s.add(integer("train.checkpoint-every-rounds", 0, MAX_INT));
        s.add(integer("train.keep-checkpoints", 1, 1000));
        s.add(oneOf("train.nan-policy", "fail", "skip"));
        s.add(bool("train.key-audit"));
        s.add(bool("train.tensorboard"));
        s.add(bool("train.preflight"));
        s.add(oneOf("train.averaging-channel", "socket", "jobs"));
        s.add(integer("train.socket-wait-s", 1, 86_400));

        s.add(ConfigKey.stringList("analyze.parts"));
        s.add(string("analyze.checkpoint"));
        s.add(oneOf("analyze.precision", "float", "double"));
        s.add(integer("analyze.batch", 1, 1 << 16));
        s.add(oneOf("analyze.hessian.split", "train", "eval"));
        s.add(integer("analyze.hessian.images", 1, 1 << 24));
        s.add(integer("analyze.hessian.max-iterations", 1, 100_000));
        s.add(number("analyze.hessian.tolerance", 0.0, 1.0));
        s.add(number("analyze.hessian.fd-step", 1e-12, 1.0));
        s.add(bool("analyze.hessian.per-block"));
        s.add(oneOf("analyze.landscape.split", "train", "eval"));
        s.add(integer("analyze.landscape.images", 1, 1 << 24));
        s.add(integer("analyze.landscape.points-1d", 3, 10_001));
        s.add(integer("analyze.landscape.points-2d", 3, 1_001));
        s.add(number("analyze.landscape.range", 1e-6, 1e6));
        s.add(oneOf("analyze.probe.split", "train", "eval"));
        s.add(integer("analyze.probe.images", 1, 1 << 24));
        s.add(integer("analyze.probe.attention-images", 0, 1024));
        return s;
    }

    private void add(ConfigKey key) {
        if (keys.putIfAbsent(key.path(), key) != null) {
            throw new IllegalStateException("duplicate config key " + key.path());
        }
    }

    public Optional<ConfigKey> key(String path) {
        return Optional.ofNullable(keys.get(path));
    }

    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    /** The free-form map that contains {@code path} (e.g. {@code hadoop} for {@code hadoop."fs.s3a.endpoint"}). */
    public Optional<ConfigKey> enclosingFreeMap(String path) {
        for (ConfigKey k : keys.values()) {
            if (k.type() == ConfigType.FREE_MAP && path.startsWith(k.path() + ".")) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
