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

    private RunReport() {
    }

    /** Writes summary.txt and the page; returns the page's path. */
    public static Path write(RunDirectory run) throws IOException {
        HadoopFiles.writeString(run.fs(), run.file(DIR + "/summary.txt"), RunSummary.read(run).render());
        return HtmlReport.write(List.of(run), RunLabels.of(List.of(run)), run.fs(), run.file(DIR));
    }
}
