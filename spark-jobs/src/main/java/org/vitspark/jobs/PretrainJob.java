package org.vitspark.jobs;

import java.io.IOException;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.driver.Recipes;
import org.vitspark.model.ModelSpec;
import org.vitspark.runtime.UsageException;
import org.vitspark.shard.ShardLocation;
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
        TrainJob.trainOnShards(config.settings(), spec.commandLine().getOut(), "pretrain", Recipes.DINO,
                (r, run) -> String.format("done: teacher k-NN top-1 %.4f (top-5 %.4f) after %d rounds in %.1f s; "
                        + "teacher %s", r.testAccuracy(), r.testTop5(), r.rounds(), r.seconds(),
                        run.file("teacher.safetensors")));
        return OK;
    }
}
