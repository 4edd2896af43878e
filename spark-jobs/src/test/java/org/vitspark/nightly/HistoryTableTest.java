package org.vitspark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.suite.HistoryRow;

/** The history table on a real (local) Spark: nights append, a rerun night replaces its own rows only. */
class HistoryTableTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("history-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static HistoryRow row(String suite, String date, String metric, double value, String status) {
        return new HistoryRow(suite, "tiny", date, "abc1234", "h" + date, metric, value, 0.8, null, status);
    }

    @Test
    void aRerunNightReplacesItsRowsAndLeavesTheOthers() {
        String path = dir.resolve("history").toString();
        assertEquals(List.of(), HistoryTable.read(spark, path, "smoke"), "no table yet");
        HistoryTable.writeNight(spark, path, List.of(row("smoke", "2026-11-29", "test_top1", 0.85, "ok"),
                row("smoke", "2026-11-29", "wall_s", 300, "ok")));
        HistoryTable.writeNight(spark, path, List.of(row("smoke", "2026-11-30", "test_top1", 0.84, "ok")));
        HistoryTable.writeNight(spark, path, List.of(row("other", "2026-11-30", "test_top1", 0.5, "band")));
        // the night of 11-30 again, e.g. after a fix: its row is replaced, not added
        HistoryTable.writeNight(spark, path, List.of(row("smoke", "2026-11-30", "test_top1", 0.86, "ok")));
        HistoryTable.writeNight(spark, path, List.of(row("smoke", "2026-11-30", "test_top1", 0.86, "ok")));
        List<HistoryRow> smoke = HistoryTable.read(spark, path, "smoke");
        assertEquals(List.of(row("smoke", "2026-11-29", "test_top1", 0.85, "ok"),
                row("smoke", "2026-11-29", "wall_s", 300, "ok"),
                row("smoke", "2026-11-30", "test_top1", 0.86, "ok")), smoke);
        assertEquals(List.of(row("other", "2026-11-30", "test_top1", 0.5, "band")), HistoryTable.read(spark, path, "other"));
        assertEquals("static", spark.conf().get("spark.sql.sources.partitionOverwriteMode"), "the session's mode is restored");
    }

    @Test
    void oneWriteHoldsOneNightOfOneSuite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HistoryTable.writeNight(spark,
                dir.resolve("h").toString(), List.of(row("smoke", "2026-11-29", "a", 1, "ok"),
                        row("smoke", "2026-11-30", "a", 1, "ok"))));
        assertTrue(e.getMessage().contains("2026-11-30"), e.getMessage());
    }
}
