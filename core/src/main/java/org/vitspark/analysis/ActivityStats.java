package org.vitspark.analysis;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.vitspark.model.Intermediates;
import org.vitspark.model.ModelSpec;

/**
 * What the forward pass shows about the representation over an image set, as sums that add up across
 * workers: active MLP hidden units per block (activation &gt; 0 after GELU; Chen, Hsieh, Gong
 * 2021 section 4.3, docs/diagnostics.md), over-smoothing per block output (Gong et al. 2021's metric), and attention maps of the first
 * images. Mixers have token-MLP counts too and no attention.
 */
public final class ActivityStats implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One image's maps: its pixels (as evaluated), label, prediction and per-patch weights. */
    public record ImageMaps(float[] pixels, int label, int predicted, float[] lastLayer, float[] rollout)
            implements Serializable {
    }

    long images;
    final long[] mlpActive;
    final long[] mlpUnits;
    final long[] tokenMlpActive;
    final long[] tokenMlpUnits;
    final double[] smoothingSum;
    /** Over-smoothing of the final LayerNorm's output (what the patch losses act on): |r| of the block output. */
    double finalNormSmoothingSum;
    final List<ImageMaps> maps = new ArrayList<>();

    public ActivityStats(int depth, boolean mixer) {
        mlpActive = new long[depth];
        mlpUnits = new long[depth];
        tokenMlpActive = new long[mixer ? depth : 0];
        tokenMlpUnits = new long[mixer ? depth : 0];
        smoothingSum = new double[depth];
    }

    /** Adds one batch's intermediates; keeps maps for up to {@code maxMaps} images in total. */
    public void add(ModelSpec spec, Intermediates x, INDArray pixels, int[] labels, int maxMaps) {
        int b = (int) pixels.size(0);
        for (int i = 0; i < spec.depth(); i++) {
            INDArray h = x.mlpHidden().get(i);
            mlpActive[i] += h.scan(Conditions.greaterThan(0)).longValue();
            mlpUnits[i] += h.length();
            if (tokenMlpActive.length > 0) {
                INDArray ht = x.tokenMlpHidden().get(i);
                tokenMlpActive[i] += ht.scan(Conditions.greaterThan(0)).longValue();
                tokenMlpUnits[i] += ht.length();
            }
            smoothingSum[i] += OverSmoothing.sum(x.blockTokens().get(i), spec.hasClassToken() ? 1 : 0);
        }
        finalNormSmoothingSum += OverSmoothing.sum(x.finalNorm(), spec.hasClassToken() ? 1 : 0);
        int keep = Math.min(b, maxMaps - maps.size());
        if (keep > 0 && !x.attention().isEmpty()) {
            INDArray last = AttentionMaps.lastLayer(x.attention().get(spec.depth() - 1), spec.hasClassToken());
            INDArray rolled = AttentionMaps.rollout(x.attention(), spec.hasClassToken());
            INDArray predicted = x.logits().argMax(1);
            for (int i = 0; i < keep; i++) {
                maps.add(new ImageMaps(floats(pixels.get(NDArrayIndex.point(i))), labels[i], predicted.getInt(i),
                        floats(last.getRow(i)), floats(rolled.getRow(i))));
            }
        }
        images += b;
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Sums another worker's stats into this one; its maps follow this one's (up to {@code maxMaps}). */
    public ActivityStats plus(ActivityStats o, int maxMaps) {
        images += o.images;
        for (int i = 0; i < mlpActive.length; i++) {
            mlpActive[i] += o.mlpActive[i];
            mlpUnits[i] += o.mlpUnits[i];
            smoothingSum[i] += o.smoothingSum[i];
        }
        finalNormSmoothingSum += o.finalNormSmoothingSum;
        for (int i = 0; i < tokenMlpActive.length; i++) {
            tokenMlpActive[i] += o.tokenMlpActive[i];
            tokenMlpUnits[i] += o.tokenMlpUnits[i];
        }
        for (ImageMaps m : o.maps) {
            if (maps.size() < maxMaps) {
                maps.add(m);
            }
        }
        return this;
    }

    public long images() {
        return images;
    }

    /** Fraction of (channel-)MLP hidden units with activation &gt; 0, per block. */
    public double[] activeRatio() {
        return ratio(mlpActive, mlpUnits);
    }

    /** Mixer only: fraction of token-MLP hidden units with activation &gt; 0, per block (empty for ViT). */
    public double[] tokenActiveRatio() {
        return ratio(tokenMlpActive, tokenMlpUnits);
    }

    /** Mean absolute patch-token cosine similarity after each block. */
    public double[] overSmoothing() {
        double[] out = new double[smoothingSum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = smoothingSum[i] / images;
        }
        return out;
    }

    /**
     * Mean absolute patch-token cosine after the final LayerNorm: LayerNorm centres each token, so this is
     * the mean |Pearson r| of the last block's tokens, a different number from its |cos|.
     */
    public double overSmoothingFinalNorm() {
        return finalNormSmoothingSum / images;
    }

    public List<ImageMaps> maps() {
        return maps;
    }

    private static double[] ratio(long[] active, long[] units) {
        double[] out = new double[active.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (double) active[i] / units[i];
        }
        return out;
    }
}
