package org.vitspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.vitspark.dino.DinoSpec;
import org.vitspark.model.ModelSpec;

/**
 * A configuration as a run directory or checkpoint saved it (config.conf, secrets hidden): enough of it
 * to rebuild the parameter layout its parameters were written in. Keys it lacks take this build's
 * defaults (reference.conf).
 */
public final class SavedConfig {

    private final Config config;

    private SavedConfig(Config config) {
        this.config = config;
    }

    public static SavedConfig parse(String rendered) {
        return new SavedConfig(ConfigFactory.parseString(rendered).withFallback(ConfigFactory.defaultReference())
                .resolve());
    }

    public ModelSpec model() {
        return SpecResolver.model(config);
    }

    /** The pretraining head's shape (schedules do not enter the parameter layout). */
    public DinoSpec dino() {
        ModelSpec m = model();
        return new DinoSpec(config.getInt("ssl.hidden-dim"), config.getInt("ssl.bottleneck-dim"),
                config.getInt("ssl.prototypes"), 2, config.getInt("ssl.local-crops"), m.imageSize(),
                config.getInt("ssl.local-size"), 0.1, 0.04, 0.07, 0, 0.9, 0.996, 1);
    }
}
