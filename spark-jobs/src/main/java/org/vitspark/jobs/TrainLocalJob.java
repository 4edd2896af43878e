package org.vitspark.jobs;

import java.io.PrintWriter;
import org.vitspark.config.Settings;
import org.vitspark.optim.Sam;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;
import org.vitspark.report.RunReport;
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
        Vitspark.exit(Vitspark.execute(new TrainLocalJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        TrainJob.requireIdxData(config);
        String root = config.settings().run().root();
        if (root.contains("://") && !root.startsWith("file:")) {
            throw new UsageException("run.root: train-local writes to the local filesystem, not " + root);
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        Settings s = config.settings();
        ModelSpec m = s.model();
        Sam.Mode sam = s.optim().samMode();
        return String.format("train-local: data %s (train-limit %d), model %s (%s), %d epochs, batch %d, "
                        + "optimizer %s, run dir %s/%s/<run-id>", s.data().path(), s.data().trainLimit(), m.name(),
                m.family().name().toLowerCase(), s.train().epochs(), s.train().batchPerWorker(),
                sam == Sam.Mode.OFF ? "AdamW" : sam.name().toLowerCase() + "+AdamW", s.run().root(), s.run().name());
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings s = config.settings();
        out.println(Backend.start(s.backend()));
        RunDirectory run = RunDirectory.create(s, HadoopFiles.configuration(s.hadoop()));
        out.println("run directory " + run);
        out.flush();
        LocalTrainer.Result r = new LocalTrainer(s, out).train(run);
        out.printf("done: test top-1 %.4f (top-5 %.4f) after %d steps in %.1f s%n", r.testTop1(), r.testTop5(),
                r.steps(), r.seconds());
        out.println("report " + RunReport.write(run));
        out.flush();
        return OK;
    }
}
