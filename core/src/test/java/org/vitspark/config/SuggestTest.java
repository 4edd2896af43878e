package org.vitspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestTest {

    @Test
    void distanceCountsOneTranspositionAsOneEdit() {
        assertEquals(0, Suggest.distance("heads", "heads"));
        assertEquals(1, Suggest.distance("hedas", "heads"));
        assertEquals(1, Suggest.distance("mlp_dim", "mlp-dim"));
        assertEquals(3, Suggest.distance("", "abc"));
        assertEquals(3, Suggest.distance("kitten", "sitting"));
    }

    @Test
    void suggestsOnlyCloseCandidates() {
        List<String> keys = List.of("model.heads", "model.dim", "train.epochs");
        assertEquals(Optional.of("model.heads"), Suggest.closest("model.hedas", keys));
        assertEquals(Optional.of("train.epochs"), Suggest.closest("train.epoch", keys));
        assertEquals(Optional.empty(), Suggest.closest("completely.different", keys));
    }
}
