package org.vitspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;

/** What a run directory says about its run, read back from metrics.jsonl, summary.json, eval.json and the hash. */
public record RunSummary(String run, String configHash, List<JsonNode> metrics, JsonNode summary, JsonNode eval) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunSummary read(RunDirectory dir) throws IOException {
        return new RunSummary(dir.toString(), HadoopFiles.readString(dir.fs(), dir.file(RunDirectory.HASH_FILE)).trim(),
                jsonLines(dir.fs(), dir.file("metrics.jsonl")), optional(dir, "summary.json"),
                optional(dir, "eval.json"));
    }

    /** The rows of a JSON-lines file such as metrics.jsonl (none when it does not exist). */
    public static List<JsonNode> jsonLines(org.apache.hadoop.fs.FileSystem fs, Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        if (fs.exists(file)) {
            for (String line : HadoopFiles.readString(fs, file).split("\n")) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
        }
        return rows;
    }

    private static JsonNode optional(RunDirectory dir, String name) throws IOException {
        Path p = dir.file(name);
        return dir.fs().exists(p) ? JSON.readTree(HadoopFiles.readString(dir.fs(), p)) : null;
    }

    public String render() {
        StringBuilder s = new StringBuilder();
        s.append("run ").append(run).append('\n');
        s.append("config sha256 ").append(configHash).append('\n');
        s.append(String.format("%n%-10s %-6s %-6s %-7s %-8s %-8s %-7s %-7s %-7s %-8s%n", "kind", "epoch", "round",
                "step", "loss", "clean", "acc", "top-1", "top-5", "round-s"));
        long trainRows = metrics.stream().filter(r -> "train".equals(r.path("kind").asText())).count();
        // a pretraining run: its training rows have no accuracy; its evaluations are k-NN top-1/top-5
        boolean ssl = metrics.stream().anyMatch(r -> "knn".equals(r.path("kind").asText()));
        long every = Math.max(1, trainRows / 20); // about 20 training rows, every evaluation
        long seen = 0;
        for (JsonNode row : metrics) {
            String kind = row.path("kind").asText();
            // evaluations: of the test split ("eval") and, with train.eval-train, of the training split
            boolean knn = "knn".equals(kind) || "knn_pixels".equals(kind);
            boolean eval = "eval".equals(kind) || "eval_train".equals(kind) || knn;
            if (!eval && !"train".equals(kind)) {
                continue;
            }
            if (!eval && ++seen % every != 0 && seen != trainRows) {
                continue;
            }
            s.append(String.format("%-10s %-6s %-6d %-7d %-8s %-8s %-7s %-7s %-7s %-8s%n",
                    "eval_train".equals(kind) ? "eval-train" : knn ? kind.replace("knn", "k-NN").replace('_', '-') : kind,
                    eval ? row.path("epochs_done").asText() : row.path("epoch").asText(), row.path("round").asInt(),
                    row.path("step").asInt(), knn ? "" : String.format("%.4f", row.path("loss").asDouble()),
                    eval ? "" : String.format("%.4f", row.path("clean_loss").asDouble()),
                    eval || ssl ? "" : String.format("%.3f", row.path("accuracy").asDouble()),
                    eval ? String.format("%.4f", row.path("top1").asDouble()) : "",
                    eval ? String.format("%.4f", row.path("top5").asDouble()) : "",
                    eval ? "" : String.format("%.2f", row.path("round_s").asDouble())));
        }
        if (summary != null && summary.has("knn_top1")) {
            s.append(String.format("%nfinal teacher k-NN top-1 %.4f, top-5 %.4f after %d rounds, %.1f s, %,d parameters%n",
                    summary.path("knn_top1").asDouble(), summary.path("knn_top5").asDouble(),
                    summary.path("rounds").asInt(), summary.path("seconds").asDouble(), summary.path("params").asLong()));
        } else if (summary != null) {
            s.append(String.format("%nfinal test top-1 %.4f, top-5 %.4f after %d rounds, %.1f s, %,d parameters%n",
                    summary.path("test_top1").asDouble(), summary.path("test_top5").asDouble(),
                    summary.path("rounds").asInt(), summary.path("seconds").asDouble(), summary.path("params").asLong()));
        } else {
            s.append("\nno summary.json: the run has not finished\n");
        }
        if (eval != null) {
            s.append(String.format("eval: %d images, loss %.4f, top-1 %.4f, top-5 %.4f%n", eval.path("images").asInt(),
                    eval.path("loss").asDouble(), eval.path("top1").asDouble(), eval.path("top5").asDouble()));
        }
        return s.toString();
    }
}
