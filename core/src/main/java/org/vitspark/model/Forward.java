package org.vitspark.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The result of {@link TransformerNet#forward}: logits, and with {@code keep} the caches and intermediates. */
public final class Forward {

    final Pass pass;
    final INDArray logits;
    Embedding.Cache embedding;
    INDArray embedded;
    final List<Object> blocks = new ArrayList<>();
    final List<INDArray> blockTokens = new ArrayList<>();
    Head.Cache head;

    Forward(Pass pass, INDArray logits) {
        this.pass = pass;
        this.logits = logits;
    }

    public INDArray logits() {
        return logits;
    }

    public Pass pass() {
        return pass;
    }

    /** The named intermediates; requires a pass run with {@code keep}. */
    public Intermediates intermediates(ModelSpec m) {
        if (head == null) {
            throw new IllegalStateException("forward pass was run without keep=true");
        }
        List<INDArray> attention = new ArrayList<>();
        List<INDArray> mlp = new ArrayList<>();
        List<INDArray> tokenMlp = new ArrayList<>();
        List<INDArray> tokens = new ArrayList<>();
        int b = pass.batch();
        int t = pass.tokens();
        for (Object c : blocks) {
            if (c instanceof VitBlock.Cache v) {
                attention.add(v.attn().probs().reshape('c', b, m.heads(), t, t));
                mlp.add(v.mlp().hidden());
            } else if (c instanceof MixerBlock.Cache x) {
                mlp.add(x.channels().hidden());
                tokenMlp.add(x.tokens().hidden());
            }
        }
        for (INDArray x : blockTokens) {
            tokens.add(x.reshape('c', b, t, m.dim()));
        }
        return new Intermediates(embedded.reshape('c', b, t, m.dim()), tokens, attention, mlp, tokenMlp,
                head.pooled(), logits);
    }
}
