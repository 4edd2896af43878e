package org.vitspark.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

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
        Map<String, INDArray> p = paramViews(params);
        Pass pass = new Pass((int) images.size(0), spec.tokens(), training, dropSeed, keep);
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
        Forward out = new Forward(pass, logits);
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

    /**
     * Backpropagates dLoss/dLogits through a kept forward pass, writing every parameter's gradient into
     * {@code grads} (same layout as the parameters). Returns dLoss/dImages when asked, else null.
     */
    public INDArray backward(INDArray params, Forward f, INDArray dLogits, INDArray grads, boolean needInputGrad) {
        if (f.head == null) {
            throw new IllegalStateException("backward needs a forward pass run with keep=true");
        }
        Map<String, INDArray> p = paramViews(params);
        Map<String, INDArray> g = gradViews(grads);
        INDArray dx = Head.backward(dLogits, spec, p, g, f.pass, f.head);
        for (int i = spec.depth() - 1; i >= 0; i--) {
            Object c = f.blocks.get(i);
            dx = c instanceof VitBlock.Cache v
                    ? VitBlock.backward(dx, i, spec, p, g, f.pass, v)
                    : MixerBlock.backward(dx, i, spec, p, g, f.pass, (MixerBlock.Cache) c);
        }
        return Embedding.backward(dx, spec, p, g, f.pass, f.embedding, needInputGrad);
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
