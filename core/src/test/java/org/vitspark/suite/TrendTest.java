package org.vitspark.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The regression check on hand-made histories. */
class TrendTest {

    private static final Band TOP1 = new Band("test_top1", 0.80, null);
    private static final Band WALL = new Band("wall_s", null, 900.0);

    @Test
    void aFlatHistoryToleratesJitterAndCatchesADrop() {
        List<Double> flat = List.of(0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85);
        assertFalse(Trend.check(0.849, flat, 7, TOP1).regression(), "0.1 point of jitter on a flat history");
        Trend.Result drop = Trend.check(0.82, flat, 7, TOP1);
        assertTrue(drop.regression(), drop.reason());
        assertEquals(0.85, drop.median(), 0);
        assertEquals(0.02 * 0.85, drop.limit(), 1e-12, "the MAD is 0: the relative floor is the limit");
        assertFalse(Trend.check(0.90, flat, 7, TOP1).regression(), "better is not a regression");
    }

    @Test
    void aSteadyDriftIsCaughtWithinAFewNights() {
        // wall time growing 1% a night from 600 s: each night's change is small, but tonight is ~4% above the
        // window's median, which the night-to-night noise (none here) does not explain
        List<Double> nights = new ArrayList<>();
        double v = 600;
        int caughtAt = -1;
        for (int night = 0; night < 30 && caughtAt < 0; night++) {
            if (Trend.check(v, nights, 7, WALL).regression()) {
                caughtAt = night;
            }
            nights.add(v);
            v *= 1.01;
        }
        assertTrue(caughtAt >= Trend.MIN_NIGHTS && caughtAt <= 8, "caught at night " + caughtAt);
        // the same drift on noisy nights (±3% alternating) hides in the noise
        nights.clear();
        v = 600;
        for (int night = 0; night < 10; night++) {
            nights.add(v * (night % 2 == 0 ? 1.03 : 0.97));
            v *= 1.01;
        }
        assertFalse(Trend.check(v, nights, 7, WALL).regression());
        assertTrue(Trend.check(v * 1.5, nights, 7, WALL).regression(), "a 50% jump does not");
    }

    @Test
    void oneEarlierSpikeDoesNotRaiseAnAlarmTonight() {
        List<Double> spiky = List.of(0.85, 0.86, 0.30, 0.85, 0.86, 0.85, 0.86);
        Trend.Result r = Trend.check(0.85, spiky, 7, TOP1);
        assertFalse(r.regression(), r.reason());
        assertEquals(0.85, r.median(), 0);
        assertTrue(Trend.check(0.30, spiky, 7, TOP1).regression(), "a spike tonight is one");
    }

    @Test
    void missingNightsAreSkippedAndTooFewGiveNoVerdict() {
        List<Double> sparse = new ArrayList<>();
        sparse.add(0.85);
        sparse.add(null);
        sparse.add(Double.NaN);
        sparse.add(0.86);
        Trend.Result r = Trend.check(0.10, sparse, 7, TOP1);
        assertFalse(r.enoughHistory() || r.regression(), r.reason());
        assertTrue(r.reason().startsWith("2 earlier night(s)"), r.reason());
        sparse.add(0.85);
        assertTrue(Trend.check(0.10, sparse, 7, TOP1).regression());
        // only the last lookback nights count
        List<Double> old = List.of(0.30, 0.30, 0.30, 0.85, 0.85, 0.85);
        assertFalse(Trend.check(0.85, old, 3, TOP1).regression());
        assertTrue(Trend.check(0.30, old, 3, TOP1).regression());
    }

    @Test
    void withoutABandEitherDirectionCounts() {
        List<Double> flat = List.of(10.0, 10.0, 10.0);
        assertTrue(Trend.check(12, flat, 7, null).regression());
        assertTrue(Trend.check(8, flat, 7, null).regression());
        assertFalse(Trend.check(10.1, flat, 7, null).regression());
    }
}
