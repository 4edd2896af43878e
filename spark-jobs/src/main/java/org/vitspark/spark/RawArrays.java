package org.vitspark.spark;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An INDArray's elements as one run of raw bytes in its off-heap buffer, for the paths that copy arrays
 * in bulk ({@link RawArraySerializer}, the averaging rounds' socket). The caller keeps the array returned
 * by {@link #contiguous} reachable while it uses the bytes: a direct buffer does not hold its INDArray,
 * and ND4J frees an unreachable array's memory.
 */
public final class RawArrays {

    private RawArrays() {
    }

    /** {@code a} when its buffer holds exactly its elements in c order, else such a copy (a view, f order). */
    public static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
    }

    /** The buffer of a {@link #contiguous} array, positioned at its first byte. */
    public static ByteBuffer bytes(INDArray contiguous) {
        ByteBuffer raw = contiguous.data().asNio();
        raw.position(0);
        return raw;
    }
}
