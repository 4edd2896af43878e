package org.vitspark.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;

/**
 * Cuts a genome's standalone network out of the supernet's shared tensors ({@link SupernetLayout}) and
 * carries its gradients back. A sub-network is the standalone model of the genome's canonical form (identity
 * shifting: its k-th block uses slot k), whose every tensor is a set of rectangles of supernet tensors:
 * rows and columns of the token-embedding width take the policy's embedding window (one window for the
 * stem, class token, position embedding, every LayerNorm, every block's input and output, the final norm and
 * the head), inner widths (q/k/v, MLP) their aligned window, and a block's fused qkv is Q and K of its head
 * count stacked on the shared V.
 *
 * <p>{@link #gather} copies the sub-network's parameters out; the standalone forward and backward then run
 * unchanged ({@link org.vitspark.model.TransformerNet}), and {@link #scatterAdd} adds the sub-network's
 * gradient into the supernet's: the exact transpose of the copy, so supernet entries outside the slices get
 * exactly zero.
 */
public final class SupernetSlicer implements Serializable {

    /**
     * One rectangle family: sub-network tensor {@code dst} from {@code [dstRow, dstCol]} on receives supernet
     * tensor {@code src}'s rows {@code rows} × columns {@code cols} (null = all), both tensors seen as 2-D.
     */
    record Piece(String dst, int dstRow, int dstCol, String src, Window rows, Window cols) implements Serializable {
    }

    /** One sub-network: its canonical genome, alignment, standalone spec and layout, and how to cut it. */
    public record Subnet(Genome genome, Window.Side side, ModelSpec spec, ParamLayout layout, List<Piece> pieces)
            implements Serializable {
    }

    private final SearchSpace space;
    private final ChannelPolicy policy;
    private final ParamLayout supernet;

    public SupernetSlicer(SearchSpace space, ChannelPolicy policy) {
        this.space = space;
        this.policy = policy;
        this.supernet = SupernetLayout.of(space);
    }

    public SearchSpace space() {
        return space;
    }

    public ChannelPolicy policy() {
        return policy;
    }

    public ParamLayout supernet() {
        return supernet;
    }

    /** The sub-network of {@code genome} (canonicalised) aligned to {@code side}. */
    public Subnet subnet(Genome genome, Window.Side side) {
        Genome g = genome.canonical(space);
        ModelSpec spec = g.toSpec(space, "subnet");
        Window emb = policy.embedding(space, g.gene(1), side);
        int p = g.patch(space);
        String stem = "patch" + p + ".";
        List<Piece> pieces = new ArrayList<>();
        pieces.add(new Piece("patchEmbed.proj.weight", 0, 0, stem + "proj.weight", emb, null));
        pieces.add(new Piece("patchEmbed.proj.bias", 0, 0, stem + "proj.bias", null, emb));
        pieces.add(new Piece("clsToken", 0, 0, stem + "clsToken", null, emb));
        pieces.add(new Piece("posEmbed", 0, 0, stem + "posEmbed", null, emb));
        for (int k = 0; k < spec.depth(); k++) {
            ModelSpec.Block shape = spec.block(k);
            int a = shape.attnDim();
            Window attn = Window.aligned(a, space.maxAttnDim(), side);
            Window mlp = Window.aligned(shape.mlpDim(), space.maxMlpDim(), side);
            String d = "blocks." + k + ".";
            String s = "slots." + k + ".";
            vector(pieces, d + "norm1", s + "norm1", emb);
            String[] qkv = {s + "attn.q" + shape.heads(), s + "attn.k" + shape.heads(), s + "attn.v"};
            for (int j = 0; j < 3; j++) {
                pieces.add(new Piece(d + "attn.qkv.weight", j * a, 0, qkv[j] + ".weight", attn, emb));
                if (space.base().qkvBias()) {
                    pieces.add(new Piece(d + "attn.qkv.bias", 0, j * a, qkv[j] + ".bias", null, attn));
                }
            }
            pieces.add(new Piece(d + "attn.proj.weight", 0, 0, s + "attn.proj.weight", emb, attn));
            pieces.add(new Piece(d + "attn.proj.bias", 0, 0, s + "attn.proj.bias", null, emb));
            vector(pieces, d + "norm2", s + "norm2", emb);
            pieces.add(new Piece(d + "mlp.fc1.weight", 0, 0, s + "mlp.fc1.weight", mlp, emb));
            pieces.add(new Piece(d + "mlp.fc1.bias", 0, 0, s + "mlp.fc1.bias", null, mlp));
            pieces.add(new Piece(d + "mlp.fc2.weight", 0, 0, s + "mlp.fc2.weight", emb, mlp));
            pieces.add(new Piece(d + "mlp.fc2.bias", 0, 0, s + "mlp.fc2.bias", null, emb));
        }
        vector(pieces, "norm", "norm", emb);
        pieces.add(new Piece("head.weight", 0, 0, "head.weight", null, emb));
        pieces.add(new Piece("head.bias", 0, 0, "head.bias", null, null));
        return new Subnet(g, side, spec, ParamLayout.of(spec), List.copyOf(pieces));
    }

