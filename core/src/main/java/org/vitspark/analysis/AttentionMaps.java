package org.vitspark.analysis;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where a ViT looks, per image, as one weight per patch (Chen, Hsieh, Gong 2021 compare such maps; rollout: Abnar and Zuidema 2020):
 * <ul>
 * <li>last layer: the class token's attention to each patch, averaged over heads;</li>
 * <li>rollout (Abnar &amp; Zuidema 2020): per layer Â = ½(mean-over-heads A) + ½I (the residual path),
 *     rows renormalised, multiplied from the first layer up, R = Â_L ⋯ Â_1; the class token's row of R.</li>
 * </ul>
 * A model pooled by the mean of its patch tokens (GAP) has no class token; its maps average the rows of
 * all patch queries instead.
 */
public final class AttentionMaps {

    private AttentionMaps() {
    }

    /** [B, patches] from the last block's attention [B, H, T, T]. */
    public static INDArray lastLayer(INDArray attention, boolean classToken) {
        return queryRow(attention.mean(1), classToken);
    }

    /** [B, patches] by attention rollout over all blocks' attention, each [B, H, T, T]. */
    public static INDArray rollout(List<INDArray> attention, boolean classToken) {
        INDArray first = attention.get(0);
        long b = first.size(0);
        long t = first.size(2);
        INDArray eye = Nd4j.eye(t).castTo(DataType.DOUBLE);
        INDArray rolled = Nd4j.create(DataType.DOUBLE, b, t, t);
        for (long i = 0; i < b; i++) {
            INDArray r = eye.dup();
            for (INDArray layer : attention) {
                INDArray a = layer.get(NDArrayIndex.point(i)).mean(0).castTo(DataType.DOUBLE).muli(0.5).addi(eye.mul(0.5));
                a.diviColumnVector(a.sum(true, 1));
                r = a.mmul(r);
            }
            rolled.get(NDArrayIndex.point(i)).assign(r);
        }
        return queryRow(rolled, classToken);
    }

    // [B, T, T] → [B, patches]: the class token's row over the patch columns, or the mean patch-query row
    private static INDArray queryRow(INDArray perImage, boolean classToken) {
        long t = perImage.size(1);
        if (classToken) {
            return perImage.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.interval(1, t)).dup();
        }
        return perImage.mean(1);
    }
}
