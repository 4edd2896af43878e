package org.vitspark.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.hadoop.conf.Configuration;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.run.RunDirectory;

/** The local trainer on real Fashion-MNIST (a subset): learns, logs progress, writes its files. */
class LocalTrainerTest {

    @TempDir
    Path dir;

    private static VitsparkConfig config(String... extra) {
        List<String> sets = new java.util.ArrayList<>(List.of("data.train-limit=2048", "data.test-limit=1000",
                "train.epochs=2", "train.log-every=8", "optim.warmup-epochs=0.25"));
        sets.addAll(List.of(extra));
        return ConfigLoader.standard().load(ConfigSources.of(null, sets));
    }

    @Test
    void adamwAndSamBothLearnAndWriteTheirFiles() throws Exception {
        for (String mode : new String[] {"off", "sam"}) {
            StringWriter log = new StringWriter();
            Settings settings = config("optim.sam.mode=" + mode, "run.root=" + dir, "run.name=" + mode, "run.id=run")
                    .settings();
            Path run = dir.resolve(mode).resolve("run");
            LocalTrainer.Result r = new LocalTrainer(settings, new PrintWriter(log, true))
                    .train(RunDirectory.create(settings, new Configuration()));
            // 64 steps: AdamW reaches ~0.5, SAM (which ascends before it descends) ~0.35; chance is 0.1.
            assertTrue(r.testTop1() > 0.25, mode + ": 2 epochs on 2k images should beat chance (0.1) clearly; got "
                    + r.testTop1() + "\n" + log);
            assertTrue(log.toString().contains("eta") && log.toString().contains("test top-1"), log.toString());
            for (String f : new String[] {"metrics.jsonl", "model.zip", "summary.json"}) {
                assertTrue(Files.size(run.resolve(f)) > 0, mode + ": " + f);
            }
        }
    }

    @Test
    void thePatchLossesTrainLocallyWithCutMixAndLogEveryTerm() throws Exception {
        Settings settings = config("run.root=" + dir, "run.name=patch", "run.id=run", "data.train-limit=512",
                "data.test-limit=256", "train.epochs=1", "augment.cutmix=1.0", "loss.patch.cosine=1",
                "loss.patch.contrastive=1", "loss.patch.mixing=1", "optim.sam.mode=sam").settings();
        LocalTrainer.Result r = new LocalTrainer(settings, new PrintWriter(new StringWriter(), true))
                .train(RunDirectory.create(settings, new Configuration()));
        assertTrue(Double.isFinite(r.lastLoss()) && r.testTop1() > 0.15, "learns: " + r);
        assertTrue(Files.size(dir.resolve("patch/run/objective.safetensors")) > 0, "the patch head is exported");
        String metrics = Files.readString(dir.resolve("patch/run/metrics.jsonl"));
        for (String term : new String[] {"ce", "patch_cosine", "patch_contrastive", "patch_mixing"}) {
            assertTrue(metrics.contains("\"loss_" + term + "\":") && metrics.contains("\"grad_share_" + term + "\":"),
                    term + " in " + metrics);
        }
    }
}
