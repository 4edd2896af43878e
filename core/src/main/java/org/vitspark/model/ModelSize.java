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

    public static long macs(ModelSpec m) {
        long t = m.tokens();
        long d = m.dim();
        long macs = (long) m.patchTokens() * m.patchInputs() * d;
        long block;
        if (m.family() == ModelSpec.Family.VIT) {
            block = t * d * 3 * d      // qkv
                    + 2 * t * t * d    // q·kᵀ and attention·v over all heads
                    + t * d * d        // projection
                    + 2 * t * d * m.mlpDim();
        } else {
            block = 2 * d * t * m.tokenMlpDim() + 2 * t * d * m.mlpDim();
        }
        return macs + m.depth() * block + d * m.classes();
    }
}
