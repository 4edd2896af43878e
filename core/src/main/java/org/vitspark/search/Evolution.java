package org.vitspark.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.vitspark.rng.Purpose;
import org.vitspark.rng.Rng;

/**
 * ViTAS's evolutionary search (the reference runs pymoo's single-objective GeneticAlgorithm):
 * <ul>
 * <li>the initial population is rejection-sampled inside the MACs band;</li>
 * <li>each generation breeds {@code population} offspring: parents by binary tournament (the better score
 *     wins), 2-point crossover on every mating (2 parents → 2 children), then polynomial mutation (η
 *     {@code eta}) of each gene with probability 1/n, integers handled by widening the bounds ±0.5 and
 *     rounding;</li>
 * <li>an offspring is canonicalised (identity shifting) and rejected and bred again when it is outside the
 *     MACs band (ours: the reference scores it with a penalty and lets it die out), has no blocks, or
 *     duplicates a genome of the population, of this generation's offspring or of any earlier evaluation:
 *     no canonical genome is ever scored twice;</li>
 * <li>survival is elitist: the best {@code population} of parents and offspring.</li>
 * </ul>
 * The initial population counts as generation 1, as pymoo's {@code n_gen} does. Every draw derives from
 * (seed, generation), and the state after each generation is a value ({@link State}), so a search resumed
 * from its saved state continues exactly as if it had not stopped.
 */
public final class Evolution {

    /** Scores a batch of genomes (higher is better), in order; called once per generation. */
    public interface Scorer {
        double[] score(List<Genome> genomes) throws Exception;
    }

    /** A scored canonical genome. */
    public record Scored(Genome genome, double score, long macs) {
    }

    /**
     * The search after {@code generation} generations: the surviving population, best first, and every
     * genome scored so far (the cache), in evaluation order.
     */
    public record State(int generation, List<Scored> population, List<Scored> evaluated) {
        public State {
            population = List.copyOf(population);
            evaluated = List.copyOf(evaluated);
        }
    }

    /** Bounds on how hard the breeding tries before it accepts a smaller offspring set. */
    private static final int MATING_TRIES_PER_CHILD = 100;

    private final SearchSpace space;
    private final GenomeSampler sampler;
    private final long minMacs;
    private final long maxMacs;
    private final int population;
    private final double eta;
    private final long seed;

    public Evolution(SearchSpace space, GenomeSampler sampler, long minMacs, long maxMacs, int population, double eta,
                     long seed) {
        if (population < 2) {
            throw new IllegalArgumentException("a population needs at least 2 genomes");
        }
        this.space = space;
        this.sampler = sampler;
        this.minMacs = minMacs;
        this.maxMacs = maxMacs;
        this.population = population;
        this.eta = eta;
        this.seed = seed;
    }

    /** Generation 1: the scored initial population. */
    public State start(Scorer scorer) throws Exception {
        SplittableRandom r = Rng.of(seed, Purpose.EVOLUTION.code, 1);
        Set<Genome> seen = new HashSet<>();
        List<Genome> initial = new ArrayList<>();
        int tries = 0;
        while (initial.size() < population) {
            Genome g = sampler.sampleInBand(r, minMacs, maxMacs).canonical(space);
            if (seen.add(g)) {
                initial.add(g);
            } else if (++tries > MATING_TRIES_PER_CHILD * population) {
                throw new IllegalStateException("the MACs band holds fewer than " + population
                        + " distinct architectures: lower search.evolve.population or widen search.band");
            }
        }
        List<Scored> scored = score(scorer, initial);
        return new State(1, best(scored), scored);
    }

