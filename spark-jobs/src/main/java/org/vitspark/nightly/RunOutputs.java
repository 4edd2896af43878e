package org.vitspark.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.report.RunSummary;
import org.vitspark.suite.SuiteJob;

/**
 * The metrics a finished run reports, read from the files its job leaves (the names {@link SuiteJob} lists):
 * summary.json of train, pretrain and the supernet; metrics.jsonl's rounds (throughput, the teacher's
 * entropy) and k-NN rows; analysis/analysis.json; the search's top-genomes.json. {@code wall_s} is the
 * job's own recorded time where it has one.
 */
public final class RunOutputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunOutputs() {
    }

    /** Whether the run of {@code job} in {@code dir} finished (its final output exists). */
    public static boolean finished(FileSystem fs, SuiteJob job, Path dir) throws IOException {
        return fs.exists(new Path(dir, finalFile(job)));
    }

    static String finalFile(SuiteJob job) {
        return switch (job) {
            case TRAIN, PRETRAIN, SEARCH_SUPERNET -> "summary.json";
            case ANALYZE -> "analysis/analysis.json";
            case SEARCH_EVOLVE -> "top-genomes.json";
            case EXPERIMENT -> "gates.json";
        };
    }

    public static Map<String, Double> read(FileSystem fs, SuiteJob job, Path dir) throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        switch (job) {
            case TRAIN, SEARCH_SUPERNET -> {
                JsonNode s = json(fs, new Path(dir, "summary.json"));
                for (String k : List.of("test_top1", "test_top5", "test_loss", "last_loss")) {
                    put(m, k, s.path(k));
                }
                put(m, SuiteJob.WALL, s.path("seconds"));
                m.put("images_per_s", meanThroughput(rows(fs, dir, "train")));
            }
            case PRETRAIN -> {
                JsonNode s = json(fs, new Path(dir, "summary.json"));
                put(m, "knn_top1", s.path("knn_top1"));
                put(m, "knn_top5", s.path("knn_top5"));
                put(m, "last_loss", s.path("last_loss"));
                put(m, SuiteJob.WALL, s.path("seconds"));
                List<JsonNode> knn = rows(fs, dir, "knn");
                if (!knn.isEmpty()) {
                    m.put("knn_gain", knn.get(knn.size() - 1).path("top1").asDouble()
                            - knn.get(0).path("top1").asDouble());
                }
                List<JsonNode> train = rows(fs, dir, "train");
                if (!train.isEmpty()) {
                    put(m, "teacher_entropy", train.get(train.size() - 1).path("teacher_entropy"));
                }
                m.put("images_per_s", meanThroughput(train));
            }
            case ANALYZE -> {
                JsonNode a = json(fs, new Path(dir, "analysis/analysis.json"));
                put(m, "lambda_max", a.path("hessian").path("lambda_max"));
                put(m, SuiteJob.WALL, a.path("seconds"));
            }
            case SEARCH_EVOLVE -> {
                JsonNode best = json(fs, new Path(dir, "top-genomes.json")).path("genomes").path(0);
                put(m, "best_score", best.path("score"));
                put(m, "best_macs", best.path("macs"));
            }
            case EXPERIMENT -> json(fs, new Path(dir, "gates.json")).fields()
                    .forEachRemaining(e -> put(m, e.getKey(), e.getValue()));
        }
        return m;
    }

    private static void put(Map<String, Double> m, String key, JsonNode v) {
        if (v.isNumber()) {
            m.put(key, v.asDouble());
        }
    }

    /** Images per second over the rounds after the first (which carries start-up costs); NaN without rounds. */
    static double meanThroughput(List<JsonNode> train) {
        List<JsonNode> steady = train.size() > 1 ? train.subList(1, train.size()) : train;
        return steady.stream().mapToDouble(r -> r.path("images_per_s").asDouble(Double.NaN)).average()
                .orElse(Double.NaN);
    }

    private static JsonNode json(FileSystem fs, Path file) throws IOException {
        return JSON.readTree(HadoopFiles.readString(fs, file));
    }

    private static List<JsonNode> rows(FileSystem fs, Path dir, String kind) throws IOException {
        return RunSummary.jsonLines(fs, new Path(dir, "metrics.jsonl")).stream()
                .filter(n -> kind.equals(n.path("kind").asText())).toList();
    }
}
