package org.vitspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;
import org.vitspark.digest.Sha256;

/** Everything the HTML report shows about one run, read from its directory. */
record RunRecord(String label, RunDirectory dir, RunSummary summary, String config, JsonNode analysis,
                 Map<String, byte[]> analysisImages, Map<String, String> hashes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RunRecord read(String label, RunDirectory dir) throws IOException {
        RunSummary summary = RunSummary.read(dir);
        String config = HadoopFiles.readString(dir.fs(), dir.file(RunDirectory.CONFIG_FILE));
        JsonNode analysis = null;
        Map<String, byte[]> images = new LinkedHashMap<>();
        Path json = dir.file(AnalysisReport.DIR + "/" + AnalysisReport.JSON_FILE);
        if (dir.fs().exists(json)) {
            analysis = JSON.readTree(HadoopFiles.readString(dir.fs(), json));
            for (JsonNode name : analysis.path("images")) {
                images.put(name.asText(), bytes(dir, dir.file(AnalysisReport.DIR + "/" + name.asText())));
            }
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("config.conf (resolved configuration)", summary.configHash());
        for (String f : List.of("weights.safetensors", "model.zip", "checkpoints/LATEST")) {
            Path p = dir.file(f);
            if (dir.fs().exists(p)) {
                hashes.put(f, Sha256.hex(bytes(dir, p)));
            }
        }
        if (analysis != null) {
            hashes.put("analysed checkpoint", analysis.path("checkpoint").asText());
        }
        return new RunRecord(label, dir, summary, config, analysis, images, hashes);
    }

    private static byte[] bytes(RunDirectory dir, Path p) throws IOException {
        try (var in = dir.fs().open(p)) {
            return in.readAllBytes();
        }
    }

    List<JsonNode> rows(String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : summary.metrics()) {
            if (kind.equals(r.path("kind").asText())) {
                out.add(r);
            }
        }
        return out;
    }

    /** A self-supervised pretraining run: it has k-NN health rows and no labelled training accuracy. */
    boolean selfSupervised() {
        return !rows("knn").isEmpty();
    }

    /** (step, field) of the rows of one kind that have the field. */
    Charts.Series series(String kind, String field, String name) {
        List<double[]> pts = new ArrayList<>();
        for (JsonNode r : rows(kind)) {
            if (r.has(field) && r.get(field).isNumber()) {
                pts.add(new double[] {r.path("step").asDouble(), r.get(field).asDouble()});
            }
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new Charts.Series(name, x, y);
    }
}
