package org.vitspark.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.dataset.DataOpener;
import org.vitspark.driver.AveragingTrainer;
import org.vitspark.driver.Recipes;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.model.ModelSpec;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.preprocess.OutputCommitters;
import org.vitspark.report.RunReport;
import org.vitspark.run.RunDirectory;
import org.vitspark.runtime.Backend;
import org.vitspark.runtime.UsageException;
import org.vitspark.shard.ShardLocation;
import org.vitspark.spark.SparkContexts;
import picocli.CommandLine.Command;

/** {@code vitspark pretrain}: DINO self-distillation on the training images, on Spark (embedded local[*] by default). */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Self-supervised pretraining (DINO self-distillation, ssl.*) on the training split's images",
            "with parameter averaging; writes a run directory like train (metrics.jsonl with the k-NN health metric",
            "and the collapse monitors, TensorBoard, checkpoints + LATEST, model.zip, teacher.safetensors,",
            "summary.json, the report). Fine-tune from it with: train --set model.init=<run directory>.",
            "Rerunning the same command resumes an unfinished run from its latest checkpoint."})
public final class PretrainJob extends JobCommand {

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new PretrainJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        TrainJob.requireData(config);
        Settings s = config.settings();
        if (s.ssl().localSize() % s.model().patch() != 0) {
            throw new UsageException("ssl.local-size: must be a multiple of the patch (" + s.model().patch()
                    + " px), got " + s.ssl().localSize());
        }
        // the k-NN health metric reads images through the eval pipeline: they must look like the views
        String eval = s.augment().pipeline(false).normalization();
        if (!eval.equals(s.ssl().normalize())) {
            throw new UsageException("ssl.normalize: the views are normalised \"" + s.ssl().normalize()
                    + "\" but augment.eval (" + s.augment().eval() + ") ends with \"" + eval + "\"; make them match");
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        Settings s = config.settings();
        ModelSpec m = s.model();
        return String.format("pretrain: shards %s (from %s), model %s [image %d, patch %d, dim %d, depth %d], DINO "
                        + "2 global + %d local %d px views, K %d, %d epochs, batch %d per worker, averaging every %d, "
                        + "master %s, run dir %s/%s/<run-id>", ShardLocation.root(s), s.data().path(), m.name(),
                m.imageSize(), m.patch(), m.dim(), m.depth(), s.ssl().localCrops(), s.ssl().localSize(),
                s.ssl().prototypes(), s.train().epochs(), s.train().batchPerWorker(), s.train().averagingFrequency(),
                s.spark().master(), s.run().root(), s.run().name());
    }

    @Override
    protected int run(VitsparkConfig config) throws IOException {
        Settings s = config.settings();
        PrintWriter out = spec.commandLine().getOut();
        out.println(Backend.start(s.backend()));
        RunDirectory run = RunDirectory.createOrResume(s, HadoopFiles.configuration(s.hadoop()));
        out.println("run directory " + run);
        out.flush();
        SparkConf conf = SparkContexts.conf(s, "pretrain");
        if (!s.data().isShards()) {
            OutputCommitters.configure(conf, ShardLocation.root(s));
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), s, DataOpener.workers(s, sc),
                    out);
            AveragingTrainer.Result r = new AveragingTrainer(s, out, Recipes.DINO).train(sc, run);
            out.printf("done: teacher k-NN top-1 %.4f (top-5 %.4f) after %d rounds in %.1f s; teacher %s%n",
                    r.testAccuracy(), r.testTop5(), r.rounds(), r.seconds(), run.file("teacher.safetensors"));
        }
        out.println("report " + RunReport.write(run));
        out.flush();
        return OK;
    }
}
