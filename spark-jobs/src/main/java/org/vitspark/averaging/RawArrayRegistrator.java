package org.vitspark.averaging;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs after ND4J's Nd4jRegistrator (spark.kryo.registrator lists both) and replaces its serializer for
 * the backend's array class with {@link RawArraySerializer}; Kryo keeps the last serializer registered.
 */
public final class RawArrayRegistrator implements KryoRegistrator {

    /** The value of spark.kryo.registrator vitspark sets: ND4J's registrations, then this one. */
    public static final String REGISTRATORS = "org.nd4j.kryo.Nd4jRegistrator," + RawArrayRegistrator.class.getName();

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new RawArraySerializer());
    }
}
