package org.vitspark.config;

import com.typesafe.config.Config;
import java.util.List;
import org.vitspark.digest.Sha256;

/**
 * Which keys make a run what it is. Keys that do not change what is trained (where Spark runs, reader
 * threads, logging and checkpoint cadence, evaluation extras, diagnostics, the evolutionary search's own
 * settings, the run id) are free: changing them resumes the unfinished run; every other key is part of the
 * run's identity, and a change names the key.
 */
public final class RunIdentity {

    /** Free keys: exact names, or prefixes ending in '.'. */
    static final List<String> FREE = List.of("run.id", "run.secret-keys", "spark.", "backend.", "hadoop.",
            "analyze.", "train.log-every", "data.reader-threads", "data.prefetch-batches", "train.preflight",
            "train.tensorboard", "train.key-audit", "train.keep-checkpoints", "train.checkpoint-every-rounds",
            "train.eval-every-rounds", "train.eval-train", "train.averaging-channel", "train.socket-wait-s", "search.supernet", "search.score-split",
            "search.score-images", "search.evolve.");

    private RunIdentity() {
    }

    /** Whether changing {@code key} leaves what is trained unchanged. */
    public static boolean isFree(String key) {
        return FREE.stream().anyMatch(f -> f.endsWith(".") ? key.startsWith(f) || key.equals(f.substring(0,
                f.length() - 1)) : key.equals(f));
    }

    /** SHA-256 of the canonical rendering of the identity keys (secrets already hidden in {@code redacted}). */
    static String hash(Config redacted) {
        Config c = redacted;
        for (String f : FREE) {
            c = c.withoutPath(f.endsWith(".") ? f.substring(0, f.length() - 1) : f);
        }
        return Sha256.hex(c.root().render(com.typesafe.config.ConfigRenderOptions.concise()));
    }
}
