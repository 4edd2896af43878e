package org.vitspark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.suite.SuiteJob;

/** Metrics read from run directories laid out as the jobs write them (the lines below are the jobs' formats). */
class RunOutputsTest {

    @TempDir
    java.nio.file.Path dir;

    private Path write(String name, String text) throws IOException {
        java.nio.file.Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return new Path(dir.toUri());
    }

    @Test
    void trainAndPretrainRuns() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path run = write("train/metrics.jsonl", """
                {"kind":"train","epoch":1,"round":1,"step":5,"loss":2.1,"images_per_s":500.0}
                {"kind":"train","epoch":1,"round":2,"step":10,"loss":1.9,"images_per_s":1000.0}
                {"kind":"eval","epoch":1,"round":2,"step":10,"top1":0.5}
                {"kind":"train","epoch":1,"round":3,"step":15,"loss":1.8,"images_per_s":1100.0}
                """);
        Path train = new Path(run, "train");
        assertFalse(RunOutputs.finished(fs, SuiteJob.TRAIN, train), "no summary.json yet");
        write("train/summary.json", "{\"test_top1\":0.8427,\"test_top5\":0.9813,\"test_loss\":0.91,\"last_loss\":0.001,"
                + "\"rounds\":800,\"seconds\":1153.6,\"params\":805130}\n");
        assertTrue(RunOutputs.finished(fs, SuiteJob.TRAIN, train));
        assertEquals(Map.of("test_top1", 0.8427, "test_top5", 0.9813, "test_loss", 0.91, "last_loss", 0.001,
                "wall_s", 1153.6, "images_per_s", 1050.0), RunOutputs.read(fs, SuiteJob.TRAIN, train));

        write("pre/metrics.jsonl", """
                {"kind":"knn_pixels","epochs_done":0,"round":0,"top1":0.80}
                {"kind":"knn","epochs_done":0,"round":0,"top1":0.48}
                {"kind":"train","round":1,"loss":6.8,"teacher_entropy":6.6,"images_per_s":90.0}
                {"kind":"train","round":2,"loss":6.4,"teacher_entropy":6.1,"images_per_s":110.0}
                {"kind":"knn","epochs_done":48,"round":480,"top1":0.61}
                """);
        write("pre/summary.json", "{\"knn_top1\":0.61,\"knn_top5\":0.95,\"last_loss\":6.4,\"rounds\":2,\"seconds\":2600.0,"
                + "\"params\":3055636}\n");
        Map<String, Double> pre = RunOutputs.read(fs, SuiteJob.PRETRAIN, new Path(run, "pre"));
        assertEquals(0.61 - 0.48, pre.get("knn_gain"), 1e-12);
        assertEquals(6.1, pre.get("teacher_entropy"));
        assertEquals(110.0, pre.get("images_per_s"));
        assertEquals(2600.0, pre.get("wall_s"));
    }

    @Test
    void analysisAndSearchRuns() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path run = write("a/analysis/analysis.json", "{\"run\":\"r\",\"hessian\":{\"images\":1024,\"lambda_max\":64.65,"
                + "\"iterations\":14},\"seconds\":291.1}");
        assertEquals(Map.of("lambda_max", 64.65, "wall_s", 291.1), RunOutputs.read(fs, SuiteJob.ANALYZE, new Path(run, "a")));
        write("s/top-genomes.json", "{\"settings\":{},\"genomes\":[{\"genes\":[1],\"genome\":\"g\",\"score\":0.4735,"
                + "\"macs\":14559876,\"params\":1}]}");
        assertEquals(Map.of("best_score", 0.4735, "best_macs", 14559876.0),
                RunOutputs.read(fs, SuiteJob.SEARCH_EVOLVE, new Path(run, "s")));
    }
}
