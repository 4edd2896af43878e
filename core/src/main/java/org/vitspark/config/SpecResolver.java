package org.vitspark.config;

import com.typesafe.config.Config;
import java.util.function.BiFunction;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;

/** Builds typed specs from a validated config: the variant's row with the non-null overrides applied. */
final class SpecResolver {

    private SpecResolver() {
    }

    static ModelSpec model(Config c) {
        ModelSpec m = Variants.find(c.getString("model.variant")).orElseThrow();
        m = override(c, "model.image-size", m, ModelSpec::withImageSize);
        m = override(c, "model.channels", m, ModelSpec::withChannels);
        m = override(c, "model.classes", m, ModelSpec::withClasses);
        m = override(c, "model.patch", m, ModelSpec::withPatch);
        m = override(c, "model.dim", m, ModelSpec::withDim);
        m = override(c, "model.depth", m, ModelSpec::withDepth);
        m = override(c, "model.heads", m, ModelSpec::withHeads);
        m = override(c, "model.mlp-dim", m, ModelSpec::withMlpDim);
        return m;
    }

    private static ModelSpec override(Config c, String key, ModelSpec m, BiFunction<ModelSpec, Integer, ModelSpec> with) {
        return c.getIsNull(key) ? m : with.apply(m, c.getInt(key));
    }
}