    /** The next generation from {@code s}. */
    public State next(State s, Scorer scorer) throws Exception {
        int gen = s.generation() + 1;
        SplittableRandom r = Rng.of(seed, Purpose.EVOLUTION.code, gen);
        Set<Genome> seen = new HashSet<>();
        for (Scored x : s.evaluated()) {
            seen.add(x.genome());
        }
        List<Genome> children = new ArrayList<>();
        int tries = 0;
        while (children.size() < population && tries < MATING_TRIES_PER_CHILD * population) {
            tries++;
            int[] a = tournament(s.population(), r).genome().genes();
            int[] b = tournament(s.population(), r).genome().genes();
            crossover(a, b, r);
            for (int[] child : new int[][] {a, b}) {
                mutate(child, r);
                Genome g = admissible(child);
                if (g != null && children.size() < population && seen.add(g)) {
                    children.add(g);
                }
            }
        }
        List<Scored> scored = score(scorer, children);
        List<Scored> all = new ArrayList<>(s.population());
        all.addAll(scored);
        List<Scored> evaluated = new ArrayList<>(s.evaluated());
        evaluated.addAll(scored);
        return new State(gen, best(all), evaluated);
    }

    /** A child's canonical genome when it is valid and inside the band, else null. */
    private Genome admissible(int[] genes) {
        Genome g;
        try {
            g = Genome.of(space, genes).canonical(space);
        } catch (IllegalArgumentException noBlocks) {
            return null;
        }
        long macs = GenomeSize.macs(space, g);
        return macs >= minMacs && macs <= maxMacs ? g : null;
    }

    private List<Scored> score(Scorer scorer, List<Genome> genomes) throws Exception {
        double[] f = genomes.isEmpty() ? new double[0] : scorer.score(genomes);
        if (f.length != genomes.size()) {
            throw new IllegalStateException("scorer returned " + f.length + " scores for " + genomes.size()
                    + " genomes");
        }
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < f.length; i++) {
            out.add(new Scored(genomes.get(i), f[i], GenomeSize.macs(space, genomes.get(i))));
        }
        return out;
    }

    /** The best {@code population} of {@code all}, best first (ties: fewer MACs, then gene order). */
    private List<Scored> best(List<Scored> all) {
        List<Scored> sorted = new ArrayList<>(all);
        sorted.sort(RANKING);
        return sorted.subList(0, Math.min(population, sorted.size()));
    }

    /** Best first: higher score, then fewer MACs, then the genes' key (a total order, so runs are reproducible). */
    public static final Comparator<Scored> RANKING = Comparator.comparingDouble((Scored x) -> -x.score())
            .thenComparingLong(Scored::macs).thenComparing(x -> x.genome().key());

    /** Binary tournament: two distinct random members, the better wins. */
    private static Scored tournament(List<Scored> pop, SplittableRandom r) {
        int i = r.nextInt(pop.size());
        int j = r.nextInt(pop.size() - 1);
        j = j >= i ? j + 1 : j;
        Scored a = pop.get(i);
        Scored b = pop.get(j);
        return RANKING.compare(a, b) <= 0 ? a : b;
    }

    /** 2-point crossover in place: the genes between two cut points are swapped. */
    static void crossover(int[] a, int[] b, SplittableRandom r) {
        int n = a.length;
        int c1 = 1 + r.nextInt(n - 1);
        int c2 = 1 + r.nextInt(n - 1);
        int lo = Math.min(c1, c2);
        int hi = Math.max(c1, c2);
        for (int i = lo; i < hi; i++) {
            int t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }

    /** Polynomial mutation (Deb &amp; Agrawal; pymoo 0.3.0) of each gene with probability 1/n, in place. */
    void mutate(int[] g, SplittableRandom r) {
        for (int i = 0; i < g.length; i++) {
            if (r.nextDouble() >= 1.0 / g.length) {
                continue;
            }
            double lo = -0.5;
            double hi = space.bound(i) + 0.5;
            double y = g[i];
            double d1 = (y - lo) / (hi - lo);
            double d2 = (hi - y) / (hi - lo);
            double u = r.nextDouble();
            double pow = 1.0 / (eta + 1);
            double dq;
            if (u < 0.5) {
                double v = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, eta + 1);
                dq = Math.pow(v, pow) - 1;
            } else {
                double v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, eta + 1);
                dq = 1 - Math.pow(v, pow);
            }
            long x = Math.round(Math.rint(y + dq * (hi - lo)));
            g[i] = (int) Math.max(0, Math.min(space.bound(i), x));
        }
    }
}
