package org.vitspark.nightly;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vitspark.suite.HistoryRow;

/**
 * The suites' history: a Parquet table on any Hadoop filesystem, one row per (suite, experiment, night,
 * metric), partitioned by suite and date. A night is written by overwriting its own partition (Spark's
 * dynamic partition overwrite), so rerunning a night replaces its rows instead of adding a second copy,
 * and other nights and suites are untouched.
 */
public final class HistoryTable {

    static final StructType SCHEMA = new StructType()
            .add("experiment", DataTypes.StringType, false)
            .add("revision", DataTypes.StringType, false)
            .add("config_hash", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("value", DataTypes.DoubleType, false)
            .add("band_min", DataTypes.DoubleType, true)
            .add("band_max", DataTypes.DoubleType, true)
            .add("status", DataTypes.StringType, false)
            .add("suite", DataTypes.StringType, false)
            .add("date", DataTypes.StringType, false);

    private HistoryTable() {
    }

    /** Writes {@code rows} (one suite, one night), replacing whatever that night had. */
    public static void writeNight(SparkSession spark, String path, List<HistoryRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Row> out = new ArrayList<>();
        for (HistoryRow r : rows) {
            if (!r.suite().equals(rows.get(0).suite()) || !r.date().equals(rows.get(0).date())) {
                throw new IllegalArgumentException("one night of one suite per write, got " + r.suite() + "/" + r.date()
                        + " beside " + rows.get(0).suite() + "/" + rows.get(0).date());
            }
            out.add(RowFactory.create(r.experiment(), r.revision(), r.configHash(), r.metric(), r.value(), r.bandMin(),
                    r.bandMax(), r.status(), r.suite(), r.date()));
        }
        String previous = spark.conf().get("spark.sql.sources.partitionOverwriteMode", "static");
        spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        try {
            spark.createDataFrame(out, SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                    .partitionBy("suite", "date").parquet(path);
        } finally {
            spark.conf().set("spark.sql.sources.partitionOverwriteMode", previous);
        }
    }

    /** Every row of {@code suite}, oldest night first (empty when the table does not exist yet). */
    public static List<HistoryRow> read(SparkSession spark, String path, String suite) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                return List.of();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("history table " + path + ": " + e.getMessage(), e);
        }
        Dataset<Row> d = spark.read().schema(SCHEMA).parquet(path).where(org.apache.spark.sql.functions.col("suite")
                .equalTo(suite)).orderBy("date", "experiment", "metric");
        List<HistoryRow> rows = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            rows.add(new HistoryRow(r.getAs("suite"), r.getAs("experiment"), r.getAs("date"), r.getAs("revision"),
                    r.getAs("config_hash"), r.getAs("metric"), r.<Double>getAs("value"), r.getAs("band_min"),
                    r.getAs("band_max"), r.getAs("status")));
        }
        return rows;
    }
}
