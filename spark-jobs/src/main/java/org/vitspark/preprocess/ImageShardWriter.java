package org.vitspark.preprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.vitspark.data.image.SkipReason;
import org.vitspark.data.shard.ShardEncoder;
import org.vitspark.data.shard.ShardPlan;
import org.vitspark.data.shard.SourceImage;
import org.vitspark.data.shard.Vocabulary;
import org.vitspark.shard.ShardRows;
import scala.Tuple2;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.shard.ShardSchema;
import org.vitspark.digest.Sha256;
import org.vitspark.metrics.Stopwatch;

/**
 * Preprocesses a list of image files into Parquet shards: the driver plans class-balanced shards
 * ({@link ShardPlan}), executors read, validate and (where needed) re-encode their shard's files
 * ({@link ShardEncoder}) and Spark writes one Parquet file per shard under {@code OUTPUT/<split>/}; the
 * manifest comes last ({@code OUTPUT/_manifest.json}, removed first so a failed run never keeps a manifest
 * that vouches for half-written data). Skips are counted per reason with accumulators (a task's updates
 * count once, when it succeeds).
 */
public final class ImageShardWriter {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageShardWriter.class);

    /** How often the driver prints progress while shards are written. */
    static final long PROGRESS_MILLIS = 10_000;

    private final SparkSession spark;
    private final PrintWriter out;

    public ImageShardWriter(SparkSession spark, PrintWriter out) {
        this.spark = spark;
        this.out = out;
    }

    /** What one split's write produced. */
    public record SplitResult(String split, long images, Map<String, Long> skipped, List<Map<String, Object>> shards) {
    }

    /** Reads, checks and encodes {@code images} on executors and writes them as {@code shards} shards of {@code split}. */
    public SplitResult write(List<SourceImage> images, Vocabulary vocab, String output, String split, int shards,
                             long seed, ShardEncoder encoder) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<SkipReason, LongAccumulator> skips = skipCounters(jsc);
        LongAccumulator read = jsc.sc().longAccumulator("files read");
        Broadcast<Map<String, String>> hadoop = jsc.broadcast(hadoopProperties(jsc.hadoopConfiguration()));
        List<Tuple2<Integer, SourceImage>> plan = new ArrayList<>(images.size());
        for (ShardPlan.Assigned a : ShardPlan.assign(images, shards, seed)) {
            plan.add(new Tuple2<>(a.shard(), a.image()));
        }
        JavaRDD<Row> rows = partitioned(jsc, plan, shards).mapPartitions(it -> encodePartition(it, hadoop.value(),
                vocab, encoder, read, skips));
        return writeSplit(jsc, hadoop, rows, output, split, shards, images.size(), read, skips);
    }

    /**
     * Writes rows made on the driver (idx images: small, already decoded) as {@code shards} class-balanced
     * shards: {@code images[i]} names row {@code rows[i]}'s key and class for the plan.
     */
    public SplitResult writeRows(List<SourceImage> images, List<Row> rows, String output, String split, int shards,
                                 long seed) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<String, Row> byKey = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byKey.put(images.get(i).key(), rows.get(i));
        }
        List<Tuple2<Integer, Row>> plan = new ArrayList<>(rows.size());
        for (ShardPlan.Assigned a : ShardPlan.assign(images, shards, seed)) {
            plan.add(new Tuple2<>(a.shard(), byKey.get(a.image().key())));
        }
        LongAccumulator read = jsc.sc().longAccumulator("images read");
        Broadcast<Map<String, String>> hadoop = jsc.broadcast(hadoopProperties(jsc.hadoopConfiguration()));
        JavaRDD<Row> out = partitioned(jsc, plan, shards).map(row -> {
            read.add(1);
            return row;
        });
        return writeSplit(jsc, hadoop, out, output, split, shards, rows.size(), read, skipCounters(jsc));
    }

    /** One accumulator per skip reason (a task's updates count once, when it succeeds). */
    private static Map<SkipReason, LongAccumulator> skipCounters(JavaSparkContext jsc) {
        Map<SkipReason, LongAccumulator> skips = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            skips.put(r, jsc.sc().longAccumulator("skipped " + r.key()));
        }
        return skips;
    }

    /**
     * The plan's items, one partition per shard (Spark writes one Parquet file per non-empty partition),
     * each partition in plan order: a shuffle delivers map outputs in no fixed order, so rows are keyed by
     * (shard, position in the plan) and sorted within their shard: a re-run writes the same rows in the same
     * order (the same content_sha256).
     */
    private static <T> JavaRDD<T> partitioned(JavaSparkContext jsc, List<Tuple2<Integer, T>> plan, int shards) {
        List<Tuple2<Long, T>> keyed = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            keyed.add(new Tuple2<>(((long) plan.get(i)._1() << 32) | i, plan.get(i)._2()));
        }
        return jsc.parallelizePairs(keyed, Math.max(1, Math.min(shards, 64)))
                .repartitionAndSortWithinPartitions(new ShardPartitioner(shards)).values();
    }

    /** Partition = the shard in a key's high 32 bits. */
    static final class ShardPartitioner extends Partitioner {
        private final int shards;

        ShardPartitioner(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((Long) key >>> 32);
        }
    }

    private SplitResult writeSplit(JavaSparkContext jsc, Broadcast<Map<String, String>> hadoop, JavaRDD<Row> rows,
                                   String output, String split, int shards, long total, LongAccumulator read,
                                   Map<SkipReason, LongAccumulator> skips) throws IOException {
        Path dir = new Path(output, split);
        FileSystem fs = dir.getFileSystem(jsc.hadoopConfiguration());
        Stopwatch start = Stopwatch.start();
        spark.sparkContext().setJobDescription("preprocess: read, check and write " + total + " " + split
                + " images as " + shards + " shards");
        try (Progress p = new Progress(out, "preprocess: " + split, total, PROGRESS_MILLIS, read::value,
                () -> skips.values().stream().mapToLong(LongAccumulator::value).sum())) {
            spark.createDataFrame(rows, ShardSchema.SCHEMA).write().mode(SaveMode.Overwrite).parquet(dir.toString());
        }
        double seconds = start.seconds();

        Map<String, Long> skipped = new LinkedHashMap<>();
        long skippedTotal = 0;
        for (SkipReason r : SkipReason.values()) {
            skipped.put(r.key(), skips.get(r).value());
            skippedTotal += skips.get(r).value();
        }
        List<Map<String, Object>> shardInfo = describeShards(jsc, hadoop, fs, dir, split);
        long written = shardInfo.stream().mapToLong(m -> (Long) m.get("rows")).sum();
        out.printf("preprocess: %s: %,d files read, %,d images written, %,d skipped %s, %.0f images/s%n", split,
                read.value(), written, skippedTotal, skipped, read.value() / seconds);
        out.flush();
        return new SplitResult(split, written, skipped, shardInfo);
    }

    private static Iterator<Row> encodePartition(Iterator<SourceImage> it, Map<String, String> hadoop,
                                                 Vocabulary vocab, ShardEncoder encoder, LongAccumulator read,
                                                 Map<SkipReason, LongAccumulator> skips) throws IOException {
        Configuration conf = HadoopFiles.configuration(hadoop);
        List<Row> rows = new ArrayList<>();
        while (it.hasNext()) {
            SourceImage s = it.next();
            Path p = new Path(s.path());
            byte[] bytes;
            read.add(1);
            try (InputStream in = p.getFileSystem(conf).open(p)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                // one unreadable file is a skipped file, like an undecodable one, not the end of the job
                LOG.warn("skipping unreadable {}: {}", p, e.getMessage());
                skips.get(SkipReason.UNREADABLE).add(1);
                continue;
            }
            ShardEncoder.Encoded e = encoder.encode(bytes);
            if (!e.ok()) {
                skips.get(e.skipped()).add(1);
                continue;
            }
            rows.add(RowFactory.create(s.key(), vocab.label(s.className()), s.className(), e.bytes(), e.format(),
                    e.height(), e.width(), e.sha256()));
        }
        return rows.iterator();
    }

    /** Every Parquet file of the split with its rows, bytes and SHA-256, the checksums computed on executors. */
    private List<Map<String, Object>> describeShards(JavaSparkContext jsc, Broadcast<Map<String, String>> hadoop,
                                                     FileSystem fs, Path dir, String split) throws IOException {
        List<String> files = new ArrayList<>();
        Map<String, Long> sizes = new HashMap<>();
        for (FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(".parquet"))) {
            files.add(f.getPath().toString());
            sizes.put(f.getPath().getName(), f.getLen());
        }
        files.sort(null);
        Map<String, Long> rows = new HashMap<>();
        for (Row r : spark.read().parquet(dir.toString()).selectExpr("input_file_name() AS f").groupBy("f").count()
                .collectAsList()) {
            rows.put(new Path(r.getString(0)).getName(), r.getLong(1));
        }
        spark.sparkContext().setJobDescription("preprocess: checksum " + files.size() + " " + split + " shards");
        List<String[]> sums = jsc.parallelize(files, Math.max(1, Math.min(files.size(), 64))).map(f -> {
            Configuration c = HadoopFiles.configuration(hadoop.value());
            return new String[] {sha256(new Path(f), c), ShardRows.contentDigest(new Path(f), c)};
        }).collect();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String name = new Path(files.get(i)).getName();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", split + "/" + name);
            m.put("rows", rows.getOrDefault(name, 0L));
            m.put("bytes", sizes.get(name));
            m.put("sha256", sums.get(i)[0]);
            m.put("content_sha256", sums.get(i)[1]);
            out.add(m);
        }
        return out;
    }

    /** Writes {@code OUTPUT/_manifest.json}: the run's description, vocabulary and every shard. */
    public static void writeManifest(FileSystem fs, Path output, Map<String, Object> source, Vocabulary vocab,
                                     List<SplitResult> splits) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", ShardSchema.FORMAT);
        m.put("source", source);
        m.put("classes", vocab.names());
        Map<String, Object> s = new LinkedHashMap<>();
        for (SplitResult r : splits) {
            Map<String, Object> split = new LinkedHashMap<>();
            split.put("images", r.images());
            split.put("skipped", r.skipped());
            split.put("shards", r.shards());
            s.put(r.split(), split);
        }
        m.put("splits", s);
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        HadoopFiles.writeString(fs, new Path(output, ShardSchema.MANIFEST), json);
    }

    private static Map<String, String> hadoopProperties(Configuration conf) {
        Map<String, String> m = new HashMap<>();
        for (Map.Entry<String, String> e : conf) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static String sha256(Path p, Configuration conf) throws IOException {
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return Sha256.hex(in);
        }
    }
}
