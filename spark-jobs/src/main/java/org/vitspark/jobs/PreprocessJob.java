package org.vitspark.jobs;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.vitspark.averaging.SparkContexts;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.io.FolderPreprocess;
import org.vitspark.io.IdxShardWriter;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitspark preprocess}: turn a dataset into Parquet shards of encoded images plus a manifest. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Convert a dataset into Parquet shards (encoded images, labels, checksums) under OUTPUT/<split>/",
            "and write OUTPUT/_manifest.json last. Layouts: idx (Fashion-MNIST/MNIST files; splits train, test),",
            "folders (INPUT/<class>/**: any class-per-folder image tree on file://, hdfs:// or s3a://)."})
public final class PreprocessJob extends JobCommand {

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Input folder (path or URI).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Output folder (file://, hdfs://, s3a://).")
    String output;

    @Option(names = "--layout", paramLabel = "LAYOUT", description = "Input layout (idx, folders); detected when omitted.")
    String layout;

    @Option(names = "--shards", paramLabel = "N",
            description = "Shards per split (default: idx 4; folders: input bytes / --shard-mb).")
    Integer shards;

    @Option(names = "--shard-mb", paramLabel = "MB", defaultValue = "128",
            description = "Target shard size for folders (default ${DEFAULT-VALUE}).")
    int shardMb;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
            description = "Split name for folders (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--resize", paramLabel = "PIXELS", defaultValue = "0",
            description = "Scale the shorter side down to this size (0 keeps sizes; default ${DEFAULT-VALUE}).")
    int resize;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "100000000",
            description = "Skip images declaring more pixels (decompression bombs; default ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the shard assignment (default ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        System.exit(Vitspark.execute(new PreprocessJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        java.net.URI uri = java.net.URI.create(input.replace(" ", "%20"));
        boolean local = uri.getScheme() == null || "file".equals(uri.getScheme());
        Path dir = local ? Path.of(uri.getScheme() == null ? input : uri.getPath()) : null;
        if (local && !Files.isDirectory(dir)) {
            throw new UsageException("--input: no such folder " + input);
        }
        if (layout == null) {
            layout = local && (Files.exists(dir.resolve("train-images-idx3-ubyte.gz"))
                    || Files.exists(dir.resolve("train-images-idx3-ubyte"))) ? "idx" : "folders";
        }
        if (!"idx".equals(layout) && !"folders".equals(layout)) {
            throw new UsageException("--layout: unsupported layout " + layout + " (supported: idx, folders)");
        }
        if ("idx".equals(layout) && !local) {
            throw new UsageException("--input: the idx layout reads local files, got " + input);
        }
        if (shards != null && shards < 1) {
            throw new UsageException("--shards must be at least 1, got " + shards);
        }
        if (shardMb < 1) {
            throw new UsageException("--shard-mb must be at least 1, got " + shardMb);
        }
        if (resize < 0) {
            throw new UsageException("--resize must be 0 (keep) or a size in pixels, got " + resize);
        }
        if (maxPixels < 1) {
            throw new UsageException("--max-pixels must be positive, got " + maxPixels);
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        return "preprocess: " + layout + " files in " + input + " -> " + (shards == null ? "sized" : shards)
                + " Parquet shards per split under " + output + (resize > 0 ? ", shorter side " + resize : "")
                + ", manifest last";
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (SparkSession spark = SparkSession.builder().config(SparkContexts.conf(config, "preprocess")).getOrCreate()) {
            long n = "idx".equals(layout)
                    ? new IdxShardWriter(spark, out).write(Path.of(input.replaceFirst("^file:", "")), output,
                            shards == null ? 4 : shards)
                    : FolderPreprocess.run(spark, out, input, output, split, shards, shardMb, resize, maxPixels, seed);
            out.printf("preprocess: wrote %,d images and %s/_manifest.json%n", n, output);
        }
        out.flush();
        return OK;
    }
}
