package org.vitspark.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static SuiteSpec spec() {
        return new SuiteSpec("smoke", "", "h", 7, List.of(
                new SuiteSpec.Experiment("tiny", SuiteJob.TRAIN, Path.of("c"), null, null, null, Map.of(),
                        List.of(new Band("test_top1", 0.8, null), new Band("wall_s", null, 600.0))),
                new SuiteSpec.Experiment("hessian", SuiteJob.ANALYZE, Path.of("c"), null, null, "tiny", Map.of(),
                        List.of(new Band("lambda_max", 0.0, null)))));
    }

    private static List<HistoryRow> nights(String metric, double... values) {
        List<HistoryRow> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(new HistoryRow("smoke", "tiny", String.format("2026-11-%02d", 20 + i), "r", "h", metric, values[i],
                    null, null, "ok"));
        }
        return rows;
    }

    @Test
    void aCleanNightPassesAndBecomesHistoryRows() {
        Verdict v = Verdict.judge(spec(), "2026-12-01", "abc", Map.of(
                "tiny", new Verdict.Outcome("runs/t", "h1", Map.of("test_top1", 0.85, "wall_s", 300.0), null),
                "hessian", new Verdict.Outcome("runs/a", "h2", Map.of("lambda_max", 40.0), null)),
                nights("test_top1", 0.85, 0.85, 0.86));
        assertTrue(v.passed(), v.problems().toString());
        assertEquals(0, v.exitCode());
        List<HistoryRow> rows = v.rows();
        assertEquals(3, rows.size());
        assertEquals(new HistoryRow("smoke", "tiny", "2026-12-01", "abc", "h1", "test_top1", 0.85, 0.8, null, "ok"),
                rows.get(0));
    }

    @Test
    void aBandMissARegressionAndAFailureEachFailTheNightAndSayWhy() {
        Verdict v = Verdict.judge(spec(), "2026-12-01", "abc", Map.of(
                "tiny", new Verdict.Outcome("runs/t", "h1", Map.of("test_top1", 0.81, "wall_s", 900.0), null),
                "hessian", Verdict.Outcome.failed("runs/a", "analyze: out of memory")),
                nights("test_top1", 0.86, 0.86, 0.86, 0.86));
        assertEquals(1, v.exitCode());
        assertEquals("band", v.experiments().get(0).status());
        assertEquals("failed", v.experiments().get(1).status());
        assertEquals(List.of("tiny: test_top1 regressed: 0.810000 vs median 0.860000 of 4 night(s) (limit ±0.0172)",
                "tiny: wall_s 900.000 outside ≤ 600.0", "hessian: failed: analyze: out of memory"), v.problems());
        assertEquals(List.of("regression", "band"), v.rows().stream().map(HistoryRow::status).toList());
    }

    @Test
    void aMissingBandedMetricOrAnExperimentNotReachedFails() {
        Verdict v = Verdict.judge(spec(), "2026-12-01", "abc", Map.of(
                "tiny", new Verdict.Outcome("runs/t", "h1", Map.of("wall_s", 10.0), null)), List.of());
        assertEquals("band", v.experiments().get(0).status(), "test_top1 has a band but no value");
        assertEquals("failed", v.experiments().get(1).status());
        assertTrue(v.problems().get(v.problems().size() - 1).startsWith("hessian: failed: did not run"));
        assertEquals(1, v.rows().size(), "no row for a value that does not exist");
    }
}
