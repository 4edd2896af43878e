package org.vitspark.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The named model variants, as data. */
public final class Variants {

    private static final Map<String, ModelSpec> TABLE = new LinkedHashMap<>();

    static {
        // The two 28-px configurations the PyTorch peer benchmark measures (shared/bench/torch_vit_bench.py).
        add(new ModelSpec("tiny", 28, 1, 10, 4, 64, 4, 4, 128));
        // Small-dataset ViT of Gani et al. 2022 (algorithms.md section 3): patch 4, dim 192, depth 9,
        // heads 12, MLP ratio 2.
        add(new ModelSpec("small", 28, 1, 10, 4, 192, 9, 12, 384));
    }

    private Variants() {
    }

    private static void add(ModelSpec spec) {
        TABLE.put(spec.name(), spec);
    }

    public static Optional<ModelSpec> find(String name) {
        return Optional.ofNullable(TABLE.get(name));
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(TABLE.keySet());
    }
}
