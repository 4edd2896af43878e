package org.vitspark.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.model.IntermediateGradients.Site;

/**
 * The ViT / MLP-Mixer forward and backward passes over a flat parameter vector ({@link ParamLayout}),
 * written out by hand: one implementation serves training, evaluation and every probe that needs
 * intermediates. Composed from ND4J ops, so it runs on any ND4J backend (CPU or CUDA) and in any
 * floating-point type (double for gradient checks).
 */
public final class TransformerNet {

    private final ModelSpec spec;
    private final ParamLayout layout;
    // Named views of the last parameter and gradient arrays seen: a training loop passes the same two
    // arrays every step (updated in place), and building ~50 views per pass showed up in profiles.
    private INDArray viewedParams;
    private Map<String, INDArray> paramViews;
    private INDArray viewedGrads;
    private Map<String, INDArray> gradViews;

    public TransformerNet(ModelSpec spec) {
        this.spec = spec;
        this.layout = ParamLayout.of(spec);
    }

    public ModelSpec spec() {
        return spec;
    }

    public ParamLayout layout() {
        return layout;
    }

    /**
     * @param params flat parameters
     * @param images [B, C, H, W]
     * @param training dropout and drop path on (masks derived from {@code dropSeed})
     * @param keep keep caches for {@link #backward} and {@link Forward#intermediates}
     */
    public Forward forward(INDArray params, INDArray images, boolean training, long dropSeed, boolean keep) {
        return forward(params, images, training, dropSeed, keep, keep && spec.hasClassToken());
    }

    /**
     * As above; {@code keepPatchTokens} also keeps the patch embedding before the position embedding
     * ({@link Intermediates#patchEmbed()}), which costs a copy for models without a class token.
     */
    public Forward forward(INDArray params, INDArray images, boolean training, long dropSeed, boolean keep,
                           boolean keepPatchTokens) {
        Map<String, INDArray> p = paramViews(params);
        Pass pass = new Pass((int) images.size(0), PosGrid.tokens(spec, PosGrid.side(spec, images)), training, dropSeed, keep, keep && keepPatchTokens);
        Embedding.Cache[] emb = keep ? new Embedding.Cache[1] : null;
        INDArray x = Embedding.forward(images, spec, p, pass, emb);
        INDArray embedded = x;
        Object[] blockCaches = new Object[spec.depth()];
        INDArray[] tokens = new INDArray[spec.depth()];
        for (int i = 0; i < spec.depth(); i++) {
            if (spec.family() == ModelSpec.Family.VIT) {
                VitBlock.Cache[] c = keep ? new VitBlock.Cache[1] : null;
                x = VitBlock.forward(x, i, spec, p, pass, c);
                blockCaches[i] = keep ? c[0] : null;
            } else {
                MixerBlock.Cache[] c = keep ? new MixerBlock.Cache[1] : null;
                x = MixerBlock.forward(x, i, spec, p, pass, c);
                blockCaches[i] = keep ? c[0] : null;
            }
            tokens[i] = x;
        }
        Head.Cache[] head = keep ? new Head.Cache[1] : null;
        INDArray logits = Head.forward(x, spec, p, pass, head);
        Forward out = new Forward(pass, spec, logits);
        out.headWeight = p.get("head.weight");
        if (keep) {
            out.embedding = emb[0];
            out.embedded = embedded;
            out.head = head[0];
            for (int i = 0; i < spec.depth(); i++) {
                out.blocks.add(blockCaches[i]);
                out.blockTokens.add(tokens[i]);
            }
        }
        return out;
    }

    /** As {@link #backward(INDArray, Forward, IntermediateGradients, INDArray, boolean)} for a loss on the logits only. */
    public INDArray backward(INDArray params, Forward f, INDArray dLogits, INDArray grads, boolean needInputGrad) {
        return backward(params, f, IntermediateGradients.ofLogits(spec.depth(), dLogits), grads, needInputGrad);
    }

    /**
     * Backpropagates a loss's gradients with respect to the pass's intermediates through a kept forward pass,
     * adding each injected gradient where its intermediate was produced, and writes every parameter's
     * gradient into {@code grads} (same layout as the parameters; every model entry is overwritten). Returns
     * dLoss/dImages when asked, else null.
     */
    public INDArray backward(INDArray params, Forward f, IntermediateGradients d, INDArray grads, boolean needInputGrad) {
        if (f.head == null) {
            throw new IllegalStateException("backward needs a forward pass run with keep=true");
        }
        Map<String, INDArray> p = paramViews(params);
        Map<String, INDArray> g = gradViews(grads);
        int b = f.pass.batch();
        int t = f.pass.tokens();
        INDArray dx = Head.backward(d.get(Site.LOGITS), d.get(Site.POOLED), rows(d.get(Site.FINAL_NORM), b, t), spec, p, g, f.pass, f.head);
        for (int i = spec.depth() - 1; i >= 0; i--) {
            dx = addTo(dx, rows(d.blockTokens(i), b, t));
            Object c = f.blocks.get(i);
            if (c instanceof VitBlock.Cache v) {
                dx = VitBlock.backward(dx, d.attention(i), i, spec, p, g, f.pass, v);
            } else if (d.attention(i) != null) {
                throw new IllegalArgumentException("a Mixer block has no attention to take a gradient at");
            } else {
                dx = MixerBlock.backward(dx, i, spec, p, g, f.pass, (MixerBlock.Cache) c);
            }
        }
        dx = addTo(dx, rows(d.get(Site.EMBEDDED), b, t));
        INDArray dPatch = d.get(Site.PATCH_EMBED) == null ? null
                : d.get(Site.PATCH_EMBED).reshape('c', (long) b * (t - (spec.hasClassToken() ? 1 : 0)), spec.dim());
        return Embedding.backward(dx, dPatch, spec, p, g, f.pass, f.embedding, needInputGrad);
    }

    /** [B, T, D] → the [B·T, D] rows the blocks work on (null stays null). */
    private INDArray rows(INDArray tokens, int batch, int t) {
        return tokens == null ? null : tokens.reshape('c', (long) batch * t, spec.dim());
    }

    /** dx + injected, in place: dx is the backward pass's own array, never a caller's. */
    private static INDArray addTo(INDArray dx, INDArray injected) {
        return injected == null ? dx : dx.addi(injected);
    }

    private synchronized Map<String, INDArray> paramViews(INDArray params) {
        if (params != viewedParams) {
            paramViews = layout.views(params);
            viewedParams = params;
        }
        return paramViews;
    }

    private synchronized Map<String, INDArray> gradViews(INDArray grads) {
        if (grads != viewedGrads) {
            gradViews = layout.views(grads);
            viewedGrads = grads;
        }
        return gradViews;
    }
}
