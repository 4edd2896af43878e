package org.vitspark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gene validation names the gene; identity shifting maps every placement of the same blocks to one genome. */
class GenomeTest {

    private final SearchSpace s = Spaces.fashion();

    @Test
    void outOfRangeGenesAreRejectedByName() {
        int[] g = new int[s.geneCount()];
        g[2 + 3 * 3 + 1] = 4; // slot 3's q/k/v width index: 4 widths → 0..3
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Genome.of(s, g));
        assertTrue(e.getMessage().contains("slot3.attn = 4"), e.getMessage());
        int[] all = new int[s.geneCount()];
        for (int i = 0; i < s.slots(); i++) {
            all[2 + 3 * i] = s.identityOp();
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Genome.of(s, all)).getMessage()
                .contains("no blocks"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Genome.of(s, new int[3])).getMessage()
                .contains("26 genes"));
    }

    @Test
    void everyPlacementOfTheSameBlocksHasOneCanonicalForm() {
        // three blocks (h2 a48 m38, h8 a192 m384, h4 a96 m192) in all C(8,3) = 56 placements, identity width
        // genes random: 56 genomes, one canonical network
        int[][] blocks = {{0, 0, 0}, {2, 3, 9}, {1, 1, 4}};
        SplittableRandom r = new SplittableRandom(5);
        Set<Genome> genomes = new HashSet<>();
        Set<Genome> canonical = new HashSet<>();
        for (int mask = 0; mask < 1 << s.slots(); mask++) {
            if (Integer.bitCount(mask) != 3) {
                continue;
            }
            int[] g = new int[s.geneCount()];
            g[0] = 1;
            g[1] = 5;
            int k = 0;
            for (int i = 0; i < s.slots(); i++) {
                if ((mask >> i & 1) == 1) {
                    System.arraycopy(blocks[k++], 0, g, 2 + 3 * i, 3);
                } else {
                    g[2 + 3 * i] = s.identityOp();
                    g[3 + 3 * i] = r.nextInt(4);
                    g[4 + 3 * i] = r.nextInt(10);
                }
            }
            Genome genome = Genome.of(s, g);
            genomes.add(genome);
            canonical.add(genome.canonical(s));
            assertEquals(GenomeSize.macs(s, genome), GenomeSize.macs(s, genome.canonical(s)));
            assertEquals(genome.toSpec(s, "x"), genome.canonical(s).toSpec(s, "x"));
        }
        assertEquals(56, genomes.size());
        assertEquals(1, canonical.size());
        Genome c = canonical.iterator().next();
        assertTrue(c.isCanonical(s));
        assertEquals("p7 d115 | h2 a48 m38 | h8 a192 m384 | h4 a96 m192 | id | id | id | id | id", c.describe(s));
    }

    @Test
    void blockOrderMatters() {
        int[] a = new int[s.geneCount()];
        int[] b = new int[s.geneCount()];
        for (int i = 2; i < s.slots(); i++) {
            a[2 + 3 * i] = s.identityOp();
            b[2 + 3 * i] = s.identityOp();
        }
        a[2] = 0;
        a[5] = 2;
        b[2] = 2;
        b[5] = 0;
        assertNotEquals(Genome.of(s, a).canonical(s), Genome.of(s, b).canonical(s));
    }

    @Test
    void theHandMadeBaselineIsAGenomeOfTheExperimentsSpace() {
        org.vitspark.model.ModelSpec baseline = s.base().toBuilder().patch(4).dim(96).depth(4).heads(4).mlpDim(192).build();
        Genome g = s.genomeOf(baseline).orElseThrow();
        assertEquals("p4 d96 | h4 a96 m192 | h4 a96 m192 | h4 a96 m192 | h4 a96 m192 | id | id | id | id",
                g.describe(s));
        assertEquals(org.vitspark.model.ModelSize.macs(baseline), GenomeSize.macs(s, g));
        assertTrue(s.genomeOf(baseline.toBuilder().dim(100).build()).isEmpty());
        assertTrue(s.genomeOf(baseline.toBuilder().depth(9).build()).isEmpty());
    }
}
