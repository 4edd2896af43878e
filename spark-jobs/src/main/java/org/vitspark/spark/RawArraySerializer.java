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
 */
final class RawArraySerializer extends Serializer<INDArray> {

    private static final byte OTHER = 0;
    private static final byte FLOAT = 1;
    private static final byte DOUBLE = 2;

    private final Nd4jSerializer fallback = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output out, INDArray a) {
        DataType t = a.dataType();
        if ((t != DataType.FLOAT && t != DataType.DOUBLE) || a.isEmpty()) {
            out.writeByte(OTHER);
            fallback.write(kryo, out, a);
            return;
        }
        // The buffer must hold exactly this array in c order (not a view into a larger one).
        INDArray c = a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
        out.writeByte(t == DataType.FLOAT ? FLOAT : DOUBLE);
        long[] shape = c.shape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        byte[] bytes = new byte[(int) (c.length() * t.width())];
        ByteBuffer raw = c.data().asNio();
        raw.position(0);
        raw.get(bytes);
        // The direct buffer does not keep c (maybe a fresh dup) alive, and ND4J frees an unreachable array's memory.
        Reference.reachabilityFence(c);
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
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
        byte[] bytes = in.readBytes(in.readInt());
        ByteBuffer raw = a.data().asNio();
        raw.position(0);
        raw.put(bytes);
        return a;
    }
}
