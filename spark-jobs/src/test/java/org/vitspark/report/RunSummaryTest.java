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
}
