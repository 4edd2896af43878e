package org.vitspark.shard;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The Parquet columns of a vitspark shard and the manifest's name and format tag (docs/shard-format.md). */
public final class ShardSchema {

    /** Format tag in the manifest; bump on incompatible changes. */
    public static final String FORMAT = "vitspark-shards/1";
    public static final String MANIFEST = "_manifest.json";

    public static final StructType SCHEMA = new StructType()
            .add("key", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("class_name", DataTypes.StringType, false)
            .add("image", DataTypes.BinaryType, false)
            .add("format", DataTypes.StringType, false)
            .add("height", DataTypes.IntegerType, false)
            .add("width", DataTypes.IntegerType, false)
            .add("sha256", DataTypes.StringType, false);

    private ShardSchema() {
    }
}
