package org.vitspark.augment;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batch's targets as one label array. Plain batches carry the class targets alone, [B, C]. Batches
 * mixed by patch-aligned CutMix for the patch-mixing loss carry, per image, the mixed class target, the
 * image's own label, its partner's label and which patches came from the partner:
 * [B, 3C + n] = [mixed | own | partner | mask]. The class head reads the first C columns either way.
 */
public final class MixedTargets {

    private MixedTargets() {
    }

    /** The packed row of one image (mask: true = the patch comes from the partner). */
    public static float[] pack(float[] mixed, float[] own, float[] partner, boolean[] patchFromPartner) {
        int c = mixed.length;
        float[] row = new float[3 * c + patchFromPartner.length];
        System.arraycopy(mixed, 0, row, 0, c);
        System.arraycopy(own, 0, row, c, c);
        System.arraycopy(partner, 0, row, 2 * c, c);
        for (int i = 0; i < patchFromPartner.length; i++) {
            row[3 * c + i] = patchFromPartner[i] ? 1f : 0f;
        }
        return row;
    }

    /** The class head's targets, [B, C] (a view when the labels are packed). */
    public static INDArray classTargets(INDArray labels, int classes) {
        return labels.size(1) == classes ? labels
                : labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, classes));
    }

    /**
     * Each patch's target, the label of the image the patch came from, [B·n, C] in patch-major order per
     * image. Without packed mixing information every patch of an image gets the image's class target.
     */
    public static INDArray patchTargets(INDArray labels, int classes, int patches) {
        long b = labels.size(0);
        if (labels.size(1) == classes) {
            return classTargets(labels, classes).reshape('c', b, 1, classes).broadcast(b, patches, classes).dup('c')
                    .reshape('c', b * patches, classes);
        }
        if (labels.size(1) != 3L * classes + patches) {
            throw new IllegalArgumentException("labels have " + labels.size(1) + " columns: expected " + classes
                    + " or " + (3L * classes + patches) + " (class targets, own and partner labels, patch mask)");
        }
        INDArray own = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(classes, 2 * classes));
        INDArray partner = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * classes, 3 * classes));
        INDArray mask = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * classes, 3 * classes + patches))
                .dup('c').reshape('c', b, patches, 1);
        INDArray own3 = own.dup('c').reshape('c', b, 1, classes).broadcast(b, patches, classes);
        INDArray partner3 = partner.dup('c').reshape('c', b, 1, classes).broadcast(b, patches, classes);
        INDArray fromPartner = mask.broadcast(b, patches, classes);
        INDArray out = Nd4j.createUninitialized(labels.dataType(), b, patches, classes);
        // mask·partner + (1 − mask)·own
        out.assign(partner3.mul(fromPartner).addi(own3.mul(fromPartner.rsub(1.0))));
        return out.reshape('c', b * patches, classes);
    }
}
