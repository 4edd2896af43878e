package org.vitspark.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.vitspark.model.ModelSpec;

/**
 * ViTAS's search space (Su et al. 2021 §3; config search.*): a patch side (each with its own stem, class
 * token and position embedding), one embedding width for the whole network, and {@code slots} block slots,
 * each either identity or a block with its own head count, q/k/v width and MLP width. Widths are ratios of
 * the maxima, rounded to the nearest integer as the reference code does (r·E).
 *
 * <p>A genome is {@code 2 + 3·slots} integers: patch index, width index, then per slot the op (a head-count
 * index, or {@link #identityOp} for identity), the q/k/v-width index and the MLP-width index.
 *
 * @param base      what the space does not search: image size, channels, classes, qkv bias, dropout (the
 *                  model.* spec; ViTAS reads the class token)
 * @param patches   candidate patch sides
 * @param dims      candidate embedding widths, ascending
 * @param heads     candidate head counts
 * @param attnDims  candidate q/k/v widths (each of q, k, v), ascending; every head count divides each
 * @param mlpDims   candidate MLP widths, ascending
 * @param slots     block slots
 */
public record SearchSpace(ModelSpec base, List<Integer> patches, List<Integer> dims, List<Integer> heads,
                          List<Integer> attnDims, List<Integer> mlpDims, int slots) implements Serializable {

    public SearchSpace {
        patches = List.copyOf(patches);
        dims = List.copyOf(dims);
        heads = List.copyOf(heads);
        attnDims = List.copyOf(attnDims);
        mlpDims = List.copyOf(mlpDims);
        if (slots < 1 || patches.isEmpty() || heads.isEmpty()) {
            throw new IllegalArgumentException("a search space needs slots, patch sides and head counts");
        }
        ascending("embedding widths", dims);
        ascending("q/k/v widths", attnDims);
        ascending("MLP widths", mlpDims);
        for (int p : patches) {
            if (p < 1 || base.imageSize() % p != 0) {
                throw new IllegalArgumentException("patch side " + p + " does not divide the image size "
                        + base.imageSize());
            }
        }
        for (int a : attnDims) {
            for (int h : heads) {
                if (h < 1 || a % h != 0) {
                    throw new IllegalArgumentException(h + " heads do not divide the q/k/v width " + a);
                }
            }
        }
    }

    private static void ascending(String what, List<Integer> v) {
        if (v.isEmpty() || v.get(0) < 1) {
            throw new IllegalArgumentException("no positive " + what + ": " + v);
        }
        for (int i = 1; i < v.size(); i++) {
            if (v.get(i) <= v.get(i - 1)) {
                throw new IllegalArgumentException(what + " must be distinct and ascending after rounding: " + v);
            }
        }
    }

    /** The widths r·max for ratios r, rounded to the nearest integer (ViTAS's {@code round(r·E)}). */
    public static List<Integer> widths(int max, List<Double> ratios) {
        List<Integer> out = new ArrayList<>();
        for (double r : ratios) {
            out.add((int) Math.round(r * max));
        }
        return out;
    }

    public int maxDim() {
        return dims.get(dims.size() - 1);
    }

    public int maxAttnDim() {
        return attnDims.get(attnDims.size() - 1);
    }

    public int maxMlpDim() {
        return mlpDims.get(mlpDims.size() - 1);
    }

    /** The op gene's value for identity (one past the last head-count index). */
    public int identityOp() {
        return heads.size();
    }

    public int geneCount() {
        return 2 + 3 * slots;
    }

    /** The largest value gene {@code i} takes (the smallest is 0). */
    public int bound(int i) {
        if (i == 0) {
            return patches.size() - 1;
        }
        if (i == 1) {
            return dims.size() - 1;
        }
        return switch ((i - 2) % 3) {
            case 0 -> identityOp();
            case 1 -> attnDims.size() - 1;
            default -> mlpDims.size() - 1;
        };
    }

    /** A gene's name for messages: patch, dim, slot3.op, slot3.attn, slot3.mlp. */
    public String geneName(int i) {
        if (i == 0) {
            return "patch";
        }
        if (i == 1) {
            return "dim";
        }
        return "slot" + (i - 2) / 3 + "." + switch ((i - 2) % 3) {
            case 0 -> "op";
            case 1 -> "attn";
            default -> "mlp";
        };
    }

    /** Tokens the blocks see with patch side {@code p}: the patches and the class token. */
    public int tokens(int p) {
        int side = base.imageSize() / p;
        return side * side + 1;
    }

    /** A one-line text form (stored in the supernet's DL4J layer configuration); {@link #decode} reverses it. */
    public String encode() {
        return String.join("|", base.encode(), join(patches), join(dims), join(heads), join(attnDims), join(mlpDims),
                Integer.toString(slots));
    }

    public static SearchSpace decode(String text) {
        String[] f = text.split("\\|", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("not an encoded search space: " + text);
        }
        return new SearchSpace(ModelSpec.decode(f[0]), ints(f[1]), ints(f[2]), ints(f[3]), ints(f[4]), ints(f[5]),
                Integer.parseInt(f[6]));
    }

    private static String join(List<Integer> v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            b.append(i == 0 ? "" : ",").append(v.get(i));
        }
        return b.toString();
    }

    private static List<Integer> ints(String s) {
        List<Integer> out = new ArrayList<>();
        for (String x : s.split(",")) {
            out.add(Integer.parseInt(x));
        }
        return out;
    }

    /** The widest genome: the first patch side, the widest embedding, every slot a block at its widest with the most heads. */
    public Genome widest() {
        int[] g = new int[geneCount()];
        g[0] = 0;
        g[1] = dims.size() - 1;
        for (int i = 0; i < slots; i++) {
            g[2 + 3 * i] = heads.size() - 1;
            g[3 + 3 * i] = attnDims.size() - 1;
            g[4 + 3 * i] = mlpDims.size() - 1;
        }
        return Genome.of(this, g);
    }

    /** A genome from its key ({@link Genome#key}). */
    public Genome genome(String key) {
        String[] f = key.split("-");
        int[] g = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            g[i] = Integer.parseInt(f[i].trim());
        }
        return Genome.of(this, g);
    }

    /** A one-line summary: "patch 4/7, width 19..192 (10), heads 2/4/8, q/k/v 48..192 (4), MLP 38..384 (10), 8 slots". */
    public String describe() {
        return String.format("patch %s, width %d..%d (%d), heads %s, q/k/v %d..%d (%d), MLP %d..%d (%d), %d slots",
                join(patches).replace(',', '/'), dims.get(0), maxDim(), dims.size(), join(heads).replace(',', '/'),
                attnDims.get(0), maxAttnDim(), attnDims.size(), mlpDims.get(0), maxMlpDim(), mlpDims.size(), slots);
    }

    /**
     * The genome of a uniform or per-block ViT spec when the space holds it (its patch, width and every block's
     * shape are candidates and it has at most {@code slots} blocks), else empty: the hand-made baseline inside
     * the search space.
     */
    public java.util.Optional<Genome> genomeOf(ModelSpec m) {
        int[] g = new int[geneCount()];
        g[0] = patches.indexOf(m.patch());
        g[1] = dims.indexOf(m.dim());
        if (g[0] < 0 || g[1] < 0 || m.depth() > slots || m.family() != ModelSpec.Family.VIT) {
            return java.util.Optional.empty();
        }
        for (int i = 0; i < slots; i++) {
            if (i >= m.depth()) {
                g[2 + 3 * i] = identityOp();
                continue;
            }
            ModelSpec.Block b = m.block(i);
            g[2 + 3 * i] = heads.indexOf(b.heads());
            g[3 + 3 * i] = attnDims.indexOf(b.attnDim());
            g[4 + 3 * i] = mlpDims.indexOf(b.mlpDim());
            if (g[2 + 3 * i] < 0 || g[3 + 3 * i] < 0 || g[4 + 3 * i] < 0) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(Genome.of(this, g));
    }
}
