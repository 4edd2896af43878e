package org.vitspark.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.vitspark.spark.SparkContexts;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.data.shard.ShardEncoder;
import org.vitspark.preprocess.FilePreprocess;
import org.vitspark.preprocess.DatasetListing;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.preprocess.IdxShardWriter;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.preprocess.LayoutDetector;
import org.vitspark.preprocess.OutputCommitters;
import org.vitspark.preprocess.SplitFiles;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vitspark preprocess}: turn a dataset into Parquet shards of encoded images plus a manifest. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Convert a dataset into Parquet shards (encoded images, labels, checksums) under OUTPUT/<split>/",
            "and write OUTPUT/_manifest.json last. Layouts: imagenet (INPUT/train/<wnid>/*.JPEG and INPUT/val/, flat",
            "with the ILSVRC2012 devkit or sorted into <wnid> folders), folders (INPUT/<class>/**: any class-per-folder",
            "image tree), idx (Fashion-MNIST/MNIST files; splits train, test). Input and output on file://, hdfs://",
            "or s3a://."})
public final class PreprocessJob extends JobCommand {

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Input folder (path or URI).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Output folder (file://, hdfs://, s3a://).")
    String output;

    @Option(names = "--layout", paramLabel = "LAYOUT", description = "Input layout (imagenet, folders, idx); detected when omitted.")
    String layout;

    @Option(names = "--devkit", paramLabel = "DIR",
            description = "ILSVRC2012 devkit folder for flat val/ labels (default INPUT/ILSVRC2012_devkit_t12).")
    String devkit;

    @Option(names = "--idx-classes", paramLabel = "NAMES",
            description = "Class names of idx files: fashion or digits (default: fashion when the input folder's name "
                    + "contains 'fashion', else digits).")
    String idxClasses;

    @Option(names = "--shards", paramLabel = "N",
            description = "Shards per split (default: input bytes / --shard-mb; idx 4).")
    Integer shards;

    @Option(names = "--shard-mb", paramLabel = "MB", defaultValue = "128",
            description = "Target shard size for image files (default ${DEFAULT-VALUE}).")
    int shardMb;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
            description = "Split name for the folders layout (default ${DEFAULT-VALUE}).")
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
        Vitspark.exit(Vitspark.execute(new PreprocessJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        Configuration hadoop = HadoopFiles.configuration(config.settings().hadoop());
        org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(input);
        try {
            FileSystem fs = in.getFileSystem(hadoop);
            if (!fs.exists(in) || !fs.getFileStatus(in).isDirectory()) {
                throw new UsageException("--input: no such folder " + input);
            }
            if (layout == null) {
                layout = LayoutDetector.detect(fs, in);
            }
        } catch (IOException e) {
            throw new UsageException("--input: cannot read " + input + ": " + e.getMessage());
        }
        if (!List.of(LayoutDetector.IMAGENET, LayoutDetector.FOLDERS, LayoutDetector.IDX).contains(layout)) {
            throw new UsageException("--layout: unsupported layout " + layout + " (supported: imagenet, folders, idx)");
        }
        boolean local = in.toUri().getScheme() == null || "file".equals(in.toUri().getScheme());
        if (LayoutDetector.IDX.equals(layout) && !local) {
            throw new UsageException("--input: the idx layout reads local files, got " + input);
        }
        if (idxClasses == null) {
            idxClasses = IdxShards.classesFor(Path.of(in.getName()));
        }
        if (!"fashion".equals(idxClasses) && !"digits".equals(idxClasses)) {
            throw new UsageException("--idx-classes must be fashion or digits, got " + idxClasses);
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
        return "preprocess: " + layout + (LayoutDetector.IDX.equals(layout) ? " (" + idxClasses + " class names)" : "")
                + " files in " + input + " -> " + (shards == null ? "sized" : shards) + " Parquet shards per split under "
                + output + (resize > 0 ? ", shorter side " + resize : "") + ", manifest last";
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SparkConf sparkConf = SparkContexts.conf(config.settings(), "preprocess");
        OutputCommitters.configure(sparkConf, output);
        try (SparkSession spark = SparkSession.builder().config(sparkConf).getOrCreate()) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("input", input);
            source.put("layout", layout);
            source.put("resize_shorter_side", resize);
            source.put("seed", seed);
            long n;
            if (LayoutDetector.IDX.equals(layout)) {
                n = new IdxShardWriter(spark, out).write(Path.of(input.replaceFirst("^file:", "")), output,
                        IdxShards.vocabulary(idxClasses),
                        shards == null ? 4 : shards, seed, source);
            } else {
                org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(input);
                DatasetListing l = DatasetListing.list(in.getFileSystem(spark.sparkContext().hadoopConfiguration()),
                        in, layout, split, devkit == null ? null : new org.apache.hadoop.fs.Path(devkit));
                if (LayoutDetector.IMAGENET.equals(layout)) {
                    source.put("val_labels", l.labels());
                }
                for (SplitFiles s : l.splits()) {
                    source.put(s.split() + "_files", s.images().size());
                }
                source.put("symlinks_not_followed", l.links().size());
                if (!l.links().isEmpty()) {
                    out.printf("preprocess: %d symbolic link(s) not followed (a link could label files by a folder "
                            + "they do not sit in, or loop): %s%n", l.links().size(), String.join(", ",
                            l.links().subList(0, Math.min(10, l.links().size())))
                            + (l.links().size() > 10 ? ", ..." : ""));
                }
                n = FilePreprocess.run(spark, out, l.splits(), l.vocabulary(), source, output, shards, shardMb,
                        new ShardEncoder(maxPixels, resize), seed);
            }
            out.printf("preprocess: wrote %,d images and %s/_manifest.json%n", n, output);
        }
        out.flush();
        return OK;
    }
}
