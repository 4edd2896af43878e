package org.vitspark.config;

import java.io.Serializable;
import java.util.List;
import org.vitspark.augment.DinoViews;
import org.vitspark.augment.Pipeline;
import org.vitspark.dino.DinoSpec;

/**
 * What a shard reader reads and how: the split and this reader's shard indices (positions in the
 * manifest's list), the output geometry, the augmentation pipeline, shuffling and batch-level mixing, and
 * its parallelism. Serializable: the driver builds it, executors read with it.
 *
 * @param shuffle   shuffle the shard order and each shard's rows per epoch (training); else manifest order
 * @param dropLast  leave out the epoch's last partial batch (training)
 * @param mixup     Mixup alpha, 0 = off
 * @param cutmix    CutMix alpha, 0 = off (both on: each batch picks one)
 * @param patch     the model's patch side (CutMix snaps to it)
 * @param threads   decode + augment threads; 0 = one per core
 * @param prefetch  batches prepared ahead of the consumer
 * @param patchTargets label batches with each image's own and partner label and CutMix's patch mask
 *                  ({@link org.vitspark.augment.MixedTargets}), for the patch-mixing loss
 * @param views     DINO multi-crop views packed into each row instead of one image (self-distillation;
 *                  {@code pipeline} and mixing then do not apply), or null
 * @param dino      the views' layout (sizes and counts), with {@code views}
 * @param mixProb   the probability that a batch is mixed at all when Mixup/CutMix is on (1 = every batch)
 * @param skipBadRecords data.bad-records = skip: an image that does not verify or decode is left out of its
 *                  batch (logged and counted) instead of failing the run
 */
public record ReaderSettings(String split, List<Integer> shards, long seed, int batch, int imageSize, int channels,
                             int classes, Pipeline pipeline, boolean shuffle, boolean dropLast, double mixup,
                             double cutmix, int patch, int threads, int prefetch, boolean patchTargets,
                             DinoViews views, DinoSpec dino, double mixProb, boolean skipBadRecords)
        implements Serializable {

    /** Settings that fail on a bad record (data.bad-records = fail). */
    public ReaderSettings(String split, List<Integer> shards, long seed, int batch, int imageSize, int channels,
                          int classes, Pipeline pipeline, boolean shuffle, boolean dropLast, double mixup,
                          double cutmix, int patch, int threads, int prefetch, boolean patchTargets,
                          DinoViews views, DinoSpec dino, double mixProb) {
        this(split, shards, seed, batch, imageSize, channels, classes, pipeline, shuffle, dropLast, mixup, cutmix,
                patch, threads, prefetch, patchTargets, views, dino, mixProb, false);
    }

    public ReaderSettings {
        shards = List.copyOf(shards);
        if (batch < 1 || imageSize < 1 || (channels != 1 && channels != 3) || prefetch < 1 || threads < 0) {
            throw new IllegalArgumentException("bad reader settings: batch " + batch + ", image " + imageSize
                    + ", channels " + channels + ", prefetch " + prefetch + ", threads " + threads);
        }
    }

    /** The same settings over other shards (one worker's share). */
    public ReaderSettings withShards(List<Integer> other) {
        return new ReaderSettings(split, other, seed, batch, imageSize, channels, classes, pipeline, shuffle, dropLast,
                mixup, cutmix, patch, threads, prefetch, patchTargets, views, dino, mixProb, skipBadRecords);
    }

    /** The same settings reading DINO's packed views (no mixing). */
    public ReaderSettings withViews(DinoViews v, DinoSpec d) {
        return new ReaderSettings(split, shards, seed, batch, imageSize, channels, classes, pipeline, shuffle, dropLast,
                0, 0, patch, threads, prefetch, false, v, d, 1, skipBadRecords);
    }
}
