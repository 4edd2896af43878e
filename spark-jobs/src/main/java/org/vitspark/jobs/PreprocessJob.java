package org.vitspark.jobs;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.vitspark.averaging.SparkContexts;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.io.IdxShardWriter;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitspark preprocess}: turn a dataset into Parquet shards of encoded images plus a manifest. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Convert a dataset into Parquet shards (PNG-encoded images, labels, checksums) under",
            "OUTPUT/{train,test}/ and write OUTPUT/_manifest.json last. Layouts: idx (Fashion-MNIST/MNIST)."})
public final class PreprocessJob extends JobCommand {

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Input folder.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Output folder (file://, hdfs://, s3a://).")
    String output;

    @Option(names = "--layout", paramLabel = "LAYOUT", description = "Input layout (idx); detected when omitted.")
    String layout;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "4", description = "Shards per split (default ${DEFAULT-VALUE}).")
    int shards;

    public static void main(String[] args) {
        System.exit(Vitspark.execute(new PreprocessJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        if (!Files.isDirectory(input)) {
            throw new UsageException("--input: no such folder " + input);
        }
        String detected = Files.exists(input.resolve("train-images-idx3-ubyte.gz"))
                || Files.exists(input.resolve("train-images-idx3-ubyte")) ? "idx" : null;
        if (layout == null) {
            layout = detected;
        }
        if (!"idx".equals(layout)) {
            throw new UsageException("--layout: " + (layout == null ? "cannot detect the layout of " + input
                    : "unsupported layout " + layout) + " (supported: idx)");
        }
        if (shards < 1) {
            throw new UsageException("--shards must be at least 1, got " + shards);
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        return "preprocess: " + layout + " files in " + input + " -> " + shards + " Parquet shards per split under "
                + output + ", manifest last";
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (SparkSession spark = SparkSession.builder().config(SparkContexts.conf(config, "preprocess")).getOrCreate()) {
            long n = new IdxShardWriter(spark, out).write(input, output, shards);
            out.printf("preprocess: wrote %,d images and %s/_manifest.json%n", n, output);
        }
        out.flush();
        return OK;
    }
}
