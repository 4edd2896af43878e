package org.vitspark.averaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A round segment that cannot have all its workers at once on a real {@code local[2]} master (three
 * workers, two task slots) fails within its wait, naming how many connected, and leaves nothing running:
 * the next job gets both slots. (Rounds over a segment are checked bit for bit in AveragingEquivalenceTest.)
 */
class RoundSegmentTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("round-segment-test")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void moreWorkersThanTaskSlotsFailWithinTheWaitAndLeaveTheSlotsFree() {
        long t0 = System.nanoTime();
        // no round starts, so the workers' round code (null here) is never reached
        // 10 s: ample for the two tasks that get a slot to start and connect on a slow machine
        IOException e = assertThrows(IOException.class, () -> RoundSegment.open(sc, null, 3, 10));
        assertTrue(e.getMessage().contains("2 of 3 workers connected within 10 s"), e.getMessage());
        assertEquals(List.of(0, 1), sc.parallelize(List.of(0, 1), 2).collect());
        // Spark's status tracker learns of the cancelled job through its listener bus, a little later
        while (sc.statusTracker().getActiveJobIds().length > 0 && System.nanoTime() - t0 < 60e9) {
            Thread.onSpinWait();
        }
        assertEquals(0, sc.statusTracker().getActiveJobIds().length, "no segment job left running");
    }
}
