package org.vitspark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.report.HeadlessChromium;
import org.vitspark.suite.Band;
import org.vitspark.suite.HistoryRow;
import org.vitspark.suite.SuiteJob;
import org.vitspark.suite.SuiteSpec;
import org.vitspark.suite.Verdict;

/** The suite report: verdict.json says what failed; the page opens in headless Chromium with every plot. */
class SuiteReportTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aFailedNightsReportNamesItsProblemsAndDrawsEveryMetric() throws Exception {
        SuiteSpec spec = new SuiteSpec("smoke", "", "h", 7, List.of(
                new SuiteSpec.Experiment("tiny", SuiteJob.TRAIN, java.nio.file.Path.of("c"), null, null, null, Map.of(),
                        List.of(new Band("test_top1", 0.8, null), new Band("wall_s", null, 600.0))),
                new SuiteSpec.Experiment("hessian", SuiteJob.ANALYZE, java.nio.file.Path.of("c"), null, null, "tiny", Map.of(),
                        List.of())));
        List<HistoryRow> history = new ArrayList<>();
        for (int d = 20; d < 30; d++) {
            history.add(new HistoryRow("smoke", "tiny", "2026-11-" + d, "r", "h", "test_top1", 0.85 + (d % 3) * 0.002,
                    0.8, null, "ok"));
            history.add(new HistoryRow("smoke", "tiny", "2026-11-" + d, "r", "h", "wall_s", 300 + d, null, 600.0, "ok"));
        }
        Verdict v = Verdict.judge(spec, "2026-12-01", "abc1234", Map.of(
                "tiny", new Verdict.Outcome("runs/nightly-smoke-tiny/2026-12-01-abc1234-h", "h",
                        Map.of("test_top1", 0.78, "wall_s", 330.0, "images_per_s", 900.0), null),
                "hessian", Verdict.Outcome.failed("runs/x", "analyze: checkpoint missing")), history);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path page = SuiteReport.write(v, history, fs, new Path(dir.toUri()));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("verdict.json").toFile());
        assertEquals(false, json.get("passed").asBoolean());
        assertEquals(1, json.get("exit_code").asInt());
        assertEquals(List.of("tiny: test_top1 0.780000 outside ≥ 0.8", "hessian: failed: analyze: checkpoint missing"),
                new ObjectMapper().convertValue(json.get("problems"), List.class));
        JsonNode top1 = json.get("experiments").get(0).get("metrics").get(1);
        assertEquals("test_top1", top1.get("metric").asText());
        assertEquals("band", top1.get("status").asText());
        assertTrue(top1.get("band_max").isNull() && top1.get("enough_history").asBoolean(), top1.toString());
        assertEquals("failed", json.get("experiments").get(1).get("status").asText());

        try (var files = Files.list(dir)) {
            assertEquals(3, files.filter(f -> f.getFileName().toString().startsWith("trend-tiny-")).count(),
                    "one plot per metric of tiny");
        }
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            HeadlessChromium.PageCheck check = browser.open(java.nio.file.Path.of(page.toUri()));
            assertEquals(List.of(), check.errors());
            assertEquals(List.of(), check.brokenImages());
            assertEquals(3, check.images());
        }
        String html = Files.readString(dir.resolve("index.html"));
        // run directories are linked relative to the report (they move together), whatever the working directory
        Path runs = new Path(dir.resolve("runs/x").toUri());
        assertEquals("runs/x/report/index.html", SuiteReport.link(fs, new Path(dir.toUri()), runs.toString(), "train"));
        assertEquals("../t/report/index.html", SuiteReport.link(fs, new Path(dir.resolve("r").toUri()),
                dir.resolve("t").toString(), "analyze"));
        assertEquals("runs/x/index.html", SuiteReport.link(fs, new Path(dir.toUri()), runs.toString(), "experiment"));
        assertTrue(html.contains("failed</span></h1>") && html.contains("analyze: checkpoint missing"), html);
    }

    @Test
    void bandsThatTestAClaimMakeTheClaimsTablePaperAgainstMeasured() throws Exception {
        SuiteSpec spec = new SuiteSpec("reproduce", "", "h", 7, List.of(
                new SuiteSpec.Experiment("sam", SuiteJob.EXPERIMENT, null, "sam-regime", null, null, Map.of(),
                        List.of(new Band("sam_gain_pt", 1.0, null, "SAM beats AdamW", "+5.3 pt (ViT-B/16)"),
                                new Band("lambda_ratio", 3.0, null, "SAM flattens", "35x"),
                                new Band("wall_s", null, 1e5)))));
        Verdict v = Verdict.judge(spec, "2026-12-01", "abc1234", Map.of("sam", new Verdict.Outcome(
                dir.resolve("runs/sam").toString(), "h", Map.of("sam_gain_pt", 1.24, "lambda_ratio", 0.49), null)),
                List.of());
        FileSystem fs = FileSystem.getLocal(new Configuration());
        SuiteReport.write(v, List.of(), fs, new Path(dir.resolve("report").toUri()));
        String html = Files.readString(dir.resolve("report/index.html"));
        String table = html.substring(html.indexOf("<h2>Claims"), html.indexOf("</table>", html.indexOf("<h2>Claims")));
        assertTrue(table.contains("<td>SAM beats AdamW</td><td>+5.3 pt (ViT-B/16)</td><td>sam_gain_pt = 1.24000</td>"
                + "<td>≥ 1.0</td><td class=\"ok\">met</td><td><a href=\"../runs/sam/index.html\">sam</a>"), table);
        assertTrue(table.contains("<td>lambda_ratio = 0.490000</td><td>≥ 3.0</td><td class=\"failed\">not met</td>"),
                table);
        assertTrue(!table.contains("wall_s"), "a band without a claim is not a claim: " + table);
        JsonNode claim = null;
        for (JsonNode m : new ObjectMapper().readTree(dir.resolve("report/verdict.json").toFile())
                .get("experiments").get(0).get("metrics")) {
            claim = m.get("metric").asText().equals("lambda_ratio") ? m : claim;
        }
        assertEquals("SAM flattens", claim.get("claim").asText(), claim.toString());
    }
}
