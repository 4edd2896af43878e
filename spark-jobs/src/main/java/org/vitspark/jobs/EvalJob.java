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
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vitspark eval RUN_DIR}: distributed evaluation of a run's model on the test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate RUN_DIR/model.zip on data.eval-split of the configured shards (distributed);",
            "prints loss, top-1 and top-5 and writes RUN_DIR/eval.json."})
public final class EvalJob extends JobCommand {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by train.")
    String runDir;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new EvalJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        TrainJob.requireData(config);
    }

    @Override
    protected String plan(VitsparkConfig config) {
        Settings s = config.settings();
        return "eval: model " + runDir + "/model.zip on split " + s.data().evalSplit() + " of " + ShardLocation.root(s)
                + ", master " + s.spark().master();
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings s = config.settings();
        out.println(Backend.start(s.backend()));
        RunDirectory run = RunDirectory.open(runDir, HadoopFiles.configuration(s.hadoop()));
        try (JavaSparkContext sc = SparkContexts.start(s, "eval")) {
            ShardEvaluator.Result r = new DistributedEvaluator(s).evaluate(sc, run);
            out.printf("eval: %d images, loss %.4f, top-1 %.4f, top-5 %.4f (written to %s)%n", r.images(), r.loss(),
                    r.top1(), r.top5(), run.file("eval.json"));
        }
        out.flush();
        return OK;
    }
}
