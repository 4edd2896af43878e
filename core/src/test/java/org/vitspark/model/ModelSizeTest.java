package org.vitspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parameter counts equal the published ones exactly; MACs agree with the published GFLOPs. */
class ModelSizeTest {

    private static ModelSpec variant(String name) {
        return Variants.find(name).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"vit_ti16, 5717416", "vit_s16, 22050664", "vit_b16, 86567656", "mixer_s16, 18528264",
        "mixer_b16, 59880472", "tiny, 139018"})
    void parameterCountsEqualThePublishedOnes(String name, long expected) {
        assertEquals(expected, ModelSize.params(variant(name)));
    }

    /**
     * S/16 4.6 G and B/16 17.6 G (ViT/DeiT papers) within 2%. Ti/16 is published as "1.3" at one decimal;
     * the exact count is 1.254 G, which timm/fvcore list as 1.26: checked within 2% of 1.26 and to round
     * to 1.3 (docs/decisions.md D11).
     */
    @ParameterizedTest
    @CsvSource({"vit_ti16, 1.26", "vit_s16, 4.6", "vit_b16, 17.6"})
    void macsAgreeWithThePublishedFigures(String name, double gmacs) {
        double macs = ModelSize.macs(variant(name)) / 1e9;
        assertEquals(gmacs, macs, 0.02 * gmacs, name + " GMACs " + macs);
    }

    @org.junit.jupiter.api.Test
    void tinyVitMacsRoundToThePublishedFigure() {
        assertEquals(1.3, Math.round(ModelSize.macs(variant("vit_ti16")) / 1e8) / 10.0, 1e-9);
    }

    @org.junit.jupiter.api.Test
    void macsOfTheSmallestConfigurationAreCountedByHand() {
        // 8 px, patch 4 → 4 patches + class token, D 8, 1 block, MLP 12, 3 classes, 2 channels
        ModelSpec m = new ModelSpec("hand", ModelSpec.Family.VIT, 8, 2, 3, 4, 8, 1, 2, 12, 0,
                ModelSpec.Pooling.CLS, 0, 0, true);
        long embed = 4 * 32 * 8;
        long block = 5 * 8 * 24 + 2 * 5 * 5 * 8 + 5 * 8 * 8 + 2 * 5 * 8 * 12;
        assertEquals(embed + block + 8 * 3, ModelSize.macs(m));
    }
}
