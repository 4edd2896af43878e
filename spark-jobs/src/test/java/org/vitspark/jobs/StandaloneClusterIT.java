package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's cluster commands, run as written against a real Spark standalone cluster on this machine:
 * {@code deploy/local-cluster start 2}, {@code deploy/submit --master spark://... train ...} with the
 * shaded application jar, executors in their own JVMs, then {@code deploy/local-cluster stop}.
 */
class StandaloneClusterIT {

    private static final Path TOP = DeployScripts.TOP;

    @TempDir
    Path dir;

    private Map<String, String> env;

    private String run(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        return new DeployScripts(dir, env).run(timeoutSeconds, cmd);
    }

    @BeforeEach
    void startCluster() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        env = Map.of("VITSPARK_CLUSTER_DIR", dir.resolve("cluster").toString(),
                "VITSPARK_MASTER_PORT", Integer.toString(port), "VITSPARK_WORKER_MEMORY", "3g",
                "VITSPARK_HEAP", "1g", "VITSPARK_OFFHEAP", "2G",
                // empty, as on a machine that never heard of it: the executors and the embedded run below
                // must get glibc's allocator settings from deploy/submit and deploy/vitspark (D35)
                "GLIBC_TUNABLES", "");
        run(120, "deploy/local-cluster", "start", "2");
    }

    @AfterEach
    void stopCluster() throws Exception {
        run(60, "deploy/local-cluster", "stop");
    }

    /**
     * spark-submit with the application jar; while epoch 1 runs, one executor JVM is SIGKILLed. The job
     * completes: every example is trained on once (key audit), a replacement executor ran, the rounds went
     * over the driver's socket until the kill and the lost round ran again as a Spark job, and the final
     * weights equal, byte for byte, those of the same training on an embedded local[2] master.
     */
    @Test
    void trainCompletesCorrectlyWhenAnExecutorIsKilledMidEpoch() throws Exception {
        String master = run(10, "deploy/local-cluster", "status").trim();
        assertTrue(master.startsWith("spark://127.0.0.1:"), master);
        Path runs = dir.resolve("runs");
        List<String> sets = List.of("--set", "train.epochs=1", "--set", "data.train-limit=2048",
                "--set", "data.test-limit=512", "--set", "train.averaging-frequency=1", "--set", "train.workers=2",
                "--set", "train.key-audit=true", "--set", "train.log-every=1", "--set", "run.id=cluster",
                "--set", "data.shards=\"" + dir.resolve("shards") + "\"");
        List<String> cmd = new ArrayList<>(List.of("deploy/submit", "--master", master, "--executor-memory", "1g",
                "train", "--config", "conf/fashion-mnist.conf", "--set", "run.root=\"" + runs + "\""));
        cmd.addAll(sets);
        Path log = dir.resolve("submit.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(TOP.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process submit = pb.start();

        Path metrics = runs.resolve("fashion-mnist/cluster/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (submit.isAlive() && rounds(metrics) < 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<ProcessHandle> executors = ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("")
                .contains("CoarseGrainedExecutorBackend")).filter(h -> h.info().commandLine().orElse("")
                .contains(dir.toString())).toList();
        assertTrue(submit.isAlive(), "still training when the executor is killed:\n" + Files.readString(log));
        assertEquals(2, executors.size(), "executors " + executors);
        executors.get(0).destroyForcibly();
        assertTrue(submit.waitFor(10, TimeUnit.MINUTES), "finishes");
        String out = Files.readString(log);
        assertEquals(0, submit.exitValue(), out);
        assertTrue(out.contains("done: test top-1"), out);
        assertTrue(out.contains("preflight: worker 1: executor "), out);
        assertFalse(out.contains("GLIBC_TUNABLES does not fix"), "the executors got spark.executorEnv.GLIBC_TUNABLES:\n" + out);
        // Rounds went over the driver's socket (no broadcast of their own) until the kill ended the segment;
        // that round ran again as a Spark job (D39)
        List<String> rows = Files.readAllLines(metrics).stream().filter(l -> l.contains("\"kind\":\"train\"")).toList();
        assertTrue(rows.subList(0, 3).stream().allMatch(l -> l.contains("\"broadcast_s\":0.0")), rows.get(0));
        assertTrue(out.contains("the round segment was lost"), out);

        Path runDir = runs.resolve("fashion-mnist/cluster");
        java.util.Map<String, Integer> keys = new java.util.HashMap<>();
        try (Stream<Path> files = Files.list(runDir.resolve("audit/epoch-1"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".keys")).toList()) {
                Files.readAllLines(f).stream().filter(k -> !k.isEmpty()).forEach(k -> keys.merge(k, 1, Integer::sum));
            }
        }
        assertEquals(2048, keys.size(), "every training image");
        assertTrue(keys.values().stream().allMatch(n -> n == 1), "each once");
        List<Path> executorLogs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("cluster/work"))) {
            files.filter(f -> f.getFileName().toString().equals("stderr")).forEach(executorLogs::add);
        }
        assertTrue(executorLogs.size() >= 3, "a replacement executor was launched: " + executorLogs);

        // The same training on an embedded master: same data positions, same ordered averages, same bits.
        List<String> local = new ArrayList<>(List.of("deploy/vitspark", "train", "--config", "conf/fashion-mnist.conf",
                "--set", "run.root=\"" + dir.resolve("local") + "\"", "--set", "spark.master=\"local[2]\""));
        local.addAll(sets);
        String embedded = run(600, local.toArray(String[]::new));
        assertTrue(embedded.contains("preflight: worker 1: executor driver"), embedded);
        assertFalse(embedded.contains("GLIBC_TUNABLES does not fix"), "deploy/vitspark sets it:\n" + embedded);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(runDir.resolve("weights.safetensors")),
                Files.readAllBytes(dir.resolve("local/fashion-mnist/cluster/weights.safetensors"))),
                "cluster run with a killed executor == local run, bit for bit");
    }

    /**
     * A night of a suite as the schedule assets start it, through spark-submit: the nightly job is the
     * driver, each in-process job starts and stops its own context on the cluster in turn, and the history
     * table is written through the same master.
     */
    @Test
    void aNightOfASuiteRunsThroughSubmitOnTheCluster() throws Exception {
        String master = run(10, "deploy/local-cluster", "status").trim();
        Path suite = dir.resolve("cluster.conf");
        Files.writeString(suite, """
                suite {
                  name = cluster
                  experiments = [
                    { id = tiny, job = train, config = conf/fashion-mnist.conf,
                      set { train.epochs = 1, data.train-limit = 1024, data.test-limit = 512, train.preflight = false,
                            data.shards = "%s" },
                      bands { test_top1 { min = 0.1 } } }
                    { id = hessian, job = analyze, of = tiny, config = conf/fashion-mnist.conf,
                      set { analyze.parts = [hessian], analyze.hessian.images = 64, analyze.hessian.max-iterations = 2 },
                      bands { lambda_max { min = -1e9 } } }
                  ]
                }
                """.formatted(dir.resolve("shards")));
        String out = run(600, "deploy/submit", "--master", master, "--executor-memory", "1g", "nightly",
                suite.toString(), "--date", "2026-12-01", "--revision", "cluster1", "--set",
                "run.root=\"" + dir.resolve("runs") + "\"", "--history", dir.resolve("history").toString());
        assertTrue(out.contains("[1/2] tiny: exit 0") && out.contains("[2/2] hessian: exit 0")
                && out.contains("nightly cluster 2026-12-01: passed"), out);
        assertTrue(Files.exists(dir.resolve("history.reports/cluster/2026-12-01/verdict.json")), out);
        try (Stream<Path> parts = Files.walk(dir.resolve("history"))) {
            assertTrue(parts.anyMatch(f -> f.toString().endsWith(".parquet")), "the history table was written");
        }
    }

    private static int rounds(Path metrics) throws IOException {
        if (!Files.exists(metrics)) {
            return 0;
        }
        return (int) Files.readAllLines(metrics).stream().filter(l -> l.contains("\"kind\":\"train\"")).count();
    }
}
