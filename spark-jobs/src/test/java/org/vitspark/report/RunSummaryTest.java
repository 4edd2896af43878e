package org.vitspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainingSplitEvaluationsAreTheirOwnRowsNotTrainingRows() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            rows.add(JSON.readTree("{\"kind\":\"train\",\"epoch\":1,\"round\":" + r + ",\"step\":" + 4 * r
                    + ",\"loss\":0.5,\"clean_loss\":0.4,\"accuracy\":0.8,\"round_s\":0.25}"));
        }
        rows.add(JSON.readTree("{\"kind\":\"eval_train\",\"epochs_done\":1,\"round\":3,\"step\":12,\"loss\":0.3,\"top1\":0.9125,\"top5\":1.0}"));
        rows.add(JSON.readTree("{\"kind\":\"eval\",\"epochs_done\":1,\"round\":3,\"step\":12,\"loss\":0.6,\"top1\":0.8125,\"top5\":0.99}"));
        List<String> lines = new RunSummary("r", "abc", rows, null, null).render().lines().toList();
        List<String> train = lines.stream().filter(l -> l.startsWith("train ")).toList();
        assertEquals(3, train.size(), lines.toString());
        assertTrue(train.stream().allMatch(l -> l.contains("0.4000") && l.contains("0.800")), train.toString());
        String evalTrain = lines.stream().filter(l -> l.startsWith("eval-train ")).findFirst().orElseThrow();
        assertTrue(evalTrain.contains("0.3000") && evalTrain.contains("0.9125"), evalTrain);
        String eval = lines.stream().filter(l -> l.startsWith("eval ")).findFirst().orElseThrow();
        assertTrue(eval.contains("0.6000") && eval.contains("0.8125"), eval);
    }

    @Test
    void pretrainingRunsShowTheirKnnRowsAndNoAccuracy() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        rows.add(JSON.readTree("{\"kind\":\"knn_pixels\",\"epochs_done\":0,\"round\":0,\"step\":0,\"top1\":0.8019,\"top5\":0.98}"));
        rows.add(JSON.readTree("{\"kind\":\"knn\",\"epochs_done\":0,\"round\":0,\"step\":0,\"top1\":0.4812,\"top5\":0.9}"));
        rows.add(JSON.readTree("{\"kind\":\"train\",\"epoch\":1,\"round\":1,\"step\":4,\"loss\":6.7,\"clean_loss\":6.7,"
                + "\"accuracy\":0.0,\"round_s\":12.1,\"teacher_entropy\":6.6}"));
        rows.add(JSON.readTree("{\"kind\":\"knn\",\"epochs_done\":1,\"round\":1,\"step\":4,\"top1\":0.5123,\"top5\":0.91}"));
        JsonNode summary = JSON.readTree("{\"knn_top1\":0.5123,\"knn_top5\":0.91,\"last_loss\":6.7,\"rounds\":1,"
                + "\"seconds\":20.0,\"params\":100}");
        List<String> lines = new RunSummary("r", "abc", rows, summary, null).render().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("k-NN-pixels ") && l.contains("0.8019")), lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("k-NN ")).count(), lines.toString());
        String train = lines.stream().filter(l -> l.startsWith("train ")).findFirst().orElseThrow();
        assertTrue(train.contains("6.7000") && !train.contains("0.000 "), "no accuracy column: " + train);
        assertTrue(lines.contains("final teacher k-NN top-1 0.5123, top-5 0.9100 after 1 rounds, 20.0 s, 100 parameters"),
                lines.toString());
    }
}
