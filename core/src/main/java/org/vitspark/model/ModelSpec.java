package org.vitspark.model;

/**
 * The shape of one model: a row of the variant table, possibly with single fields overridden.
 *
 * @param name variant name the spec started from
 * @param family ViT (attention blocks) or MLP-Mixer (token-mixing blocks)
 * @param imageSize input side in pixels (square images)
 * @param channels input channels
 * @param classes output classes
 * @param patch patch side in pixels
 * @param dim embedding width
 * @param depth number of encoder blocks
 * @param heads attention heads (ViT; ignored by Mixer)
 * @param mlpDim hidden width of the (channel-)MLP
 * @param tokenMlpDim hidden width of Mixer's token-mixing MLP (ignored by ViT)
 * @param pooling how the head sees the tokens: class token or global average pool
 * @param dropout dropout rate after the embedding, the attention projection and inside the MLPs
 * @param dropPath stochastic-depth rate of the last block (linearly rising from 0 over depth)
 * @param qkvBias whether the qkv projection has a bias
 * @param blocks per-block shapes of a ViT whose blocks differ (an architecture found by search), one per
 *               block; empty = every block has {@code heads}, width {@code dim} per q/k/v and {@code mlpDim}
 */
public record ModelSpec(String name, Family family, int imageSize, int channels, int classes, int patch, int dim,
                        int depth, int heads, int mlpDim, int tokenMlpDim, Pooling pooling, double dropout,
                        double dropPath, boolean qkvBias, java.util.List<Block> blocks) implements java.io.Serializable {

    public enum Family { VIT, MIXER }

    public enum Pooling { CLS, GAP }

    /**
     * One ViT block's shape.
     *
     * @param heads attention heads
     * @param attnDim width of each of q, k and v (the attention's inner width; heads divide it)
     * @param mlpDim MLP hidden width
     */
    public record Block(int heads, int attnDim, int mlpDim) implements java.io.Serializable {
        public Block {
            if (heads < 1 || attnDim < 1 || mlpDim < 1 || attnDim % heads != 0) {
                throw new IllegalArgumentException("bad block shape: " + heads + " heads, q/k/v width " + attnDim
                        + ", MLP " + mlpDim + " (heads must divide the q/k/v width)");
            }
        }
    }

    public ModelSpec {
        blocks = java.util.List.copyOf(blocks);
        if (!blocks.isEmpty() && (blocks.size() != depth || family != Family.VIT)) {
            throw new IllegalArgumentException("per-block shapes need a ViT with one shape per block: "
                    + blocks.size() + " shapes for depth " + depth + " (" + family + ")");
        }
    }

    /** A spec whose blocks all have the same shape. */
    public ModelSpec(String name, Family family, int imageSize, int channels, int classes, int patch, int dim,
                     int depth, int heads, int mlpDim, int tokenMlpDim, Pooling pooling, double dropout,
                     double dropPath, boolean qkvBias) {
        this(name, family, imageSize, channels, classes, patch, dim, depth, heads, mlpDim, tokenMlpDim, pooling,
                dropout, dropPath, qkvBias, java.util.List.of());
    }

    /** The shape of block {@code i} (ViT). */
    public Block block(int i) {
        return blocks.isEmpty() ? new Block(heads, dim, mlpDim) : blocks.get(i);
    }

    /** Patch tokens per image (without a class token). */
    public int patchTokens() {
        int side = imageSize / patch;
        return side * side;
    }

    /** Tokens the blocks see: patch tokens plus the class token when pooling by it. */
    public int tokens() {
        return patchTokens() + (hasClassToken() ? 1 : 0);
    }

    public boolean hasClassToken() {
        return family == Family.VIT && pooling == Pooling.CLS;
    }

    /** Pixels per patch times channels: the patch embedding's input width. */
    public int patchInputs() {
        return channels * patch * patch;
    }

    public int headDim() {
        return dim / heads;
    }

    /**
     * A one-line text form (stored in DL4J layer configurations and checkpoints); {@link #decode} reverses it.
     * Per-block shapes, when present, are a 16th field {@code heads/attnDim/mlpDim,...}, so uniform specs
     * keep the 15-field form older checkpoints hold.
     */
    public String encode() {
        String base = String.join(";", name, family.name(), Integer.toString(imageSize), Integer.toString(channels),
                Integer.toString(classes), Integer.toString(patch), Integer.toString(dim), Integer.toString(depth),
                Integer.toString(heads), Integer.toString(mlpDim), Integer.toString(tokenMlpDim), pooling.name(),
                Double.toString(dropout), Double.toString(dropPath), Boolean.toString(qkvBias));
        if (blocks.isEmpty()) {
            return base;
        }
        StringBuilder b = new StringBuilder(base).append(';');
        for (int i = 0; i < blocks.size(); i++) {
            Block k = blocks.get(i);
            b.append(i == 0 ? "" : ",").append(k.heads()).append('/').append(k.attnDim()).append('/').append(k.mlpDim());
        }
        return b.toString();
    }

    public static ModelSpec decode(String text) {
        String[] f = text.split(";", -1);
        if (f.length != 15 && f.length != 16) {
            throw new IllegalArgumentException("not an encoded model spec: " + text);
        }
        java.util.List<Block> blocks = new java.util.ArrayList<>();
        if (f.length == 16) {
            for (String k : f[15].split(",")) {
                String[] h = k.split("/");
                blocks.add(new Block(Integer.parseInt(h[0]), Integer.parseInt(h[1]), Integer.parseInt(h[2])));
            }
        }
        return new ModelSpec(f[0], Family.valueOf(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]),
                Integer.parseInt(f[8]), Integer.parseInt(f[9]), Integer.parseInt(f[10]), Pooling.valueOf(f[11]),
                Double.parseDouble(f[12]), Double.parseDouble(f[13]), Boolean.parseBoolean(f[14]), blocks);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Field-by-field overrides of a spec (config keys model.*). */
    public static final class Builder {
        private String name;
        private Family family;
        private int imageSize;
        private int channels;
        private int classes;
        private int patch;
        private int dim;
        private int depth;
        private int heads;
        private int mlpDim;
        private int tokenMlpDim;
        private Pooling pooling;
        private double dropout;
        private double dropPath;
        private boolean qkvBias;
        private java.util.List<Block> blocks;

        Builder(ModelSpec s) {
            name = s.name;
            family = s.family;
            imageSize = s.imageSize;
            channels = s.channels;
            classes = s.classes;
            patch = s.patch;
            dim = s.dim;
            depth = s.depth;
            heads = s.heads;
            mlpDim = s.mlpDim;
            tokenMlpDim = s.tokenMlpDim;
            pooling = s.pooling;
            dropout = s.dropout;
            dropPath = s.dropPath;
            qkvBias = s.qkvBias;
            blocks = s.blocks;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder family(Family v) {
            family = v;
            return this;
        }

        public Builder imageSize(int v) {
            imageSize = v;
            return this;
        }

        public Builder channels(int v) {
            channels = v;
            return this;
        }

        public Builder classes(int v) {
            classes = v;
            return this;
        }

        public Builder patch(int v) {
            patch = v;
            return this;
        }

        public Builder dim(int v) {
            dim = v;
            return this;
        }

        public Builder depth(int v) {
            depth = v;
            return this;
        }

        public Builder heads(int v) {
            heads = v;
            return this;
        }

        public Builder mlpDim(int v) {
            mlpDim = v;
            return this;
        }

        public Builder tokenMlpDim(int v) {
            tokenMlpDim = v;
            return this;
        }

        public Builder pooling(Pooling v) {
            pooling = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        public Builder dropPath(double v) {
            dropPath = v;
            return this;
        }

        public Builder qkvBias(boolean v) {
            qkvBias = v;
            return this;
        }

        /** Per-block shapes (also sets the depth); empty = uniform blocks. */
        public Builder blocks(java.util.List<Block> v) {
            blocks = v;
            if (!v.isEmpty()) {
                depth = v.size();
            }
            return this;
        }

        public ModelSpec build() {
            return new ModelSpec(name, family, imageSize, channels, classes, patch, dim, depth, heads, mlpDim,
                    tokenMlpDim, pooling, dropout, dropPath, qkvBias, blocks);
        }
    }
}
