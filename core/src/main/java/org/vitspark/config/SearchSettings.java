package org.vitspark.config;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.vitspark.model.ModelSize;
import org.vitspark.model.ModelSpec;
import org.vitspark.search.ChannelPolicy;
import org.vitspark.search.SearchSpace;

/**
 * The {@code search.*} keys (ViTAS architecture search), read once; reference.conf documents each. The MACs
 * band is relative to the model.* spec: the hand-made baseline the search competes with.
 */
public record SearchSettings(List<Integer> patches, int maxDim, List<Double> dimRatios, List<Integer> heads,
                             int maxAttnDim, List<Double> attnRatios, int maxMlpDim, List<Double> mlpRatios, int slots,
                             ChannelPolicy channels, double bandMin, double bandMax, double identityProb,
                             String supernet, String scoreSplit, int scoreImages, int population, int generations,
                             double mutationEta, int topK, int random) implements Serializable {

    static SearchSettings of(VitsparkConfig c) {
        return new SearchSettings(c.getIntList("search.patches"), c.getInt("search.max-dim"),
                c.getDoubleList("search.dim-ratios"), c.getIntList("search.heads"), c.getInt("search.max-attn-dim"),
                c.getDoubleList("search.attn-ratios"), c.getInt("search.max-mlp-dim"),
                c.getDoubleList("search.mlp-ratios"), c.getInt("search.slots"),
                ChannelPolicy.valueOf(c.getString("search.channels").toUpperCase(Locale.ROOT)),
                c.getDouble("search.band-min"), c.getDouble("search.band-max"), c.getDouble("search.identity-prob"),
                c.getString("search.supernet"), c.getString("search.score-split"), c.getInt("search.score-images"),
                c.getInt("search.evolve.population"), c.getInt("search.evolve.generations"),
                c.getDouble("search.evolve.mutation-eta"), c.getInt("search.evolve.top-k"),
                c.getInt("search.evolve.random"));
    }

    /** The space over {@code base} (image size, channels, classes, qkv bias, dropout come from model.*). */
    public SearchSpace space(ModelSpec base) {
        return new SearchSpace(base, patches, SearchSpace.widths(maxDim, dimRatios), heads,
                SearchSpace.widths(maxAttnDim, attnRatios), SearchSpace.widths(maxMlpDim, mlpRatios), slots);
    }

    /** The MACs band's lower end: band-min × the baseline's MACs. */
    public long minMacs(ModelSpec baseline) {
        return (long) Math.ceil(bandMin * ModelSize.macs(baseline));
    }

    /** The MACs band's upper end: band-max × the baseline's MACs. */
    public long maxMacs(ModelSpec baseline) {
        return (long) Math.floor(bandMax * ModelSize.macs(baseline));
    }
}
