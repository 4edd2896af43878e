package org.vitspark.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.averaging.AveragingTrainer;
import org.vitspark.averaging.SparkContexts;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.io.HadoopFiles;
import org.vitspark.io.RunDirectory;
import org.vitspark.model.ModelSpec;
import org.vitspark.runtime.Backend;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;

/** {@code vitspark train}: data-parallel training on Spark (embedded local[*] unless spark-submit sets a master). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train on Spark with parameter averaging; writes a run directory with the resolved config,",
            "metrics.jsonl, model.zip and summary.json."})
public final class TrainJob extends JobCommand {

    public static void main(String[] args) {
        System.exit(Vitspark.execute(new TrainJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        requireIdxData(config);
    }

    /** The idx files must be where data.path says, before Spark starts. */
    static void requireIdxData(VitsparkConfig config) {
        Path data = Path.of(config.getString("data.path"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            if (!Files.exists(data.resolve(f)) && !Files.exists(data.resolve(f + ".gz"))) {
                throw new UsageException("data.path: no " + f + "[.gz] in " + data
                        + " (Fashion-MNIST: apt-get install dataset-fashion-mnist)");
            }
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        ModelSpec m = config.model();
        return String.format("train: data %s (train-limit %d), model %s [image %d, patch %d, dim %d, depth %d, "
                        + "mlp %d, classes %d], %d epochs, batch %d per worker, averaging every %d, master %s, "
                        + "run dir %s/%s/<run-id>", config.getString("data.path"), config.getInt("data.train-limit"),
                m.name(), m.imageSize(), m.patch(), m.dim(), m.depth(), m.mlpDim(), m.classes(),
                config.getInt("train.epochs"), config.getInt("train.batch-per-worker"),
                config.getInt("train.averaging-frequency"), config.getString("spark.master"),
                config.getString("run.root"), config.getString("run.name"));
    }

    @Override
    protected int run(VitsparkConfig config) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Backend.start(config));
        RunDirectory run = RunDirectory.create(config, HadoopFiles.configuration(config.properties("hadoop")));
        out.println("run directory " + run);
        out.flush();
        try (JavaSparkContext sc = SparkContexts.start(config, "train")) {
            AveragingTrainer.Result r = new AveragingTrainer(config, out).train(sc, run);
            out.printf("done: test accuracy %.4f (top-5 %.4f) after %d rounds in %.1f s; model %s%n",
                    r.testAccuracy(), r.testTop5(), r.rounds(), r.seconds(), run.file("model.zip"));
        }
        out.flush();
        return OK;
    }
}
