package org.vitspark.config;

import java.io.Serializable;

/**
 * {@code data.*}: the dataset, its splits and how it is read.
 *
 * @param layout idx (Fashion-MNIST/MNIST files, made into shards on first use) or shards (a shard folder)
 * @param shards where shards made from idx files go; empty = RUN_ROOT/shards/NAME
 * @param trainLimit first N training images only; 0 = all
 * @param testLimit first N test images only; 0 = all
 * @param readerThreads decode + augment threads per reader; 0 = one per core
 * @param holdout training images set aside as split {@code holdout} when shards are made from idx files
 *                (a seeded choice; architecture search scores candidates on it); 0 = none
 * @param holdoutSeed the seed of that choice (independent of run.seed, so every run sees the same split)
 * @param skipBadRecords data.bad-records = skip (else fail): an image that does not verify or decode is left out
 */
public record DataSettings(String path, String layout, String shards, String trainSplit, String evalSplit,
                           int trainLimit, int testLimit, int readerThreads, int prefetchBatches, int holdout,
                           long holdoutSeed, boolean skipBadRecords)
        implements Serializable {

    /** Whether {@link #path()} is a shard folder already (else idx files to make shards from). */
    public boolean isShards() {
        return "shards".equals(layout);
    }
}
