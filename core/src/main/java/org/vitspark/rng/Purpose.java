package org.vitspark.rng;

/**
 * What a derived generator is for: one coordinate of {@link Rng#of}, so two uses of the same (seed, epoch,
 * ...) never share a stream. The codes are part of the bits a seed produces: changing one changes every
 * run that uses it (and breaks exact resume of runs in flight), so they are fixed here once.
 */
public enum Purpose {
    /** The network's initial parameters (with the tensor's name as a further coordinate). */
    PARAM_INIT(1),
    /** Dropout and drop-path masks (with iteration, epoch and worker). */
    DROPOUT(2),
    /** The class-balanced assignment of images to shards when preprocessing. */
    SHARD_PLAN(0x5A4D),
    /** The order of a worker's shards in an epoch. */
    SHARD_ORDER(0x5AD0),
    /** The order of the rows inside one shard in an epoch. */
    ROW_ORDER(0x20D3),
    /** One image's augmentation. */
    AUGMENT(0xA6),
    /** One batch's Mixup/CutMix draw. */
    MIX(0x313),
    /** The supernet's genome at one training step (architecture search). */
    GENOME(0x6E0),
    /** The genome samples that calibrate the identity probability. */
    CALIBRATION(0xCA1),
    /** The evolutionary search's draws in one generation. */
    EVOLUTION(0xE70),
    /** The training images set aside as the held-out split. */
    HOLDOUT(0x401D);

    public final long code;

    Purpose(long code) {
        this.code = code;
    }
}
