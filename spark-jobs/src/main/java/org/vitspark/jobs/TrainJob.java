package org.vitspark.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import java.util.function.BiFunction;
import org.vitspark.driver.AveragingTrainer;
import org.vitspark.driver.Recipe;
import org.vitspark.driver.Recipes;
import org.vitspark.spark.SparkContexts;
import org.apache.spark.sql.SparkSession;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.dataset.DataOpener;
import org.vitspark.shard.ShardLocation;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.preprocess.OutputCommitters;
import org.vitspark.run.RunDirectory;
import org.vitspark.report.RunReport;
import org.vitspark.model.ModelSpec;
import org.vitspark.runtime.Backend;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;

/** {@code vitspark train}: data-parallel training on Spark (embedded local[*] unless spark-submit sets a master). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train on Spark with parameter averaging (SAM local to each worker) on shards, made from",
            "idx files when missing; writes a run directory with the resolved config, metrics.jsonl, TensorBoard",
            "events, checkpoints (+ LATEST), model.zip, weights.safetensors, summary.json and the report",
            "(report/index.html, whose path is the last line printed). Rerunning the same command resumes an",
            "unfinished run from its latest checkpoint."})
public final class TrainJob extends JobCommand {

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new TrainJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        requireData(config);
    }

    /** The idx files (or the shard root) must be where data.path says, before Spark starts. */
    static void requireData(VitsparkConfig config) {
        if (!config.settings().data().isShards()) {
            requireIdxData(config);
        }
        try {
            org.vitspark.dataset.DataCheck.check(config.settings());
        } catch (java.io.IOException e) {
            // not a configuration error: the filesystem may be down (exit 1, one line)
            throw new java.io.UncheckedIOException("cannot check the dataset at "
                    + org.vitspark.shard.ShardLocation.root(config.settings()) + ": " + e.getMessage(), e);
        }
    }

    /** The idx files must be where data.path says. */
    static void requireIdxData(VitsparkConfig config) {
        Path data = Path.of(config.settings().data().path());
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
        Settings s = config.settings();
        ModelSpec m = s.model();
        return String.format("train: shards %s (from %s), model %s [image %d, patch %d, dim %d, depth %d, "
                        + "mlp %d, classes %d], %d epochs, batch %d per worker, averaging every %d, master %s, "
                        + "run dir %s/%s/<run-id>", ShardLocation.root(s), s.data().path(),
                m.name(), m.imageSize(), m.patch(), m.dim(), m.depth(), m.mlpDim(), m.classes(),
                s.train().epochs(), s.train().batchPerWorker(), s.train().averagingFrequency(), s.spark().master(),
                s.run().root(), s.run().name());
    }

    @Override
    protected int run(VitsparkConfig config) throws IOException {
        trainOnShards(config.settings(), spec.commandLine().getOut(), "train", Recipes.SUPERVISED,
                (r, run) -> String.format("done: test top-1 %.4f (top-5 %.4f, loss %.4f) after %d rounds in %.1f s; "
                        + "model %s", r.testAccuracy(), r.testTop5(), r.testLoss(), r.rounds(), r.seconds(),
                        run.file("model.zip")));
        return OK;
    }

    /**
     * What train and pretrain share: the run directory (new, or the unfinished one to resume), Spark, the
     * shards (made from the idx files when missing), the averaging trainer with {@code recipe}, the
     * {@code done} line, and the report, whose page is the last line printed (what a user opens next).
     */
    static void trainOnShards(Settings s, PrintWriter out, String app, Recipe.Factory recipe,
                              BiFunction<AveragingTrainer.Result, RunDirectory, String> done) throws IOException {
        out.println(Backend.start(s.backend()));
        RunDirectory run = RunDirectory.createOrResume(s, HadoopFiles.configuration(s.hadoop()));
        out.println("run directory " + run);
        out.flush();
        SparkConf conf = SparkContexts.conf(s, app);
        if (!s.data().isShards()) {
            OutputCommitters.configure(conf, ShardLocation.root(s)); // shards may be made first
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), s, DataOpener.workers(s, sc),
                    out);
            AveragingTrainer.Result r = new AveragingTrainer(s, out, recipe).train(sc, run);
            out.println(done.apply(r, run));
        } catch (IOException | RuntimeException e) {
            if (run.discardIfUnused()) {
                out.println("removed " + run + ": the run failed before training anything");
                out.flush();
            }
            throw e;
        }
        out.println("report " + RunReport.write(run));
        out.flush();
    }
}
