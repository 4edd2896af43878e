package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One night of a small suite end to end on the embedded Spark master: a SAM train and the Hessian of its
 * run; then the same night again (both skipped); then a second run while the lock is held (refused, 75).
 */
class NightlyJobTest {

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
    void aNightRunsSkipsWhenRerunAndRefusesAConcurrentRun() throws Exception {
        Path conf = Path.of("..", "conf", "fashion-mnist.conf").toAbsolutePath().normalize();
        Path suite = dir.resolve("smoke.conf");
        Files.writeString(suite, """
                suite {
                  name = smoke
                  experiments = [
                    { id = sam-tiny, job = train, config = "%s",
                      set { train.epochs = 1, data.train-limit = 2048, data.test-limit = 1000, train.preflight = false,
                            "spark.master" = "local[2]" },
                      bands { test_top1 { min = 0.1 }, wall_s { max = 900 } } }
                    { id = hessian, job = analyze, of = sam-tiny, config = "%s",
                      set { analyze.parts = [hessian], analyze.hessian.images = 64, analyze.hessian.max-iterations = 2 },
                      bands { lambda_max { min = -1e9 } } }
                  ]
                }
                """.formatted(conf, conf));
        String history = dir.resolve("history").toString();
        String[] args = {suite.toString(), "--date", "2026-12-01", "--revision", "test123", "--history", history,
            "--set", "run.root=" + dir.resolve("runs")};
        Result first = nightly(args);
        assertEquals(0, first.exit(), first.out());
        assertTrue(first.out().contains("[1/2] sam-tiny (train): running") && first.out().contains("passed"),
                first.out());
        Path report = Path.of(history + ".reports", "smoke", "2026-12-01");
        assertTrue(Files.readString(report.resolve("verdict.json")).contains("\"passed\" : true"));
        Result again = nightly(args);
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("[1/2] sam-tiny (train): finished earlier tonight, skipped")
                && again.out().contains("[2/2] hessian (analyze): finished earlier tonight, skipped"), again.out());
        // another run of the suite holds the lock (this live process on this host): refused with 75
        Path lock = Path.of(history + ".locks", "smoke.lock");
        Files.writeString(lock, "host=" + java.net.InetAddress.getLocalHost().getHostName() + "\npid="
                + ProcessHandle.current().pid() + "\nstarted=2026-12-01T02:00:00Z\ntoken=other\n");
        Result refused = nightly(args);
        assertEquals(NightlyJob.LOCKED, refused.exit(), refused.out());
        assertTrue(refused.out().contains("is held by process " + ProcessHandle.current().pid()), refused.out());
    }
}
