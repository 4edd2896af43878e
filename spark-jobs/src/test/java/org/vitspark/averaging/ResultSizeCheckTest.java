package org.vitspark.averaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.runtime.UsageException;
import org.vitspark.spark.RawArrayRegistrator;

/**
 * The driver-side size check against {@code spark.driver.maxResultSize}: the arithmetic by hand, the
 * message, and on a real Spark master that a limit the check accepts lets a round's partial sums through
 * while a limit below their size makes Spark abort the job (what the check exists to pre-empt).
 */
class ResultSizeCheckTest {

    private static final int PARAMS = 1 << 20;
    private static final int UPDATER = 2 << 20;

    @Test
    void aRoundReturnsTheLastStagesPartialSums() {
        assertEquals(2 * 300 * 4, ResultSizeCheck.roundResultBytes(2, 100, 200, 4));
        assertEquals(8 * 300 * 4, ResultSizeCheck.roundResultBytes(8, 100, 200, 4));
        assertEquals(3 * 300 * 4, ResultSizeCheck.roundResultBytes(20, 100, 200, 4)); // 20 -> 3 groups
        assertEquals(8 * 300 * 4, ResultSizeCheck.roundResultBytes(64, 100, 200, 4));
        assertEquals(2 * 300 * 8, ResultSizeCheck.roundResultBytes(65, 100, 200, 8)); // 65 -> 9 -> 2
    }

    @Test
    void aLimitTooSmallForViTBIsNamedWithTheSizeThatFits() {
        long vitB = 86_567_656; // ViT-B/16 at 224 px, 1000 classes (timm's count)
        SparkConf conf = new SparkConf(false).set(ResultSizeCheck.KEY, "4g");
        // 32 workers -> 4 partial sums of params + AdamW's two moments in float32: 4 x 1,039 MB, 4.36 GB with
        // the margin -> at least 5g
        UsageException e = assertThrows(UsageException.class,
                () -> ResultSizeCheck.require(conf, 32, vitB, 2 * vitB, 4));
        assertTrue(e.getMessage().startsWith("spark.driver.maxResultSize = 4g is too small"), e.getMessage());
        assertTrue(e.getMessage().contains("returns 4 partial sums"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 5g"), e.getMessage());
        assertDoesNotThrow(() -> ResultSizeCheck.require(conf.set(ResultSizeCheck.KEY, "5g"), 32, vitB, 2 * vitB, 4));
        assertDoesNotThrow(() -> ResultSizeCheck.require(conf.set(ResultSizeCheck.KEY, "0"), 32, vitB, 2 * vitB, 4));
        UsageException unset = assertThrows(UsageException.class,
                () -> ResultSizeCheck.require(new SparkConf(false), 32, vitB, 2 * vitB, 4));
        assertTrue(unset.getMessage().contains("= 1g (Spark's default) is too small"), unset.getMessage());
    }

    @Test
    void sparkLetsThroughWhatTheCheckAcceptsAndAbortsBelowTheArrays() {
        int workers = 3;
        long raw = ResultSizeCheck.roundResultBytes(workers, PARAMS, UPDATER, 4);
        long accepted = (long) Math.ceil(raw * ResultSizeCheck.MARGIN);
        SparkConf fits = conf(accepted);
        assertDoesNotThrow(() -> ResultSizeCheck.require(fits, workers, PARAMS, UPDATER, 4));
        try (JavaSparkContext sc = new JavaSparkContext(fits)) {
            List<PartialSum> top = round(sc, workers);
            assertEquals(workers, top.size());
            assertEquals(PARAMS, top.get(0).params.length());
        }
        SparkConf tooSmall = conf(raw * 9 / 10);
        assertThrows(UsageException.class, () -> ResultSizeCheck.require(tooSmall, workers, PARAMS, UPDATER, 4));
        try (JavaSparkContext sc = new JavaSparkContext(tooSmall)) {
            SparkException e = assertThrows(SparkException.class, () -> round(sc, workers));
            assertTrue(e.getMessage().contains("spark.driver.maxResultSize"), e.getMessage());
        }
    }

    private static SparkConf conf(long maxResultBytes) {
        return new SparkConf(false).setMaster("local[2]").setAppName("result-size-check")
                .set("spark.ui.enabled", "false")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", RawArrayRegistrator.REGISTRATORS)
                .set("spark.task.maxDirectResultSize", "128m")
                .set(ResultSizeCheck.KEY, maxResultBytes + "b");
    }

    /** One round's reduction of {@code workers} leaves, each one worker's parameters and updater state. */
    private static List<PartialSum> round(JavaSparkContext sc, int workers) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            ids.add(i);
        }
        return AveragingTree.top(sc.parallelize(ids, workers).map(i -> PartialSum.of(
                new WorkerReport(i, null, null, null, List.of(), 0, 0, 0),
                Nd4j.valueArrayOf(new long[] {1, PARAMS}, (float) i, DataType.FLOAT),
                Nd4j.valueArrayOf(new long[] {1, UPDATER}, (float) -i, DataType.FLOAT))), workers);
    }
}
