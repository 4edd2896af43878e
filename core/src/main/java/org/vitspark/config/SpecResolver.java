package org.vitspark.config;

import com.typesafe.config.Config;
import java.util.Locale;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;

/** Builds typed specs from a validated config: the variant's row with the non-null overrides applied. */
final class SpecResolver {

    private SpecResolver() {
    }

    static ModelSpec model(Config c) {
        ModelSpec.Builder b = Variants.find(c.getString("model.variant")).orElseThrow().toBuilder();
        if (!c.getIsNull("model.image-size")) b.imageSize(c.getInt("model.image-size"));
        if (!c.getIsNull("model.channels")) b.channels(c.getInt("model.channels"));
        if (!c.getIsNull("model.classes")) b.classes(c.getInt("model.classes"));
        if (!c.getIsNull("model.patch")) b.patch(c.getInt("model.patch"));
        if (!c.getIsNull("model.dim")) b.dim(c.getInt("model.dim"));
        if (!c.getIsNull("model.depth")) b.depth(c.getInt("model.depth"));
        if (!c.getIsNull("model.heads")) b.heads(c.getInt("model.heads"));
        if (!c.getIsNull("model.mlp-dim")) b.mlpDim(c.getInt("model.mlp-dim"));
        if (!c.getIsNull("model.token-mlp-dim")) b.tokenMlpDim(c.getInt("model.token-mlp-dim"));
        if (!c.getIsNull("model.pooling")) {
            b.pooling(ModelSpec.Pooling.valueOf(c.getString("model.pooling").toUpperCase(Locale.ROOT)));
        }
        if (!c.getIsNull("model.dropout")) b.dropout(c.getDouble("model.dropout"));
        if (!c.getIsNull("model.drop-path")) b.dropPath(c.getDouble("model.drop-path"));
        if (!c.getIsNull("model.qkv-bias")) b.qkvBias(c.getBoolean("model.qkv-bias"));
        return b.build();
    }
}
