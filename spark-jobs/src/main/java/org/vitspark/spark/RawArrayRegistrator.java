package org.vitspark.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs after ND4J's Nd4jRegistrator (spark.kryo.registrator lists both) and replaces its serializer for
 * the backend's array class with {@link RawArraySerializer}; Kryo keeps the last serializer registered.
 * Also registers Java serialization for the records Kryo cannot build.
 */
public final class RawArrayRegistrator implements KryoRegistrator {

    /** The value of spark.kryo.registrator vitspark sets: ND4J's registrations, then this one. */
    public static final String REGISTRATORS = "org.nd4j.kryo.Nd4jRegistrator," + RawArrayRegistrator.class.getName();

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new RawArraySerializer());
        // Kryo 4's FieldSerializer cannot build Java records (final fields, canonical constructor): the
        // analyze job's records travel by Java serialization instead
        for (Class<?> c : new Class<?>[] {org.vitspark.analysis.LabelledImages.class,
            org.vitspark.analysis.ActivityStats.class, org.vitspark.analysis.ActivityStats.ImageMaps.class}) {
            kryo.register(c, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        }
    }
}
