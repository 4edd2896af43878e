package org.vitspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.fs.HadoopFiles;

/**
 * One self-contained HTML page (index.html with its PNGs beside it, no external resources) for one run
 * or a comparison of several: training and evaluation curves, the analyze results and plots, the resolved
 * configuration and hashes. Charts are JFreeChart PNGs; the page itself is static apart from a few lines
 * of script that sort the summary table.
 */
public final class HtmlReport {

    public static final String PAGE = "index.html";

    private final List<RunRecord> runs;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final StringBuilder html = new StringBuilder();

    private HtmlReport(List<RunRecord> runs) {
        this.runs = runs;
    }

    /** Writes the page and its images into {@code out}; returns the page's path. */
    public static Path write(List<org.vitspark.run.RunDirectory> dirs, List<String> labels, FileSystem fs, Path out)
            throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            runs.add(RunRecord.read(labels.get(i), dirs.get(i)));
        }
        HtmlReport r = new HtmlReport(runs);
        r.render();
        for (Map.Entry<String, byte[]> f : r.files.entrySet()) {
            HadoopFiles.writeAtomically(fs, new Path(out, f.getKey()), o -> o.write(f.getValue()));
        }
        Path page = new Path(out, PAGE);
        HadoopFiles.writeString(fs, page, r.html.toString());
        return page;
    }

    private void render() {
        boolean compare = runs.size() > 1;
        String title = compare ? "vitspark comparison: " + String.join(" vs ", runs.stream().map(RunRecord::label).toList())
                : "vitspark run " + runs.get(0).label();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1300px}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}th{background:#eee;cursor:pointer}td:first-child,th:first-child{text-align:left}"
                        + "img{margin:4px;border:1px solid #ddd;max-width:100%}pre{background:#f6f6f6;padding:1em;"
                        + "overflow:auto;font-size:12px}.fig{display:inline-block;vertical-align:top}</style></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n<p>Generated ").append(Instant.now()).append(" from ")
                .append(esc(String.join(", ", runs.stream().map(r -> r.dir().toString()).toList()))).append(".</p>\n");
        summaryTable();
        curves();
        analysis();
        for (RunRecord r : runs) {
            html.append("<h2>").append(esc(r.label())).append(": configuration and hashes</h2>\n<table><tr><th>item</th><th>SHA-256 / name</th></tr>\n");
            r.hashes().forEach((k, v) -> html.append("<tr><td>").append(esc(k)).append("</td><td><code>").append(esc(v))
                    .append("</code></td></tr>\n"));
            html.append("</table>\n<details><summary>resolved configuration (secrets hidden)</summary><pre>")
                    .append(esc(r.config())).append("</pre></details>\n");
        }
        html.append("<script>\n// click a column header of the summary table to sort by it\n"
                + "document.querySelectorAll('table.sortable th').forEach(function (th, col) {\n"
                + "  th.addEventListener('click', function () {\n"
                + "    var body = th.closest('table').tBodies[0];\n"
                + "    var rows = Array.from(body.rows);\n"
                + "    var key = function (r) { var t = r.cells[col].textContent; var n = parseFloat(t); return isNaN(n) ? t : n; };\n"
                + "    rows.sort(function (a, b) { var x = key(a), y = key(b); return x < y ? -1 : x > y ? 1 : 0; });\n"
                + "    rows.forEach(function (r) { body.appendChild(r); });\n"
                + "  });\n});\n</script>\n</body></html>\n");
    }

    private void summaryTable() {
        html.append("<h2>Summary</h2>\n<table class=\"sortable\"><thead><tr><th>run</th><th>test top-1</th><th>test top-5</th>"
                + "<th>teacher k-NN top-1</th>"
                + "<th>rounds</th><th>training s</th><th>parameters</th><th>Hessian &lambda;<sub>max</sub></th>"
                + "<th>power iterations</th><th>mean active neurons</th><th>last-block patch |cos|</th>"
                + "<th>after final norm</th></tr></thead><tbody>\n");
        for (RunRecord r : runs) {
            JsonNode s = r.summary().summary() != null ? r.summary().summary() : lastEvaluation(r);
            JsonNode a = r.analysis();
            html.append("<tr><td>").append(esc(r.label())).append("</td>")
                    .append(cell(s, "test_top1", "%.4f")).append(cell(s, "test_top5", "%.4f"))
                    .append(cell(s, "knn_top1", "%.4f"))
                    .append(cell(s, "rounds", "%.0f")).append(cell(s, "seconds", "%.1f")).append(cell(s, "params", "%.0f"))
                    .append(cell(a == null ? null : a.path("hessian"), "lambda_max", "%.4g"))
                    .append(cell(a == null ? null : a.path("hessian"), "iterations", "%.0f"))
                    .append("<td>").append(a == null || !a.has("neurons") ? "" : String.format("%.3f",
                            mean(a.path("neurons").path("active_ratio")))).append("</td>")
                    .append("<td>").append(a == null || !a.has("oversmoothing") ? "" : String.format("%.3f",
                            last(a.path("oversmoothing").path("patch_cosine")))).append("</td>")
                    .append(cell(a == null ? null : a.path("oversmoothing"), "patch_cosine_final_norm", "%.3f"))
                    .append("</tr>\n");
        }
        html.append("</tbody></table>\n");
        if (runs.stream().anyMatch(r -> r.summary().summary() == null)) {
            html.append("<p>A run without summary.json has not finished (or stopped before its export): its row shows "
                    + "its last evaluation in metrics.jsonl and no training time.</p>\n");
        }
    }

    // test accuracy and round of the last evaluation row, for a run that has no summary.json
    private static JsonNode lastEvaluation(RunRecord r) {
        List<JsonNode> evals = r.rows("eval");
        com.fasterxml.jackson.databind.node.ObjectNode n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        if (!evals.isEmpty()) {
            JsonNode e = evals.get(evals.size() - 1);
            n.put("test_top1", e.path("top1").asDouble()).put("test_top5", e.path("top5").asDouble())
                    .put("rounds", e.path("round").asInt());
        }
        return n;
    }

    private void curves() {
        html.append("<h2>Training and evaluation</h2>\n");
        chart("loss.png", "Loss (training at w+e for SAM; clean; test)", "step", "cross-entropy", r -> {
            List<Charts.Series> s = new ArrayList<>();
            s.add(r.series("train", "loss", r.label() + " train"));
            s.add(r.series("train", "clean_loss", r.label() + " clean"));
            s.add(r.series("eval", "loss", r.label() + " test"));
            // train.eval-train: the training split evaluated as stored, beside the test curve
            s.add(r.series("eval_train", "loss", r.label() + " train (eval)"));
            return s;
        });
        // a pretraining run has no labels in training: no accuracy curve, its health metric and monitors instead
        chart("accuracy.png", "Accuracy", "step", "accuracy", r -> r.selfSupervised() ? List.of()
                : List.of(r.series("train", "accuracy", r.label() + " train"),
                r.series("eval_train", "top1", r.label() + " train (eval) top-1"),
                r.series("eval", "top1", r.label() + " test top-1"), r.series("eval", "top5", r.label() + " test top-5")));
        chart("knn.png", "k-NN top-1 on the teacher's features (step 0: random initialisation)", "step", "top-1",
                r -> List.of(r.series("knn", "top1", r.label() + " teacher"),
                        r.series("knn_pixels", "top1", r.label() + " raw pixels")));
        chart("collapse.png", "Collapse monitors (uniform collapse: entropy at ln K, KL at 0)", "step", "nats",
                r -> List.of(r.series("train", "teacher_entropy", r.label() + " teacher entropy"),
                        r.series("train", "kl_teacher_student", r.label() + " KL(teacher||student)")));
        chart("lr.png", "Learning rate", "step", "lr", r -> List.of(r.series("train", "lr", r.label())));
        chart("grad-norm.png", "Gradient norm (before clipping)", "step", "global L2 norm",
                r -> List.of(r.series("train", "grad_norm", r.label())));
        chart("throughput.png", "Throughput", "step", "images/s", r -> List.of(r.series("train", "images_per_s", r.label())));
    }

    private void chart(String file, String title, String x, String y, Function<RunRecord, List<Charts.Series>> series) {
        List<Charts.Series> all = new ArrayList<>();
        for (RunRecord r : runs) {
            series.apply(r).stream().filter(s -> s.x().length > 0).forEach(all::add);
        }
        if (all.isEmpty()) {
            return;
        }
        image(file, Charts.png(Charts.lines(title, x, y, all, false), 640, 380), title);
    }

    private void analysis() {
        List<RunRecord> analysed = runs.stream().filter(r -> r.analysis() != null).toList();
        html.append("<h2>Diagnostics (deploy/vitspark analyze)</h2>\n");
        if (analysed.isEmpty()) {
            html.append("<p>No analysis: run <code>deploy/vitspark analyze RUN_DIR</code> first.</p>\n");
            return;
        }
        html.append("<table><tr><th>run</th><th>checkpoint</th><th>precision</th><th>&lambda;<sub>max</sub></th>"
                + "<th>images</th><th>iterations</th><th>converged</th><th>landscape images</th><th>probe images</th></tr>\n");
        for (RunRecord r : analysed) {
            JsonNode a = r.analysis();
            JsonNode h = a.path("hessian");
            html.append("<tr><td>").append(esc(r.label())).append("</td><td>").append(esc(a.path("checkpoint").asText()))
                    .append("</td><td>").append(esc(a.path("precision").asText())).append("</td>")
                    .append(cell(h, "lambda_max", "%.4g")).append(cell(h, "images", "%.0f")).append(cell(h, "iterations", "%.0f"))
                    .append("<td>").append(h.has("converged") ? h.path("converged").asText() : "").append("</td>")
                    .append(cell(a.path("landscape"), "images", "%.0f")).append(cell(a.path("neurons"), "images", "%.0f"))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
        perBlockHessian(analysed);
        perLayer(analysed, "neurons", "active_ratio", "neurons.png", "Active MLP neurons per block (activation > 0)",
                "fraction active");
        perLayer(analysed, "oversmoothing", "patch_cosine", "oversmoothing.png",
                "Over-smoothing: mean |cos| between patch tokens", "mean |cos|");
        List<Charts.Series> lines = new ArrayList<>();
        for (RunRecord r : analysed) {
            JsonNode l = r.analysis().path("landscape");
            if (l.has("coords_1d")) {
                lines.add(new Charts.Series(r.label(), doubles(l.path("coords_1d")), doubles(l.path("loss_1d"))));
            }
        }
        if (!lines.isEmpty() && analysed.size() > 1) {
            image("landscape-1d-all.png", Charts.png(Charts.lines("Loss along a filter-normalised direction", "alpha",
                    "cross-entropy", lines, true), 640, 380), "1-D landscapes");
        }
        for (RunRecord r : analysed) {
            html.append("<h3>").append(esc(r.label())).append("</h3>\n");
            for (Map.Entry<String, byte[]> img : r.analysisImages().entrySet()) {
                image(prefix(r) + img.getKey(), img.getValue(), r.label() + " " + img.getKey());
            }
        }
    }

    private void perBlockHessian(List<RunRecord> analysed) {
        List<String> blocks = new ArrayList<>();
        analysed.forEach(r -> r.analysis().path("hessian").path("per_block").fieldNames().forEachRemaining(n -> {
            if (!blocks.contains(n)) {
                blocks.add(n);
            }
        }));
        if (blocks.isEmpty()) {
            return;
        }
        html.append("<h3>&lambda;<sub>max</sub> per component</h3>\n<table><tr><th>component</th>");
        analysed.forEach(r -> html.append("<th>").append(esc(r.label())).append("</th>"));
        html.append("</tr>\n");
        for (String b : blocks) {
            html.append("<tr><td>").append(esc(b)).append("</td>");
            analysed.forEach(r -> html.append(cell(r.analysis().path("hessian").path("per_block").path(b), "lambda_max", "%.4g")));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private void perLayer(List<RunRecord> analysed, String section, String field, String file, String title, String y) {
        Map<String, double[]> series = new LinkedHashMap<>();
        int depth = 0;
        for (RunRecord r : analysed) {
            JsonNode v = r.analysis().path(section).path(field);
            if (v.isArray() && v.size() > 0) {
                series.put(r.label(), doubles(v));
                depth = Math.max(depth, v.size());
            }
        }
        if (series.isEmpty()) {
            return;
        }
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            blocks.add("block " + (i + 1));
        }
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length < depth) {
                e.setValue(java.util.Arrays.copyOf(e.getValue(), depth));
            }
        }
        image(file, Charts.png(Charts.bars(title, "block", y, blocks, series), 640, 380), title);
        html.append("<table><tr><th>").append(esc(section)).append("</th>");
        blocks.forEach(b -> html.append("<th>").append(b).append("</th>"));
        html.append("</tr>\n");
        series.forEach((run, v) -> {
            html.append("<tr><td>").append(esc(run)).append("</td>");
            for (double d : v) {
                html.append("<td>").append(String.format("%.3f", d)).append("</td>");
            }
            html.append("</tr>\n");
        });
        html.append("</table>\n");
    }

    private String prefix(RunRecord r) {
        return runs.size() > 1 ? r.label().replaceAll("[^A-Za-z0-9._-]", "_") + "-" : "";
    }

    private void image(String file, byte[] png, String alt) {
        files.put(file, png);
        html.append("<div class=\"fig\"><img src=\"").append(esc(file)).append("\" alt=\"").append(esc(alt))
                .append("\"></div>\n");
    }

    private static String cell(JsonNode node, String field, String format) {
        if (node == null || !node.has(field) || !node.get(field).isNumber()) {
            return "<td></td>";
        }
        return "<td>" + String.format(format, node.get(field).asDouble()) + "</td>";
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static double mean(JsonNode a) {
        return java.util.Arrays.stream(doubles(a)).average().orElse(Double.NaN);
    }

    private static double last(JsonNode a) {
        return a.size() == 0 ? Double.NaN : a.get(a.size() - 1).asDouble();
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