    private static void vector(List<Piece> pieces, String dst, String src, Window w) {
        pieces.add(new Piece(dst + ".weight", 0, 0, src + ".weight", null, w));
        pieces.add(new Piece(dst + ".bias", 0, 0, src + ".bias", null, w));
    }

    /** The sub-network's flat parameters, copied out of the supernet's (same data type). */
    public INDArray gather(Subnet n, INDArray supernetParams) {
        INDArray out = Nd4j.create(supernetParams.dataType(), 1, n.layout().total());
        for (Piece piece : n.pieces()) {
            copy(piece, n.layout(), out, supernetParams, true);
        }
        return out;
    }

    /** Adds the sub-network's gradient into the supernet's gradient, slice by slice. */
    public void scatterAdd(Subnet n, INDArray subnetGrads, INDArray supernetGrads) {
        for (Piece piece : n.pieces()) {
            copy(piece, n.layout(), subnetGrads, supernetGrads, false);
        }
    }

    private void copy(Piece p, ParamLayout subLayout, INDArray sub, INDArray sup, boolean gather) {
        long[] dstShape = shape2d(subLayout.entry(p.dst()));
        long[] srcShape = shape2d(supernet.entry(p.src()));
        Window rows = p.rows() == null ? Window.all((int) srcShape[0]) : p.rows();
        Window cols = p.cols() == null ? Window.all((int) srcShape[1]) : p.cols();
        int dr = p.dstRow();
        for (int i = 0; i < rows.starts().length; i++) {
            int dc = p.dstCol();
            for (int j = 0; j < cols.starts().length; j++) {
                INDArray d = block(sub, subLayout.entry(p.dst()), dstShape, dr, dc, rows.lengths()[i], cols.lengths()[j]);
                INDArray s = block(sup, supernet.entry(p.src()), srcShape, rows.starts()[i], cols.starts()[j],
                        rows.lengths()[i], cols.lengths()[j]);
                if (gather) {
                    d.assign(s);
                } else {
                    s.addi(d);
                }
                dc += cols.lengths()[j];
            }
            dr += rows.lengths()[i];
        }
    }

    /**
     * Rows [r0, r0 + nr) × columns [c0, c0 + nc) of tensor {@code e} seen as 2-D {@code shape}, as a strided view
     * straight into the flat vector's buffer. (ND4J 1.0.0-M2.1's {@code get(interval, interval)} on a view that
     * starts inside a larger buffer returns an empty array for some offsets, so the view is built by hand.)
     */
    private static INDArray block(INDArray flat, ParamLayout.Entry e, long[] shape, long r0, long c0, long nr, long nc) {
        if (flat.length() > 1 && flat.elementWiseStride() != 1) {
            throw new IllegalArgumentException("a flat parameter vector must be contiguous");
        }
        long offset = flat.offset() + e.offset() + r0 * shape[1] + c0;
        return Nd4j.create(flat.data(), new long[] {nr, nc}, new long[] {shape[1], 1}, offset, 'c');
    }

    /** A tensor's 2-D shape for slicing: vectors one row; a patch stem [D, C, p, p] as [D, C·p·p]; else [leading, last]. */
    static long[] shape2d(ParamLayout.Entry e) {
        long[] s = e.shape();
        long rows = s.length == 1 ? 1 : s.length == 4 ? s[0] : e.length() / s[s.length - 1];
        return new long[] {rows, e.length() / rows};
    }
}
