package org.vitspark.averaging;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A sum of workers' parameters and updater states, with the reports of every worker it covers. Sums are
 * always formed in worker order, so an average is the same bits however Spark schedules the tasks or
 * retries them: that is what makes a resumed or retried run equal an uninterrupted one.
 */
public final class PartialSum implements Serializable, KryoSerializable {

    private static final long serialVersionUID = 1L;

    /** Position at the current level of the reduction tree (the worker index at the leaves). */
    int index;
    transient INDArray params;
    transient INDArray updater;
    /** Workers whose parameters are in the sum (a worker without data or with a skipped non-finite step is not). */
    int contributors;
    TreeMap<Integer, WorkerReport> reports = new TreeMap<>();

    PartialSum(int index) {
        this.index = index;
    }

    /*
     * Arrays travel as raw little-endian float bytes in one bulk copy each. ND4J's Kryo registrator writes
     * an INDArray value by value, which made a round of the small ViT spend a third of its averaging time
     * serialising (docs/benchmarks.md).
     */
    @Override
    public void write(Kryo kryo, Output out) {
        out.writeInt(index);
        out.writeInt(contributors);
        writeArray(out, params);
        writeArray(out, updater);
        kryo.writeObject(out, reports);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void read(Kryo kryo, Input in) {
        index = in.readInt();
        contributors = in.readInt();
        params = readArray(in);
        updater = readArray(in);
        reports = kryo.readObject(in, TreeMap.class);
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        out.writeObject(bytes(params));
        out.writeObject(bytes(updater));
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        params = array((byte[]) in.readObject());
        updater = array((byte[]) in.readObject());
    }

    private static void writeArray(Output out, INDArray a) {
        byte[] b = bytes(a);
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.writeBytes(b);
        }
    }

    private static INDArray readArray(Input in) {
        int n = in.readInt();
        return n < 0 ? null : array(in.readBytes(n));
    }

    static byte[] bytes(INDArray a) {
        if (a == null) {
            return null;
        }
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalStateException("parameter averaging ships float32 arrays, got " + a.dataType());
        }
        float[] f = a.data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b.array();
    }

    static INDArray array(byte[] b) {
        if (b == null) {
            return null;
        }
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return Nd4j.createFromArray(f).reshape(1, f.length);
    }

    /** A leaf: one worker's result; null parameters = no contribution. */
    static PartialSum of(WorkerReport report, INDArray params, INDArray updater) {
        PartialSum p = new PartialSum(report.worker);
        p.reports.put(report.worker, report);
        if (params != null) {
            p.params = params;
            p.updater = updater;
            p.contributors = 1;
        }
        return p;
    }

    /** The sum of {@code parts} taken in index order, labelled {@code index}. */
    static PartialSum inOrder(int index, Iterable<PartialSum> parts) {
        List<PartialSum> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(p -> p.index));
        PartialSum sum = new PartialSum(index);
        for (PartialSum p : sorted) {
            sum.reports.putAll(p.reports);
            if (p.contributors == 0) {
                continue;
            }
            sum.params = sum.params == null ? p.params.dup() : sum.params.addi(p.params);
            if (p.updater != null) {
                sum.updater = sum.updater == null ? p.updater.dup() : sum.updater.addi(p.updater);
            }
            sum.contributors += p.contributors;
        }
        return sum;
    }
}
