package org.vitspark.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vitspark.model.ModelSpec.Family;
import org.vitspark.model.ModelSpec.Pooling;

/**
 * The named model variants, as data. ImageNet rows are at 224 px with 1000 classes, as published
 * (vision_transformer vit_jax/configs/models.py; MLP-Mixer paper Table 1); small-image rows are 28 px,
 * 1 channel, 10 classes (Fashion-MNIST), and every field can be overridden from config (model.*).
 */
public final class Variants {

    private static final Map<String, ModelSpec> TABLE = new LinkedHashMap<>();

    static {
        // The two 28-px configurations the PyTorch peer benchmark measures (docs/benchmarks.md).
        vit("tiny", 28, 1, 10, 4, 64, 4, 4, 128);
        // Small-dataset ViT of Gani et al. 2022 (their ViT for 32-px datasets): patch 4, dim 192, depth 9,
        // heads 12, MLP ratio 2.
        vit("small", 28, 1, 10, 4, 192, 9, 12, 384);
        // ViT-Ti/S/B (Dosovitskiy et al. 2021 Table 1; Ti from DeiT): MLP ratio 4, class-token head.
        vit("vit_ti16", 224, 3, 1000, 16, 192, 12, 3, 768);
        vit("vit_s16", 224, 3, 1000, 16, 384, 12, 6, 1536);
        vit("vit_b16", 224, 3, 1000, 16, 768, 12, 12, 3072);
        vit("vit_s32", 224, 3, 1000, 32, 384, 12, 6, 1536);
        vit("vit_b32", 224, 3, 1000, 32, 768, 12, 12, 3072);
        // MLP-Mixer S and B (Tolstikhin et al. 2021 Table 1): token MLP 256/384, channel MLP 2048/3072.
        mixer("mixer_s16", 16, 512, 8, 256, 2048);
        mixer("mixer_b16", 16, 768, 12, 384, 3072);
        mixer("mixer_s32", 32, 512, 8, 256, 2048);
        mixer("mixer_b32", 32, 768, 12, 384, 3072);
        // A 28-px Mixer for fast tests and small data.
        TABLE.put("mixer_tiny", new ModelSpec("mixer_tiny", Family.MIXER, 28, 1, 10, 4, 64, 4, 1, 128, 64,
                Pooling.GAP, 0.0, 0.0, true));
    }

    private Variants() {
    }

    private static void vit(String name, int image, int channels, int classes, int patch, int dim, int depth,
                            int heads, int mlp) {
        TABLE.put(name, new ModelSpec(name, Family.VIT, image, channels, classes, patch, dim, depth, heads, mlp, 0,
                Pooling.CLS, 0.0, 0.0, true));
    }

    private static void mixer(String name, int patch, int dim, int depth, int tokenMlp, int channelMlp) {
        TABLE.put(name, new ModelSpec(name, Family.MIXER, 224, 3, 1000, patch, dim, depth, 1, channelMlp, tokenMlp,
                Pooling.GAP, 0.0, 0.0, true));
    }

    public static Optional<ModelSpec> find(String name) {
        return Optional.ofNullable(TABLE.get(name));
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(TABLE.keySet());
    }
}
