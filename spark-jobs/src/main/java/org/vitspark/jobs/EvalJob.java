package org.vitspark.jobs;

import java.io.PrintWriter;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.eval.DistributedEvaluator;
import org.vitspark.eval.ShardEvaluator;
import org.vitspark.spark.SparkContexts;
import org.vitspark.config.Settings;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.shard.ShardLocation;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;
import org.vitspark.runtime.Backend;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vitspark eval RUN_DIR}: distributed evaluation of a run's model on the test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate RUN_DIR/model.zip on data.eval-split of the configured shards (distributed);",
            "prints loss, top-1 and top-5 and writes RUN_DIR/eval.json."})
public final class EvalJob extends JobCommand {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by train.")
    String runDir;

    @picocli.CommandLine.Option(names = "--checkpoint", paramLabel = "NAME",
            description = "Evaluate this checkpoint (a directory under RUN_DIR/checkpoints) instead of model.zip.")
    String checkpoint;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new EvalJob(), args));
    }

    /** The run's own configuration, so a checkpoint is rebuilt with the model it was trained as. */
    @Override
    protected java.nio.file.Path defaultConfig() {
        return RunConfig.of(runDir);
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        String problem = RunConfig.notARun("eval", runDir);
        if (problem != null) {
            throw new UsageException(problem);
        }
        java.nio.file.Path conf = RunConfig.of(runDir);
        if (conf != null && checkpoint == null && !java.nio.file.Files.exists(conf.resolveSibling("model.zip"))) {
            java.nio.file.Path cps = conf.resolveSibling("checkpoints");
            String newest = null;
            try (var list = java.nio.file.Files.list(cps)) {
                newest = list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("round-")).sorted()
                        .reduce((a, b) -> b).orElse(null);
            } catch (java.io.IOException | RuntimeException none) {
                newest = null;
            }
            throw new UsageException("eval: " + runDir + " has no model.zip (the run has not finished)"
                    + (newest == null ? " and no checkpoint" : "; evaluate its newest checkpoint with --checkpoint "
                    + newest));
        }
        TrainJob.requireData(config);
    }

    @Override
    protected String plan(VitsparkConfig config) {
        Settings s = config.settings();
        return "eval: " + (checkpoint == null ? "model " + runDir + "/model.zip" : "checkpoint " + checkpoint + " of "
                + runDir) + " on split " + s.data().evalSplit() + " of " + ShardLocation.root(s)
                + ", master " + s.spark().master();
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings s = config.settings();
        out.println(Backend.start(s.backend()));
        RunDirectory run = RunDirectory.open(runDir, HadoopFiles.configuration(s.hadoop()));
        try (JavaSparkContext sc = SparkContexts.start(s, "eval")) {
            ShardEvaluator.Result r = new DistributedEvaluator(s).evaluate(sc, run, checkpoint);
            out.printf("eval: %d images, loss %.4f, top-1 %.4f, top-5 %.4f (written to %s)%n", r.images(), r.loss(),
                    r.top1(), r.top5(), run.file("eval.json"));
        }
        out.flush();
        return OK;
    }
}
