package org.vitspark.model;

/**
 * Parameter and multiply-accumulate counts of a spec, for one 224-px (or whatever size) image. MACs
 * count the matrix products, which is what the ViT papers call FLOPs (DeiT-Ti: 1.3 G
 * "FLOPs", Touvron et al. 2021 Table 1, is 1.26 G multiply-accumulates): patch embedding, qkv, q·kᵀ, attention·v, projection, MLPs, Mixer token mixing, head.
 * Normalisation, softmax and GELU are not counted, as in fvcore/timm.
 */
public final class ModelSize {

    private ModelSize() {
    }

    public static long params(ModelSpec m) {
        return ParamLayout.of(m).total();
    }

    /**
     * Multiply-accumulates of one forward pass of one image. Convention (docs/decisions.md D29): every token
     * the blocks see counts, the class token included, and the classifier is D·classes. For DeiT-Ti/16 this
     * is 1,253,683,200; the ViTAS code's counter ignores the class token (1,246,563,840 with a D·classes
     * head) and adds a quirky N·D·classes head (1,284,003,840).
     */
    public static long macs(ModelSpec m) {
        long t = m.tokens();
        long d = m.dim();
        long macs = (long) m.patchTokens() * m.patchInputs() * d;
        for (int i = 0; i < m.depth(); i++) {
            if (m.family() == ModelSpec.Family.VIT) {
                ModelSpec.Block k = m.block(i);
                long a = k.attnDim();
                macs += t * d * 3 * a         // qkv
                        + 2 * t * t * a       // q·kᵀ and attention·v over all heads
                        + t * a * d           // projection
                        + 2 * t * d * k.mlpDim();
            } else {
                macs += 2 * d * t * m.tokenMlpDim() + 2 * t * d * m.mlpDim();
            }
        }
        return macs + d * m.classes();
    }
}
