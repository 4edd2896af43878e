package org.vitspark.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The result of {@link TransformerNet#forward}: logits, and with {@code keep} the caches and the named
 * intermediates. Objectives read single intermediates through the accessors (each a view made on demand,
 * so a loss on the logits pays for nothing else); probes take them all at once with {@link #intermediates}.
 */
public final class Forward {

    final Pass pass;
    final ModelSpec spec;
    final INDArray logits;
    Embedding.Cache embedding;
    INDArray embedded;
    final List<Object> blocks = new ArrayList<>();
    final List<INDArray> blockTokens = new ArrayList<>();
    Head.Cache head;
    /** The classifier's weight [classes, D] (a view of the parameters): how a logits gradient reaches the pooled features. */
    INDArray headWeight;

    Forward(Pass pass, ModelSpec spec, INDArray logits) {
        this.pass = pass;
        this.spec = spec;
        this.logits = logits;
    }

    public INDArray logits() {
        return logits;
    }

    public Pass pass() {
        return pass;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The patch embedding before class token and position embedding, [B, N, D]; null unless the pass kept it. */
    public INDArray patchEmbed() {
        INDArray p = kept().embedding.patchTokens();
        return p == null ? null
                : p.reshape('c', pass.batch(), pass.tokens() - (spec.hasClassToken() ? 1 : 0), spec.dim());
    }

    /** The first block's input, [B, T, D]. */
    public INDArray embedded() {
        return tokens(kept().embedded);
    }

    /** The output of block {@code block}, [B, T, D]. */
    public INDArray blockTokens(int block) {
        return tokens(kept().blockTokens.get(block));
    }

    /** The attention probabilities of block {@code block}, [B, H, T, T]; ViT only. */
    public INDArray attention(int block) {
        if (!(kept().blocks.get(block) instanceof VitBlock.Cache v)) {
            throw new IllegalStateException("a Mixer block has no attention");
        }
        int t = pass.tokens();
        return v.attn().probs().reshape('c', pass.batch(), spec.block(block).heads(), t, t);
    }

    /** Tokens after the final LayerNorm, [B, T, D]. */
    public INDArray finalNorm() {
        return tokens(kept().head.normed());
    }

    /** What the classifier reads: class token or mean token after the final LayerNorm, [B, D]. */
    public INDArray pooled() {
        return kept().head.pooled();
    }

    /**
     * The norm of what a loss's gradients {@code d} carry to the final LayerNorm's output tokens: their gradient
     * there plus the pooled features' (given or from the logits through the classifier), spread over the
     * tokens the pooling read. Different losses' shares of the gradient compare here, where all of them
     * pass.
     */
    public double gradientNormAtFinalNorm(IntermediateGradients d) {
        kept();
        INDArray atTokens = d.get(IntermediateGradients.Site.FINAL_NORM);
        INDArray total = atTokens == null ? Nd4j.zeros(logits.dataType(), pass.batch(), pass.tokens(), spec.dim())
                : atTokens.dup();
        INDArray pooledGrad = d.get(IntermediateGradients.Site.POOLED) == null ? null
                : d.get(IntermediateGradients.Site.POOLED).dup();
        INDArray dLogits = d.get(IntermediateGradients.Site.LOGITS);
        if (dLogits != null) {
            INDArray viaHead = dLogits.mmul(headWeight);
            pooledGrad = pooledGrad == null ? viaHead : pooledGrad.addi(viaHead);
        }
        if (pooledGrad != null) {
            if (spec.hasClassToken()) {
                total.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).addi(pooledGrad);
            } else {
                total.addi(pooledGrad.div(pass.tokens()).reshape('c', pass.batch(), 1, spec.dim())
                        .broadcast(total.shape()));
            }
        }
        return total.norm2Number().doubleValue();
    }

    /** The named intermediates all at once; requires a pass run with {@code keep}. */
    public Intermediates intermediates() {
        kept();
        List<INDArray> attention = new ArrayList<>();
        List<INDArray> mlp = new ArrayList<>();
        List<INDArray> tokenMlp = new ArrayList<>();
        List<INDArray> tokens = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Object c = blocks.get(i);
            if (c instanceof VitBlock.Cache v) {
                attention.add(attention(i));
                mlp.add(v.mlp().hidden());
            } else if (c instanceof MixerBlock.Cache x) {
                mlp.add(x.channels().hidden());
                tokenMlp.add(x.tokens().hidden());
            }
            tokens.add(blockTokens(i));
        }
        return new Intermediates(patchEmbed(), embedded(), tokens, attention, mlp, tokenMlp, finalNorm(), pooled(),
                logits);
    }

    private Forward kept() {
        if (head == null) {
            throw new IllegalStateException("forward pass was run without keep=true");
        }
        return this;
    }

    private INDArray tokens(INDArray rows) {
        return rows.reshape('c', pass.batch(), pass.tokens(), spec.dim());
    }
}
