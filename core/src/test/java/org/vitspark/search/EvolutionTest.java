package org.vitspark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The GA finds a synthetic fitness function's optimum, never scores a genome twice, and resumes exactly. */
class EvolutionTest {

    private final SearchSpace s = Spaces.tiny();
    // the optimum: patch 4, width 5, blocks (2 heads, q/k/v 4, MLP 3), (1 head, 2, 5), (2 heads, 2, 5)
    private final Genome target = Genome.of(s, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1);

    /** Higher the closer the canonical genes are to the target's. */
    private double fitness(Genome g) {
        int[] a = g.canonical(s).genes();
        int[] t = target.genes();
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - t[i]);
        }
        return -d;
    }

    private final class CountingScorer implements Evolution.Scorer {
        final List<Genome> scored = new ArrayList<>();

        @Override
        public double[] score(List<Genome> genomes) {
            double[] f = new double[genomes.size()];
            for (int i = 0; i < f.length; i++) {
                scored.add(genomes.get(i));
                f[i] = fitness(genomes.get(i));
            }
            return f;
        }
    }

    private Evolution evolution() {
        return new Evolution(s, new GenomeSampler(s, 0.3), 0, Long.MAX_VALUE, 10, 3, 42);
    }

    @Test
    void findsTheKnownOptimumWithoutScoringAnyGenomeTwice() throws Exception {
        Evolution e = evolution();
        CountingScorer scorer = new CountingScorer();
        Evolution.State st = e.start(scorer);
        while (st.generation() < 40 && st.population().get(0).score() < 0) {
            st = e.next(st, scorer);
        }
        System.out.printf("optimum found in generation %d after %d evaluations%n", st.generation(),
                scorer.scored.size());
        assertEquals(target, st.population().get(0).genome());
        assertEquals(0.0, st.population().get(0).score(), 0.0);
        Set<Genome> distinct = new HashSet<>(scorer.scored);
        assertEquals(scorer.scored.size(), distinct.size(), "a genome was scored twice");
        for (Genome g : scorer.scored) {
            assertTrue(g.isCanonical(s), "scored a non-canonical genome " + g);
        }
        assertEquals(scorer.scored.size(), st.evaluated().size());
    }

    @Test
    void respectsTheMacsBand() throws Exception {
        long min = 3_000;
        long max = 6_000;
        Evolution e = new Evolution(s, new GenomeSampler(s, 0.3), min, max, 8, 3, 1);
        CountingScorer scorer = new CountingScorer();
        Evolution.State st = e.start(scorer);
        for (int i = 0; i < 5; i++) {
            st = e.next(st, scorer);
        }
        for (Genome g : scorer.scored) {
            long macs = GenomeSize.macs(s, g);
            assertTrue(macs >= min && macs <= max, g + " has " + macs + " MACs");
        }
    }

    @Test
    void aResumedSearchContinuesExactly() throws Exception {
        Evolution e = evolution();
        Evolution.State st = e.start(new CountingScorer());
        for (int i = 0; i < 5; i++) {
            st = e.next(st, new CountingScorer());
        }
        Evolution.State part = e.start(new CountingScorer());
        for (int i = 0; i < 2; i++) {
            part = e.next(part, new CountingScorer());
        }
        Evolution.State resumed = GenomeJson.readState(s, GenomeJson.state(s, part, "test"));
        assertEquals(part, resumed);
        for (int i = 0; i < 3; i++) {
            resumed = evolution().next(resumed, new CountingScorer());
        }
        assertEquals(st, resumed);
    }
}
