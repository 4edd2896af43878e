package org.vitspark.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.vitspark.spark.SparkContexts;
import org.vitspark.config.Settings;
import org.vitspark.analysis.AnalysisPart;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.diagnostics.Analyzer;
import org.vitspark.report.AnalysisReport;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;
import org.vitspark.report.RunReport;
import org.vitspark.runtime.Backend;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitspark analyze RUN_DIR}: Hessian λmax, loss landscape, neuron activity, attention maps, over-smoothing. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Diagnose a checkpoint of RUN_DIR on Spark (the SAM-ViT paper's analyses): Hessian dominant",
            "eigenvalue by power iteration, loss-landscape slices along filter-normalised directions, active MLP",
            "neurons per block, attention maps (last layer and rollout), patch-token over-smoothing per block.",
            "Configuration: RUN_DIR/config.conf unless --config is given; analyze.* keys choose what and how much.",
            "Writes RUN_DIR/analysis/analysis.json and PNG plots."})
public final class AnalyzeJob extends JobCommand {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by train.")
    String runDir;

    @Option(names = "--checkpoint", paramLabel = "NAME",
            description = "Checkpoint directory under RUN_DIR/checkpoints (default: analyze.checkpoint, latest).")
    String checkpoint;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new AnalyzeJob(), args));
    }

    @Override
    protected Path defaultConfig() {
        return RunConfig.of(runDir);
    }

    @Override
    protected java.util.List<String> extraSets() {
        return checkpoint == null ? java.util.List.of() : java.util.List.of("analyze.checkpoint=" + checkpoint);
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        String problem = RunConfig.notARun("analyze", runDir);
        if (problem != null) {
            throw new UsageException(problem);
        }
        TrainJob.requireData(config);
    }

    @Override
    protected String plan(VitsparkConfig config) {
        Settings s = config.settings();
        return "analyze: checkpoint " + s.analyze().checkpoint() + " of " + runDir + ", parts "
                + s.analyze().parts().stream().map(AnalysisPart::key).toList() + ", "
                + s.analyze().precision().name().toLowerCase(java.util.Locale.ROOT) + " precision, master "
                + s.spark().master() + "; writes " + runDir + "/analysis/";
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Settings s = config.settings();
        out.println(Backend.start(s.backend()));
        RunDirectory run = RunDirectory.open(runDir, HadoopFiles.configuration(s.hadoop()));
        try (JavaSparkContext sc = SparkContexts.start(s, "analyze")) {
            AnalysisReport.write(run, new Analyzer(s, out).analyze(sc, run), out);
        }
        // the run's HTML report now includes the analysis; its path is the last line, as after train
        out.println("report " + RunReport.write(run));
        out.flush();
        return OK;
    }
}
