package org.vitspark.shard;

import java.nio.file.Path;
import org.vitspark.config.DataSettings;
import org.vitspark.config.Settings;

/**
 * Where a configuration's shards live: data.path itself when data.layout is shards; else the folder the
 * idx files are made into, data.shards or {@code <run.root>/shards/<idx folder name>} (suffixed with
 * data.train-limit/test-limit and data.holdout when set, so a limited or split set never passes for the full
 * one).
 */
public final class ShardLocation {

    private ShardLocation() {
    }

    public static String root(Settings s) {
        DataSettings d = s.data();
        if (d.isShards()) {
            return d.path();
        }
        if (!d.shards().isEmpty()) {
            return d.shards();
        }
        String name = Path.of(d.path()).getFileName().toString();
        if (d.trainLimit() > 0 || d.testLimit() > 0) {
            name += "-train" + (d.trainLimit() > 0 ? d.trainLimit() : "all") + "-test"
                    + (d.testLimit() > 0 ? d.testLimit() : "all");
        }
        if (d.holdout() > 0) {
            name += "-holdout" + d.holdout() + "-seed" + d.holdoutSeed();
        }
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(s.run().root(), "shards"), name).toString();
    }
}
