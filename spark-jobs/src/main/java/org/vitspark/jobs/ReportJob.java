package org.vitspark.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;
import org.vitspark.report.RunLabels;
import org.vitspark.report.RunSummary;
import org.vitspark.report.HtmlReport;
import org.vitspark.runtime.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vitspark report RUN_DIR...}: an HTML report of a run, or a comparison of several, plus a text summary. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Report on RUN_DIR: one self-contained HTML page (RUN_DIR/report/index.html, PNGs beside it)",
            "with training/eval curves, the analyze results and plots, the resolved config and hashes; also",
            "prints and writes the text summary RUN_DIR/report/summary.txt. With several RUN_DIRs: a comparison",
            "page in --output."})
public final class ReportJob extends JobCommand {

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories written by train.")
    List<String> runDirs;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where the page goes (default RUN_DIR/report; required with several runs).")
    String output;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new ReportJob(), args));
    }

    @Override
    protected void checkInputs(VitsparkConfig config) {
        for (String d : runDirs) {
            String problem = RunConfig.notARun("report", d);
            if (problem != null) {
                throw new UsageException(problem);
            }
        }
        if (runDirs.size() > 1 && output == null) {
            throw new UsageException("report: comparing " + runDirs.size() + " runs needs --output DIR");
        }
    }

    @Override
    protected String plan(VitsparkConfig config) {
        return "report: read " + String.join(", ", runDirs) + " (metrics.jsonl, summary.json, analysis/), write "
                + outputDir() + "/" + HtmlReport.PAGE;
    }

    private String outputDir() {
        return output != null ? output : runDirs.get(0) + "/report";
    }

    @Override
    protected int run(VitsparkConfig config) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Configuration hadoop = HadoopFiles.configuration(config.settings().hadoop());
        List<RunDirectory> dirs = new ArrayList<>();
        for (String d : runDirs) {
            dirs.add(RunDirectory.open(d, hadoop));
        }
        if (dirs.size() == 1) {
            RunDirectory run = dirs.get(0);
            String text = RunSummary.read(run).render();
            HadoopFiles.writeString(run.fs(), run.file("report/summary.txt"), text);
            out.print(text);
            out.println("written to " + run.file("report/summary.txt"));
        }
        Path target = new Path(outputDir());
        Path page = HtmlReport.write(dirs, RunLabels.of(dirs), target.getFileSystem(hadoop), target);
        out.println("report: " + page);
        out.flush();
        return OK;
    }
}
