package org.vitspark.search;

import java.util.List;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;

/** Search spaces the tests share. */
final class Spaces {

    private Spaces() {
    }

    static final List<Double> TENTHS = List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);

    /** The experiment's space on 28-px Fashion-MNIST: patch 4 or 7, E 192, heads 2/4/8 or identity, 8 slots. */
    static SearchSpace fashion() {
        ModelSpec base = Variants.find("tiny").orElseThrow();
        return new SearchSpace(base, List.of(4, 7), SearchSpace.widths(192, TENTHS), List.of(2, 4, 8),
                SearchSpace.widths(192, List.of(0.25, 0.5, 0.75, 1.0)), SearchSpace.widths(384, TENTHS), 8);
    }

    /** A tiny space for double-precision checks: 8 px, patch 2 or 4, E 6 (cyclic windows wrap), 3 slots. */
    static SearchSpace tiny() {
        ModelSpec base = new ModelSpec("tiny-space", ModelSpec.Family.VIT, 8, 1, 3, 4, 6, 1, 1, 4, 0,
                ModelSpec.Pooling.CLS, 0, 0, true);
        return new SearchSpace(base, List.of(2, 4), List.of(3, 5, 6), List.of(1, 2), List.of(2, 4), List.of(3, 5), 3);
    }
}
