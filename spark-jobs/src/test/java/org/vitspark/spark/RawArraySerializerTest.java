package org.vitspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag$;

/** Spark's Kryo with vitspark's registrators gives back equal arrays: plain, views, f order, double, int. */
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
}
