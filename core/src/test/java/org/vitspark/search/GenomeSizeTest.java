package org.vitspark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vitspark.model.ModelSize;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.TransformerNet;
import org.vitspark.model.Variants;

/** The search's MACs/params calculator equals the model's own counters, and DeiT-Ti has its golden count. */
class GenomeSizeTest {

    @Test
    void calculatorEqualsTheStandaloneModelsCountersForRandomGenomes() {
        SearchSpace s = Spaces.fashion();
        GenomeSampler sampler = new GenomeSampler(s, 0.4);
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < 50; i++) {
            Genome g = sampler.sample(r);
            ModelSpec m = g.toSpec(s, "g" + i);
            assertEquals(ModelSize.macs(m), GenomeSize.macs(s, g), g.describe(s));
            assertEquals(ModelSize.params(m), GenomeSize.params(s, g), g.describe(s));
            assertEquals(new TransformerNet(m).layout().total(), GenomeSize.params(s, g));
        }
    }

    /**
     * DeiT-Ti/16 as a genome (patch 16, E 192, 12 blocks of 3 heads, q/k/v 192, MLP 768). The ViTAS code counts
     * N = 196 patch tokens and an N·E·C head: 1,284,003,840; with an E·C head 1,246,563,840. Our convention also
     * counts the class token in every block (T = 197), which adds per block 3·E·A + 2·(197² − 196²)·A + A·E +
     * 2·E·M = 593,280 MACs: 1,246,563,840 + 12 · 593,280 = 1,253,683,200.
     */
    @Test
    void deitTinyHasTheGoldenCount() {
        ModelSpec ti = Variants.find("vit_ti16").orElseThrow();
        SearchSpace s = new SearchSpace(ti, List.of(16), List.of(192), List.of(3), List.of(192), List.of(768), 12);
        Genome g = Genome.of(s, new int[s.geneCount()]);
        long vitasWithLinearHead = 1_246_563_840L;
        long classTokenShare = 3L * 192 * 192 + 2L * (197 * 197 - 196 * 196) * 192 + 192L * 192 + 2L * 192 * 768;
        assertEquals(593_280, classTokenShare);
        assertEquals(vitasWithLinearHead + 12 * classTokenShare, GenomeSize.macs(s, g));
        assertEquals(1_253_683_200L, GenomeSize.macs(s, g));
        assertEquals(ModelSize.macs(ti), GenomeSize.macs(s, g));
        assertEquals(5_717_416L, GenomeSize.params(s, g));
    }
}
