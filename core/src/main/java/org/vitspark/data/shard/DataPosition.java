package org.vitspark.data.shard;

import java.io.Serializable;

/**
 * Where a shard reader is in its stream: epoch, the ordinal of the shard in that epoch's shard order and
 * the offset of the next image in that shard's (shuffled) row order. A checkpoint records it; a reader
 * started there yields exactly the batches an uninterrupted reader would have yielded next.
 * A plain class, not a record: Spark's Kryo cannot serialise records.
 */
public final class DataPosition implements Serializable {

    private final int epoch;
    private final int shard;
    private final int offset;

    public DataPosition(int epoch, int shard, int offset) {
        if (epoch < 0 || shard < 0 || offset < 0) {
            throw new IllegalArgumentException("negative data position " + epoch + "/" + shard + "/" + offset);
        }
        this.epoch = epoch;
        this.shard = shard;
        this.offset = offset;
    }

    /** The start of an epoch. */
    public static DataPosition start(int epoch) {
        return new DataPosition(epoch, 0, 0);
    }

    public int epoch() {
        return epoch;
    }

    public int shard() {
        return shard;
    }

    public int offset() {
        return offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataPosition p && p.epoch == epoch && p.shard == shard && p.offset == offset;
    }

    @Override
    public int hashCode() {
        return (epoch * 31 + shard) * 31 + offset;
    }

    /** epoch/shard/offset, the form logs and checkpoints use. */
    @Override
    public String toString() {
        return epoch + "/" + shard + "/" + offset;
    }
}
