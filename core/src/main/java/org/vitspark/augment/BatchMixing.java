package org.vitspark.augment;

import java.util.SplittableRandom;

/**
 * A batch's mixing step, shared by the shard reader and the local trainer: Mixup or CutMix (one per batch,
 * a coin flip when both are on) and the batch's label rows. With {@code patchTargets} each row is packed
 * for the patch-mixing loss ({@link MixedTargets}: mixed target, own label, partner label, CutMix's patch
 * mask); a batch that Mixup blended, or that was not mixed, has no patch assignment, so its patches take
 * the image's mixed target.
 */
public final class BatchMixing {

    /** The batch after mixing: images, label rows and CutMix's per-image patch mask (null without CutMix). */
    public record Batch(Pixels[] images, float[][] labels, boolean[][] patchFromPartner) {
    }

    private BatchMixing() {
    }

    /**
     * @param targets one-hot class targets [B][classes]
     * @param patch the model's patch side (CutMix snaps its box to it)
     * @param mixProb the probability the batch is mixed at all (drawn only when below 1, so that a batch
     *                mixed always draws exactly what it drew before the option existed)
     * @param r the batch's generator (null when neither Mixup nor CutMix is on)
     */
    public static Batch apply(Pixels[] images, float[][] targets, double mixup, double cutmix, double mixProb,
                              int patch, boolean patchTargets, SplittableRandom r) {
        Pixels[] out = images;
        float[][] mixed = targets;
        boolean[][] fromPartner = null;
        if ((mixup > 0 || cutmix > 0) && (mixProb >= 1 || r.nextDouble() < mixProb)) {
            boolean cut = cutmix > 0 && (mixup <= 0 || r.nextBoolean());
            Mixing.Mixed m = cut ? Mixing.cutmix(images, targets, cutmix, patch, r) : Mixing.mixup(images, targets, mixup, r);
            out = m.images();
            mixed = m.targets();
            fromPartner = m.patchFromPartner();
        }
        if (!patchTargets) {
            return new Batch(out, mixed, fromPartner);
        }
        int n = images.length;
        int patches = (images[0].height() / patch) * (images[0].width() / patch);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = fromPartner != null
                    ? MixedTargets.pack(mixed[i], targets[i], targets[n - 1 - i], fromPartner[i])
                    : MixedTargets.pack(mixed[i], mixed[i], mixed[i], new boolean[patches]);
        }
        return new Batch(out, rows, fromPartner);
    }
}
