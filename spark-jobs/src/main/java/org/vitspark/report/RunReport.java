package org.vitspark.report;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;

/**
 * The report of one run, written into RUN_DIR/report: summary.txt and the HTML page (index.html, PNGs
 * beside it). What {@code train} ends with and what {@code report RUN_DIR} regenerates, analyze results
 * included when the run has them.
 */
public final class RunReport {

    public static final String DIR = "report";

    /** The text summary and where the page went. */
    public record Written(String summary, Path summaryFile, Path page) {
    }

    private RunReport() {
    }

    public static Written write(RunDirectory run) throws IOException {
        String text = RunSummary.read(run).render();
        Path summaryFile = run.file(DIR + "/summary.txt");
        HadoopFiles.writeString(run.fs(), summaryFile, text);
        Path page = HtmlReport.write(List.of(run), RunLabels.of(List.of(run)), run.fs(), run.file(DIR));
        return new Written(text, summaryFile, page);
    }
}
