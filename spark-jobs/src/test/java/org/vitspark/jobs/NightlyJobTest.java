package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * conf/suites/smoke.conf end to end on the embedded Spark master (each method at a tiny budget), the same
 * night again (every experiment skipped), a run refused while the lock is held (75), and a night whose
 * process is killed mid-training, resumed by the next run from its checkpoint.
 */
class NightlyJobTest {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Result(int exit, String out) {
    }

    private Result nightly(String... args) {
        CommandLine cli = new CommandLine(new NightlyJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return new Result(cli.execute(args), out.toString());
    }

    @Test
    void theSmokeSuiteRunsEveryMethodThenSkipsWhenRerunAndRefusesAConcurrentRun() throws Exception {
        String history = dir.resolve("history").toString();
        String[] args = {PROJECT.resolve("conf/suites/smoke.conf").toString(), "--project", PROJECT.toString(),
            "--date", "2026-12-01", "--revision", "test123", "--history", history,
            "--set", "run.root=" + dir.resolve("runs")};
        Result first = nightly(args);
        assertEquals(0, first.exit(), first.out());
        for (String step : List.of("[1/7] sam (train): running", "[2/7] hessian (analyze): running",
                "[3/7] patchdiv (train): running", "[4/7] dino (pretrain): running", "[5/7] finetune (train): running",
                "[6/7] supernet (search-supernet): running", "[7/7] evolve (search-evolve): running")) {
            assertTrue(first.out().contains(step), step + " in:\n" + first.out());
        }
        assertTrue(first.out().contains("nightly smoke 2026-12-01: passed"), first.out());
        Path report = Path.of(history + ".reports", "smoke", "2026-12-01");
        JsonNode verdict = new ObjectMapper().readTree(report.resolve("verdict.json").toFile());
        assertTrue(verdict.get("passed").asBoolean(), verdict.toString());
        assertEquals(7, verdict.get("experiments").size());
        for (JsonNode e : verdict.get("experiments")) {
            assertEquals("ok", e.get("status").asText(), e.toString());
            assertTrue(e.get("metrics").size() >= 1, e.toString());
        }
        // the fine-tuning started from tonight's DINO teacher
        Path finetune;
        try (var runs = Files.list(dir.resolve("runs/nightly-smoke-finetune"))) {
            finetune = runs.findFirst().orElseThrow();
        }
        assertTrue(Files.readString(finetune.resolve("config.conf")).contains("nightly-smoke-dino"),
                "model.init names the dino run");

        Result again = nightly(args);
        assertEquals(0, again.exit(), again.out());
        for (String id : List.of("sam (train)", "hessian (analyze)", "patchdiv (train)", "dino (pretrain)",
                "finetune (train)", "supernet (search-supernet)", "evolve (search-evolve)")) {
            assertTrue(again.out().contains(id + ": finished earlier tonight, skipped"), id + " in:\n" + again.out());
        }

        // another run of the suite holds the lock (this live process on this host): refused with 75
        Path lock = Path.of(history + ".locks", "smoke.lock");
        Files.writeString(lock, "host=" + java.net.InetAddress.getLocalHost().getHostName() + "\npid="
                + ProcessHandle.current().pid() + "\nstarted=2026-12-01T02:00:00Z\ntoken=other\n");
        Result refused = nightly(args);
        assertEquals(NightlyJob.LOCKED, refused.exit(), refused.out());
        assertTrue(refused.out().contains("is held by process " + ProcessHandle.current().pid()), refused.out());
    }

    @Test
    void aNightKilledMidTrainingResumesFromItsCheckpointOnTheNextRun() throws Exception {
        Path conf = PROJECT.resolve("conf/fashion-mnist.conf");
        Path suite = dir.resolve("crash.conf");
        Files.writeString(suite, """
                suite {
                  name = crash
                  experiments = [
                    { id = train, job = train, config = "%s",
                      set { train.epochs = 2, data.train-limit = 4096, data.test-limit = 500, train.preflight = false,
                            train.checkpoint-every-rounds = 2, optim.sam.mode = off },
                      bands { test_top1 { min = 0.1 } } }
                  ]
                }
                """.formatted(conf));
        String history = dir.resolve("history").toString();
        List<String> args = List.of(suite.toString(), "--date", "2026-12-01", "--revision", "test123", "--history",
                history, "--set", "run.root=" + dir.resolve("runs"));

        // the first run in its own JVM, killed (SIGKILL: no shutdown hooks, the lock left behind) once a
        // checkpoint is published
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib")).forEach(cmd::add);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NightlyJob.class.getName());
        cmd.addAll(args);
        File log = dir.resolve("first.log").toFile();
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        Path runs = dir.resolve("runs/nightly-crash-train");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!published(runs) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(published(runs) && first.isAlive(), "a checkpoint while the first run trains:\n"
                + Files.readString(log.toPath()));
        first.destroyForcibly().waitFor();
        assertTrue(Files.exists(Path.of(history + ".locks", "crash.lock")), "the killed run left its lock");

        PrintStream stdout = System.out;
        ByteArrayOutputStream jobs = new ByteArrayOutputStream();
        Result second;
        try {
            System.setOut(new PrintStream(jobs, true, StandardCharsets.UTF_8)); // the in-process job's own lines
            second = nightly(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        String jobOut = jobs.toString(StandardCharsets.UTF_8);
        assertEquals(0, second.exit(), second.out() + jobOut);
        assertTrue(second.out().contains("took over the suite lock from process " + first.pid())
                && second.out().contains("its process " + first.pid() + " is gone"), second.out());
        assertTrue(second.out().contains("[1/1] train (train): running into " + runs), second.out());
        assertTrue(jobOut.contains("resuming from checkpoint round-"), jobOut);
        try (var ids = Files.list(runs)) {
            assertEquals(1, ids.count(), "the same run directory, resumed");
        }
    }

    private static boolean published(Path runs) throws java.io.IOException {
        if (!Files.isDirectory(runs)) {
            return false;
        }
        try (var ids = Files.list(runs)) {
            return ids.anyMatch(id -> Files.exists(id.resolve("checkpoints/LATEST")));
        }
    }
}
