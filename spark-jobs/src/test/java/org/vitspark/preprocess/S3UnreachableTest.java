package org.vitspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.vitspark.jobs.TrainJob;
import picocli.CommandLine;

/**
 * Issue 19: an S3 endpoint nobody listens on (a closed 127.0.0.1 port, credentials set) fails {@code train}
 * within a minute, naming the endpoint, instead of hanging in nested retry loops; so does a name node nobody
 * listens on.
 */
class S3UnreachableTest {

    @Test
    void anUnreachableEndpointFailsWithinAMinuteNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String endpoint = "http://127.0.0.1:" + port;
        String[] args = {"--set", "data.layout=shards", "--set", "data.path=s3a://unreachable-bucket/shards",
            "--set", "spark.master=local[1]", "--set", "train.workers=1", "--set", "run.root=target/s3-unreachable",
            "--set", "hadoop.\"fs.s3a.endpoint\"=\"" + endpoint + "\"",
            "--set", "hadoop.\"fs.s3a.endpoint.region\"=us-east-1",
            "--set", "hadoop.\"fs.s3a.path.style.access\"=true",
            "--set", "hadoop.\"fs.s3a.aws.credentials.provider\"=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
            "--set", "hadoop.\"fs.s3a.access.key\"=AKIAUNREACHABLE", "--set", "hadoop.\"fs.s3a.secret.key\"=CANARY-S3"};
        CommandLine cli = new CommandLine(new TrainJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        long t0 = System.nanoTime();
        int code = cli.execute(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("unreachable S3 endpoint: exit %d after %.1f s%n", code, seconds);
        assertEquals(1, code, out.toString());
        assertTrue(seconds < 60, "took " + seconds + " s");
        assertTrue(out.toString().contains("127.0.0.1:" + port), out.toString());
        assertTrue(!out.toString().contains("CANARY-S3"), "the secret key is never printed");
        // one line says what failed; the stack trace is in a log file (--verbose prints it)
        String failed = out.toString().lines().filter(l -> l.startsWith("train: failed:")
                || l.startsWith("vitspark train: failed:")).findFirst().orElse("");
        System.out.println(failed);
        assertTrue(failed.contains("127.0.0.1:" + port), out.toString());
        assertTrue(out.toString().contains("stack trace: "), out.toString());
        assertTrue(out.toString().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace without --verbose");
    }

    @Test
    void anUnreachableNameNodeFailsWithinAMinuteNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CommandLine cli = new CommandLine(new TrainJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        long t0 = System.nanoTime();
        int code = cli.execute("--set", "data.layout=shards", "--set", "data.path=hdfs://127.0.0.1:" + port + "/shards",
                "--set", "spark.master=local[1]", "--set", "train.workers=1", "--set", "run.root=target/hdfs-unreachable");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("unreachable name node: exit %d after %.1f s%n", code, seconds);
        assertEquals(1, code, out.toString());
        assertTrue(seconds < 60, "took " + seconds + " s");
        assertTrue(out.toString().contains("127.0.0.1:" + port), out.toString());
        assertTrue(out.toString().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace without --verbose");
    }
}
