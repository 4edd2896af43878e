package org.vitspark.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;
import org.vitspark.model.ModelSpec;
import org.vitspark.runtime.Backend;
import org.vitspark.runtime.UsageException;
import org.vitspark.train.LocalTrainer;
import picocli.CommandLine.Command;

/** {@code vitspark train-local}: the same model and optimiser in one JVM, without Spark. */
@Command(name = "train-local", mixinStandardHelpOptions = true,
        description = {"Train in this JVM without Spark (AdamW, optional SAM via optim.sam.mode); writes a run",
            "directory on the local filesystem with the resolved config, metrics.jsonl, model.zip and summary.json."})
public final class TrainLocalJob extends JobCommand {

    public static void main(String[] args) {
        System.exit(Vitspark.execute(new TrainLocalJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        TrainJob.requireIdxData(config);
        String root = config.getString("run.root");
        if (root.contains("://") && !root.startsWith("file:")) {
            throw new UsageException("run.root: train-local writes to the local filesystem, not " + root);
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        ModelSpec m = config.model();
        return String.format("train-local: data %s (train-limit %d), model %s (%s), %d epochs, batch %d, "
                        + "optimizer %s, run dir %s/%s/<run-id>", config.getString("data.path"),
                config.getInt("data.train-limit"), m.name(), m.family().name().toLowerCase(),
                config.getInt("train.epochs"), config.getInt("train.batch-per-worker"),
                config.getString("optim.sam.mode").equals("off") ? "AdamW" : config.getString("optim.sam.mode") + "+AdamW",
                config.getString("run.root"), config.getString("run.name"));
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Backend.start(config));
        RunDirectory run = RunDirectory.create(config, HadoopFiles.configuration(config.properties("hadoop")));
        out.println("run directory " + run);
        out.flush();
        LocalTrainer.Result r = new LocalTrainer(config, out).train(Path.of(run.path().toUri()));
        out.printf("done: test top-1 %.4f (top-5 %.4f) after %d steps in %.1f s%n", r.testTop1(), r.testTop5(),
                r.steps(), r.seconds());
        out.flush();
        return OK;
    }
}
