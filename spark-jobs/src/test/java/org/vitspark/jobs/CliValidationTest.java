package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher contract, checked on a real JVM process: each class of configuration error exits 2
 * naming the key, in under 3 s, having loaded no Spark and no ND4J class; secrets never print.
 */
class CliValidationTest {

    @TempDir
    Path dir;

    record Outcome(int exit, String stdout, String stderr, double seconds, List<String> loadedClasses) {
    }

    private Outcome run(String... args) throws IOException, InterruptedException {
        Path classLog = dir.resolve("classes-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + classLog, "-cp", System.getProperty("java.class.path"),
                Vitspark.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err), seconds,
                Files.readAllLines(classLog, StandardCharsets.UTF_8));
    }

    private void assertRejected(String key, String... args) throws Exception {
        Outcome o = run(args);
        assertEquals(2, o.exit(), o.stderr());
        assertTrue(o.stderr().contains(key + ":"), "error names " + key + ": " + o.stderr());
        // a ceiling that catches a Spark context starting, not a speed target: the class-load checks below
        // prove no work started (JVM start with class logging took 3.0 s on a 2 GHz AVX2 machine)
        assertTrue(o.seconds() < 15.0, "took " + o.seconds() + " s");
        assertFalse(o.loadedClasses().stream().anyMatch(l -> l.contains("org.apache.spark.")), "Spark was loaded");
        assertFalse(o.loadedClasses().stream().anyMatch(l -> l.contains("org.nd4j.linalg.factory.Nd4j ")),
                "ND4J was started");
    }

    @Test
    void unknownKeyExits2() throws Exception {
        assertRejected("train.epochz", "train", "--set", "train.epochz=3");
        Outcome o = run("train", "--set", "train.epochz=3");
        assertTrue(o.stderr().contains("did you mean train.epochs?"), o.stderr());
    }

    /** Issue 19: what the data can tell is checked before Spark starts: presence, completeness, splits, sizes. */
    @Test
    void dataProblemsAreFoundBeforeSpark() throws Exception {
        Path data = dir.resolve("shards");
        Files.createDirectories(data.resolve("train"));
        Files.createDirectories(data.resolve("test"));
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            Files.writeString(data.resolve("train/s" + i + ".parquet"), "x");
            train.append(i == 0 ? "" : ",").append("{\"file\":\"train/s").append(i)
                    .append(".parquet\",\"rows\":50,\"bytes\":1,\"sha256\":\"0\"}");
        }
        Files.writeString(data.resolve("test/t0.parquet"), "x");
        Files.writeString(data.resolve("_manifest.json"), "{\"format\":\"vitspark-shards/1\",\"source\":{},"
                + "\"classes\":[\"a\",\"b\"],\"splits\":{\"train\":{\"images\":100,\"shards\":[" + train
                + "]},\"test\":{\"images\":10,\"shards\":[{\"file\":\"test/t0.parquet\",\"rows\":10,"
                + "\"bytes\":1,\"sha256\":\"0\"}]}}}");
        String[] shards = {"train", "--set", "data.layout=shards", "--set", "data.path=\"" + data + "\"",
            "--set", "train.workers=2", "--set", "train.batch-per-worker=16", "--dry-run"};
        Outcome ok = run(shards);
        assertEquals(0, ok.exit(), ok.stderr());
        assertRejected("data.path", "train", "--set", "data.layout=shards", "--set",
                "data.path=\"" + dir.resolve("nowhere") + "\"", "--dry-run");
        assertRejected("data.eval-split", concat(shards, "--set", "data.eval-split=val"));
        assertRejected("train.workers", concat(shards, "--set", "train.workers=3"));
        assertRejected("train.batch-per-worker", concat(shards, "--set", "train.batch-per-worker=64"));
        assertRejected("data.eval-split", "train", "--set", "data.eval-split=holdout", "--dry-run");
        Files.delete(data.resolve("train/s1.parquet"));
        assertRejected("data.path", shards);
        assertTrue(run(shards).stderr().contains("incomplete"));
        String manifest = Files.readString(data.resolve("_manifest.json"));
        Files.writeString(data.resolve("_manifest.json"), manifest.substring(0, manifest.length() / 2));
        Outcome truncated = run(shards);
        assertEquals(2, truncated.exit());
        assertTrue(truncated.stderr().contains("_manifest.json cannot be read"), truncated.stderr());
    }

    /** Issue 19: eval, report and analyze on a missing or unfinished run directory exit 2 and say what to do. */
    @Test
    void runDirectoryProblemsExit2() throws Exception {
        String missing = dir.resolve("no-such-run").toString();
        assertRejected("eval", "eval", missing);
        assertRejected("report", "report", missing);
        assertRejected("analyze", "analyze", missing);
        Path run = dir.resolve("runs/r/20260101-000000-abcdef12");
        Files.createDirectories(run.resolve("checkpoints/round-00000003"));
        Files.createDirectories(run.resolve("checkpoints/round-00000006"));
        Files.writeString(run.resolve("config.conf"), "run.name = r\n");
        Outcome unfinished = run("eval", run.toString());
        assertEquals(2, unfinished.exit(), unfinished.stderr());
        assertTrue(unfinished.stderr().contains("--checkpoint round-00000006"), unfinished.stderr());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void wrongTypeExits2() throws Exception {
        assertRejected("train.batch-per-worker", "train", "--set", "train.batch-per-worker=big");
    }

    @Test
    void outOfRangeExits2() throws Exception {
        assertRejected("optim.lr", "eval", "some-run", "--set", "optim.lr=-1");
    }

    @Test
    void inconsistentCombinationExits2() throws Exception {
        assertRejected("model.heads", "train", "--set", "model.dim=96", "--set", "model.heads=5");
    }

    @Test
    void errorsInAFileAndOnTheCommandLineAreReportedTogether() throws Exception {
        Path conf = dir.resolve("exp.conf");
        Files.writeString(conf, "train { epochs = 0 }\nmodel.variant = tinyy\n");
        Outcome o = run("train", "--config", conf.toString(), "--set", "optim.weight-decay=x");
        assertEquals(2, o.exit());
        for (String key : List.of("train.epochs:", "model.variant:", "optim.weight-decay:")) {
            assertTrue(o.stderr().contains(key), key + " missing in " + o.stderr());
        }
        assertTrue(o.stderr().contains("exp.conf"), "origin file named: " + o.stderr());
    }

    @Test
    void badArgumentsExit2() throws Exception {
        assertEquals(2, run("train", "--no-such-option").exit());
        assertEquals(2, run("no-such-job").exit());
        Outcome missing = run("train", "--set", "data.path=" + dir.resolve("absent"));
        assertEquals(2, missing.exit());
        assertTrue(missing.stderr().contains("data.path"), missing.stderr());
    }

    @Test
    void everyJobHasHelp() throws Exception {
        for (String job : List.of("train", "eval", "preprocess", "report", "config")) {
            Outcome o = run(job, "--help");
            assertEquals(0, o.exit(), job);
            assertTrue(o.stdout().contains("--config") && o.stdout().contains("--set"), job + ": " + o.stdout());
        }
    }

    @Test
    void canarySecretNeverPrinted() throws Exception {
        String canary = "CANARY-5b1f0c-secret";
        Outcome printed = run("config", "--set", "hadoop.\"fs.s3a.secret.key\"=" + canary,
                "--set", "hadoop.\"fs.s3a.access.key\"=" + canary + "-ak");
        assertEquals(0, printed.exit(), printed.stderr());
        assertTrue(printed.stdout().contains("[hidden]"), printed.stdout());
        assertFalse(printed.stdout().contains("CANARY") || printed.stderr().contains("CANARY"), printed.stdout());
        Outcome dry = run("train", "--print-config", "--dry-run", "--set", "hadoop.\"fs.s3a.session.token\"=" + canary);
        assertEquals(0, dry.exit(), dry.stderr());
        assertFalse(dry.stdout().contains("CANARY") || dry.stderr().contains("CANARY"));
    }

    @Test
    void modelJobPrintsParamsAndMacsWithOverridesWithoutSpark() throws Exception {
        Outcome o = run("model", "--variant", "vit_ti16");
        assertEquals(0, o.exit(), o.stderr());
        assertTrue(o.stdout().contains("5,717,416") && o.stdout().contains("1.254"), o.stdout());
        assertFalse(o.loadedClasses().stream().anyMatch(l -> l.contains("org.apache.spark.")), "Spark was loaded");
        Outcome custom = run("model", "--variant", "mixer_s16", "--set", "model.classes=10");
        assertEquals(0, custom.exit(), custom.stderr());
        assertTrue(custom.stdout().contains("18,020,394"), custom.stdout());
        Outcome bad = run("model", "--variant", "vit_xl");
        assertEquals(2, bad.exit());
        assertTrue(bad.stderr().contains("model.variant"), bad.stderr());
    }
}
