package org.vitspark.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vitspark.model.ModelSpec;

/**
 * One architecture of a {@link SearchSpace} as its integer genes (layout in {@link SearchSpace}). Immutable;
 * equality is gene by gene, so two genomes that differ only in where their identity slots sit are different
 * genomes with the same {@link #canonical} form.
 */
public final class Genome implements Serializable {

    private final int[] genes;

    private Genome(int[] genes) {
        this.genes = genes;
    }

    /** A genome of {@code space} from its genes; an out-of-range gene or a genome without blocks is rejected by name. */
    public static Genome of(SearchSpace space, int... genes) {
        if (genes.length != space.geneCount()) {
            throw new IllegalArgumentException("a genome of this space has " + space.geneCount() + " genes, not "
                    + genes.length);
        }
        for (int i = 0; i < genes.length; i++) {
            if (genes[i] < 0 || genes[i] > space.bound(i)) {
                throw new IllegalArgumentException("gene " + space.geneName(i) + " = " + genes[i] + " is outside 0.."
                        + space.bound(i));
            }
        }
        Genome g = new Genome(genes.clone());
        if (g.blocks(space) == 0) {
            throw new IllegalArgumentException("genome has no blocks: every slot is identity");
        }
        return g;
    }

    public int gene(int i) {
        return genes[i];
    }

    public int[] genes() {
        return genes.clone();
    }

    public int patch(SearchSpace s) {
        return s.patches().get(genes[0]);
    }

    public int dim(SearchSpace s) {
        return s.dims().get(genes[1]);
    }

    public boolean isIdentity(SearchSpace s, int slot) {
        return genes[2 + 3 * slot] == s.identityOp();
    }

    /** Head-count index of a block slot. */
    public int headIndex(int slot) {
        return genes[2 + 3 * slot];
    }

    public int attnIndex(int slot) {
        return genes[3 + 3 * slot];
    }

    public int mlpIndex(int slot) {
        return genes[4 + 3 * slot];
    }

    /** Slots that hold a block (not identity). */
    public int blocks(SearchSpace s) {
        int n = 0;
        for (int i = 0; i < s.slots(); i++) {
            n += isIdentity(s, i) ? 0 : 1;
        }
        return n;
    }

    /**
     * Identity shifting (ViTAS, ECCV 2022): the blocks move to the front slots in their order, each keeping its
     * heads and widths, and the identities fill the rest with their (meaningless) width genes at 0. Every
     * placement of the same blocks maps to this one genome, so the k-th block always trains and is scored with
     * slot k's weights, and the search caches and deduplicates by it.
     */
    public Genome canonical(SearchSpace s) {
        int[] c = new int[genes.length];
        c[0] = genes[0];
        c[1] = genes[1];
        int k = 0;
        for (int i = 0; i < s.slots(); i++) {
            if (!isIdentity(s, i)) {
                c[2 + 3 * k] = genes[2 + 3 * i];
                c[3 + 3 * k] = genes[3 + 3 * i];
                c[4 + 3 * k] = genes[4 + 3 * i];
                k++;
            }
        }
        for (; k < s.slots(); k++) {
            c[2 + 3 * k] = s.identityOp();
        }
        return new Genome(c);
    }

    public boolean isCanonical(SearchSpace s) {
        return equals(canonical(s));
    }

    /** The standalone model of this genome (its blocks compacted, as {@link #canonical}). */
    public ModelSpec toSpec(SearchSpace s, String name) {
        List<ModelSpec.Block> blocks = new ArrayList<>();
        for (int i = 0; i < s.slots(); i++) {
            if (!isIdentity(s, i)) {
                blocks.add(new ModelSpec.Block(s.heads().get(headIndex(i)), s.attnDims().get(attnIndex(i)),
                        s.mlpDims().get(mlpIndex(i))));
            }
        }
        ModelSpec.Block first = blocks.get(0);
        return s.base().toBuilder().name(name).family(ModelSpec.Family.VIT).pooling(ModelSpec.Pooling.CLS)
                .patch(patch(s)).dim(dim(s)).heads(first.heads()).mlpDim(first.mlpDim()).blocks(blocks).build();
    }

    /** A readable form: {@code p4 d96 | h4 a96 m192 | id | ...}. */
    public String describe(SearchSpace s) {
        StringBuilder b = new StringBuilder("p").append(patch(s)).append(" d").append(dim(s));
        for (int i = 0; i < s.slots(); i++) {
            b.append(" | ");
            if (isIdentity(s, i)) {
                b.append("id");
            } else {
                b.append('h').append(s.heads().get(headIndex(i))).append(" a").append(s.attnDims().get(attnIndex(i)))
                        .append(" m").append(s.mlpDims().get(mlpIndex(i)));
            }
        }
        return b.toString();
    }

    /** The genes joined by '-': a compact key for caches and files. */
    public String key() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < genes.length; i++) {
            b.append(i == 0 ? "" : "-").append(genes[i]);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Genome g && Arrays.equals(genes, g.genes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(genes);
    }

    @Override
    public String toString() {
        return key();
    }
}
