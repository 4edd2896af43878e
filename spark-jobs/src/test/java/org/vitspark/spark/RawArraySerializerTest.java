package org.vitspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.DeserializationStream;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag$;

/**
 * Spark's Kryo with vitspark's registrators gives back equal arrays: plain, views, f order, double, int, and
 * arrays of several staging buffers through a stream (as a broadcast writes them).
 */
class RawArraySerializerTest {

    private final SerializerInstance kryo = new KryoSerializer(new SparkConf()
            .set("spark.kryo.registrator", RawArrayRegistrator.REGISTRATORS)).newInstance();

    private INDArray roundTrip(INDArray a) {
        return kryo.deserialize(kryo.serialize(a, ClassTag$.MODULE$.apply(INDArray.class)),
                ClassTag$.MODULE$.apply(INDArray.class));
    }

    @Test
    void arraysComeBackEqual() {
        INDArray m = Nd4j.linspace(DataType.FLOAT, -3, 0.37, 60).reshape(5, 12);
        for (INDArray a : List.of(m, m.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 7)), m.dup('f'),
                m.castTo(DataType.DOUBLE), m.castTo(DataType.INT), Nd4j.scalar(2.5f), m.reshape(1, 60))) {
            INDArray b = roundTrip(a);
            assertEquals(a.dataType(), b.dataType());
            assertArrayEquals(a.shape(), b.shape());
            assertEquals(a, b);
        }
        float[] raw = {Float.NaN, -0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY};
        assertArrayEquals(raw, roundTrip(Nd4j.createFromArray(raw)).toFloatVector(), "bits, not just values");
    }

    @Test
    void arraysLargerThanTheStagingBufferComeBackEqualThroughAStream() {
        // not a whole number of staging buffers, in either type: the last step copies a partial one
        INDArray f = Nd4j.rand(DataType.FLOAT, 3, RawArraySerializer.STAGE_BYTES / 4 + 5);
        INDArray d = Nd4j.rand(DataType.DOUBLE, 2 * RawArraySerializer.STAGE_BYTES / 8 + 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SerializationStream out = kryo.serializeStream(bytes);
        out.writeObject(f, ClassTag$.MODULE$.apply(INDArray.class));
        out.writeObject(d, ClassTag$.MODULE$.apply(INDArray.class));
        out.close();
        DeserializationStream in = kryo.deserializeStream(new ByteArrayInputStream(bytes.toByteArray()));
        INDArray f2 = in.readObject(ClassTag$.MODULE$.apply(INDArray.class));
        INDArray d2 = in.readObject(ClassTag$.MODULE$.apply(INDArray.class));
        assertArrayEquals(f.shape(), f2.shape());
        assertArrayEquals(f.data().asFloat(), f2.data().asFloat());
        assertEquals(DataType.DOUBLE, d2.dataType());
        assertArrayEquals(d.data().asDouble(), d2.data().asDouble());
    }
}
