package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code deploy/local-cluster start}, {@code deploy/submit --master spark://... train ...} with the shaded
 * application jar, executors in their own JVMs, then {@code deploy/local-cluster stop}.
 */
class StandaloneClusterIT {

    private static final Path TOP = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    private Map<String, String> env;

    private String run(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Path log = dir.resolve("cmd-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(TOP.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(done, String.join(" ", cmd) + " timed out:\n" + output);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + output);
        return output;
    }

    @BeforeEach
    void startCluster() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        env = Map.of("VITSPARK_CLUSTER_DIR", dir.resolve("cluster").toString(),
                "VITSPARK_MASTER_PORT", Integer.toString(port), "VITSPARK_WORKER_MEMORY", "3g",
                "VITSPARK_HEAP", "1g", "VITSPARK_OFFHEAP", "2G");
        run(120, "deploy/local-cluster", "start", "2");
    }

    @AfterEach
    void stopCluster() throws Exception {
        run(60, "deploy/local-cluster", "stop");
    }

    @Test
    void trainJobRunsThroughSparkSubmitOnAStandaloneCluster() throws Exception {
        String master = run(10, "deploy/local-cluster", "status").trim();
        assertTrue(master.startsWith("spark://127.0.0.1:"), master);
        Path runs = dir.resolve("runs");
        String out = run(600, "deploy/submit", "--master", master, "--executor-memory", "1g",
                "train", "--config", "conf/fashion-mnist.conf", "--set", "train.epochs=1",
                "--set", "data.train-limit=2048", "--set", "data.test-limit=1024", "--set", "run.root=\"" + runs + "\"");
        assertTrue(out.contains("epoch 1/1 test accuracy"), out);

        // Two executors ran in their own JVMs (one per worker), each leaving its stderr in the work dir.
        List<Path> executorLogs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("cluster/work"))) {
            files.filter(f -> f.getFileName().toString().equals("stderr")).forEach(executorLogs::add);
        }
        assertEquals(2, executorLogs.size(), "executor logs: " + executorLogs);
        for (Path log : executorLogs) {
            assertTrue(Files.readString(log).contains("CoarseGrainedExecutorBackend"), log.toString());
        }
        try (Stream<Path> runDirs = Files.list(runs.resolve("fashion-mnist"))) {
            Path runDir = runDirs.findFirst().orElseThrow();
            assertTrue(Files.exists(runDir.resolve("model.zip")) && Files.exists(runDir.resolve("summary.json")),
                    "run directory " + runDir);
        }
    }
}
