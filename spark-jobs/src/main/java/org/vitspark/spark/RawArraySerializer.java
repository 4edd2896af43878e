package org.vitspark.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo serializer for float and double INDArrays as shape + raw buffer bytes, one bulk copy each way.
 * ND4J's own Nd4jSerializer writes through a DataOutputStream value by value; for the parameters and
 * Adam state that every round broadcasts and every worker returns (3 × 4 bytes per parameter), that
 * was most of a round's averaging time (docs/benchmarks.md). Other types go through Nd4jSerializer.
 * Bytes are in native order: drivers and executors share it (x86-64 and aarch64 are little-endian).
 * The bytes pass through a small staging array rather than one of the array's size: Kryo copies into its
 * own buffer anyway, and a fresh array of 1.6 MB (tiny ViT) to 32 MB (small) per serialisation is a large
 * allocation the heap must zero and, on some VMs, fault in page by page (docs/benchmarks.md).
 */
final class RawArraySerializer extends Serializer<INDArray> {

    private static final byte OTHER = 0;
    private static final byte FLOAT = 1;
    private static final byte DOUBLE = 2;

    /** Bytes copied per step: large enough to amortise the per-call cost, small enough to stay in cache. */
    static final int STAGE_BYTES = 64 * 1024;

    private final Nd4jSerializer fallback = new Nd4jSerializer();
    /** Reused: a Kryo instance, and so its serializers, is used by one thread at a time. */
    private final byte[] stage = new byte[STAGE_BYTES];

    @Override
    public void write(Kryo kryo, Output out, INDArray a) {
        DataType t = a.dataType();
        if ((t != DataType.FLOAT && t != DataType.DOUBLE) || a.isEmpty()) {
            out.writeByte(OTHER);
            fallback.write(kryo, out, a);
            return;
        }
        INDArray c = RawArrays.contiguous(a);
        out.writeByte(t == DataType.FLOAT ? FLOAT : DOUBLE);
        long[] shape = c.shape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        int length = Math.toIntExact(c.length() * t.width());
        ByteBuffer raw = RawArrays.bytes(c);
        out.writeInt(length);
        for (int done = 0; done < length; ) {
            int n = Math.min(stage.length, length - done);
            raw.get(stage, 0, n);
            out.writeBytes(stage, 0, n);
            done += n;
        }
        // The direct buffer does not keep c (maybe a fresh dup) alive, and ND4J frees an unreachable array's memory.
        Reference.reachabilityFence(c);
    }

    @Override
    public INDArray read(Kryo kryo, Input in, Class<INDArray> type) {
        byte kind = in.readByte();
        if (kind == OTHER) {
            return fallback.read(kryo, in, type);
        }
        long[] shape = new long[in.readInt()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong();
        }
        INDArray a = Nd4j.createUninitialized(kind == FLOAT ? DataType.FLOAT : DataType.DOUBLE, shape, 'c');
        int length = in.readInt();
        ByteBuffer raw = RawArrays.bytes(a);
        for (int done = 0; done < length; ) {
            int n = Math.min(stage.length, length - done);
            in.readBytes(stage, 0, n);
            raw.put(stage, 0, n);
            done += n;
        }
        return a;
    }
}
