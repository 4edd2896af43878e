package org.vitspark.nightly;

import static org.vitspark.report.HtmlReport.esc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.report.Charts;
import org.vitspark.report.TrendChart;
import org.vitspark.suite.HistoryRow;
import org.vitspark.suite.Verdict;

/**
 * A night's suite report: {@code verdict.json} (machine-readable: passed, exit code, every problem, every
 * experiment's metrics with band and trend) and {@code index.html} (the same as a page, with one trend
 * plot per metric: earlier nights, tonight marked, the band drawn, and a link to each run's own report).
 */
public final class SuiteReport {

    public static final String PAGE = "index.html";
    public static final String VERDICT = "verdict.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SuiteReport() {
    }

    /** Writes both files (and the plots) under {@code out}; returns the page. */
    public static Path write(Verdict v, List<HistoryRow> history, FileSystem fs, Path out) throws IOException {
        HadoopFiles.writeString(fs, new Path(out, VERDICT), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json(v)) + "\n");
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>vitspark nightly ").append(esc(v.suite()))
                .append(' ').append(v.date()).append("</title><style>body{font-family:sans-serif;margin:24px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}"
                        + ".ok{color:#186a18}.band,.regression,.failed{color:#b01818;font-weight:bold}"
                        + "img{max-width:560px}</style></head><body>\n");
        h.append("<h1>Suite ").append(esc(v.suite())).append(", night ").append(v.date()).append(": <span class=\"")
                .append(v.passed() ? "ok\">passed" : "failed\">failed").append("</span></h1>\n");
        h.append("<p>Revision ").append(esc(v.revision())).append(". Exit code ").append(v.exitCode())
                .append(". Machine-readable: <a href=\"").append(VERDICT).append("\">").append(VERDICT).append("</a>.</p>\n");
        List<String> problems = v.problems();
        if (!problems.isEmpty()) {
            h.append("<h2>Problems</h2><ul>\n");
            problems.forEach(p -> h.append("<li>").append(esc(p)).append("</li>\n"));
            h.append("</ul>\n");
        }
        claims(v, fs, out, h);
        for (Verdict.ExperimentVerdict e : v.experiments()) {
            h.append("<h2>").append(esc(e.id())).append(" (").append(esc(e.job())).append("): <span class=\"")
                    .append(e.status()).append("\">").append(e.status()).append("</span></h2>\n");
            if (!e.runDir().isEmpty()) {
                h.append("<p>Run: <a href=\"").append(esc(link(fs, out, e.runDir(), e.job()))).append("\">")
                        .append(esc(e.runDir())).append("</a></p>\n");
            }
            if (e.error() != null) {
                h.append("<p class=\"failed\">").append(esc(e.error())).append("</p>\n");
                continue;
            }
            h.append("<table><tr><th>metric</th><th>tonight</th><th>band</th><th>earlier nights</th><th>status</th></tr>\n");
            List<String> plots = new ArrayList<>();
            for (Verdict.MetricVerdict m : e.metrics()) {
                h.append("<tr><td>").append(esc(m.metric())).append("</td><td>").append(num(m.value())).append("</td><td>")
                        .append(m.band() == null ? "" : esc(m.band().describe())).append("</td><td>")
                        .append(esc(m.trend().reason())).append("</td><td class=\"").append(m.status()).append("\">")
                        .append(m.status()).append("</td></tr>\n");
                String png = "trend-" + e.id() + "-" + m.metric() + ".png";
                List<TrendChart.Night> earlier = Verdict.earlier(history, e.id(), m.metric(), v.date()).stream()
                        .map(r -> new TrendChart.Night(LocalDate.parse(r.date()), r.value())).toList();
                byte[] bytes = Charts.png(TrendChart.of(e.id() + ": " + m.metric(), m.metric(), earlier,
                        new TrendChart.Night(LocalDate.parse(v.date()), m.value()),
                        m.band() == null ? null : m.band().min(), m.band() == null ? null : m.band().max()), 560, 300);
                HadoopFiles.writeAtomically(fs, new Path(out, png), s -> s.write(bytes));
                plots.add(png);
            }
            h.append("</table>\n");
            plots.forEach(p -> h.append("<img src=\"").append(p).append("\" alt=\"").append(p).append("\">\n"));
        }
        h.append("</body></html>\n");
        Path page = new Path(out, PAGE);
        HadoopFiles.writeString(fs, page, h.toString());
        return page;
    }

    /**
     * The claims table: one row per band that tests a published claim (a band with {@code claim}), the
     * paper's number beside ours, the gate, met or not, and the experiment's own report. Nothing when the
     * suite has no such band.
     */
    private static void claims(Verdict v, FileSystem fs, Path out, StringBuilder h) {
        StringBuilder rows = new StringBuilder();
        for (Verdict.ExperimentVerdict e : v.experiments()) {
            for (Verdict.MetricVerdict m : e.metrics()) {
                if (m.band() == null || m.band().claim() == null) {
                    continue;
                }
                boolean met = e.error() == null && m.inBand();
                rows.append("<tr><td>").append(esc(m.band().claim())).append("</td><td>")
                        .append(esc(m.band().paper() == null ? "" : m.band().paper())).append("</td><td>")
                        .append(esc(m.metric())).append(" = ").append(num(m.value())).append("</td><td>")
                        .append(esc(m.band().describe())).append("</td><td class=\"").append(met ? "ok" : "failed")
                        .append("\">").append(met ? "met" : "not met").append("</td><td>");
                if (!e.runDir().isEmpty()) {
                    rows.append("<a href=\"").append(esc(link(fs, out, e.runDir(), e.job()))).append("\">")
                            .append(esc(e.id())).append("</a>");
                }
                rows.append("</td></tr>\n");
            }
        }
        if (!rows.isEmpty()) {
            h.append("<h2>Claims: the paper against this night</h2>\n<table><tr><th>claim</th><th>paper</th>"
                    + "<th>measured</th><th>gate</th><th>result</th><th>report</th></tr>\n").append(rows)
                    .append("</table>\n");
        }
    }

    /**
     * The link from the report in {@code out} to a run's own report (a job's report/index.html, a named
     * experiment's index.html in its folder): relative when both are on the same filesystem (the pages then
     * move together), the run's full URI otherwise.
     */
    static String link(FileSystem fs, Path out, String runDir, String job) {
        java.net.URI report = fs.makeQualified(out).toUri();
        String page = job.equals(org.vitspark.suite.SuiteJob.EXPERIMENT.key()) ? PAGE : "report/" + PAGE;
        java.net.URI run = fs.makeQualified(new Path(runDir, page)).toUri();
        if (java.util.Objects.equals(report.getScheme(), run.getScheme())
                && java.util.Objects.equals(report.getAuthority(), run.getAuthority())) {
            return java.nio.file.Path.of(report.getPath()).relativize(java.nio.file.Path.of(run.getPath())).toString();
        }
        return run.toString();
    }

    static ObjectNode json(Verdict v) {
        ObjectNode root = JSON.createObjectNode().put("suite", v.suite()).put("date", v.date())
                .put("revision", v.revision()).put("passed", v.passed()).put("exit_code", v.exitCode());
        ArrayNode problems = root.putArray("problems");
        v.problems().forEach(problems::add);
        ArrayNode experiments = root.putArray("experiments");
        for (Verdict.ExperimentVerdict e : v.experiments()) {
            ObjectNode x = experiments.addObject().put("id", e.id()).put("job", e.job()).put("status", e.status())
                    .put("run_dir", e.runDir()).put("config_hash", e.configHash());
            x.put("error", e.error());
            ArrayNode metrics = x.putArray("metrics");
            for (Verdict.MetricVerdict m : e.metrics()) {
                ObjectNode o = metrics.addObject().put("metric", m.metric());
                putNumber(o, "value", m.value());
                putNumber(o, "band_min", m.band() == null || m.band().min() == null ? Double.NaN : m.band().min());
                putNumber(o, "band_max", m.band() == null || m.band().max() == null ? Double.NaN : m.band().max());
                if (m.band() != null && m.band().claim() != null) {
                    o.put("claim", m.band().claim()).put("paper", m.band().paper());
                }
                o.put("in_band", m.inBand()).put("enough_history", m.trend().enoughHistory());
                putNumber(o, "trend_median", m.trend().median());
                putNumber(o, "trend_limit", m.trend().limit());
                o.put("status", m.status());
            }
        }
        return root;
    }

    /** JSON has no NaN: absent values are null. */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "(none)" : String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
