package org.vitspark.jobs;

import java.io.PrintWriter;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.io.HadoopFiles;
import org.vitspark.io.RunDirectory;
import org.vitspark.io.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vitspark report RUN_DIR}: a text report of a run (curves as tables, final numbers, config hash). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Summarise RUN_DIR: training loss and evaluation per epoch, final accuracy, config hash;",
            "prints it and writes RUN_DIR/report/summary.txt."})
public final class ReportJob extends JobCommand {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by train.")
    String runDir;

    public static void main(String[] args) {
        System.exit(Vitspark.execute(new ReportJob(), args));
    }

    @Override
    protected String plan(VitsparkConfig config) {
        return "report: read " + runDir + "/{metrics.jsonl,summary.json,eval.json}, write " + runDir
                + "/report/summary.txt";
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        RunDirectory run = RunDirectory.open(runDir, HadoopFiles.configuration(config.properties("hadoop")));
        String text = RunSummary.read(run).render();
        HadoopFiles.writeString(run.fs(), run.file("report/summary.txt"), text);
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.println("written to " + run.file("report/summary.txt"));
        out.flush();
        return OK;
    }
}
