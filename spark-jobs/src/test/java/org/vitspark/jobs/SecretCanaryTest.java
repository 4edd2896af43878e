package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.spark.SparkContexts;
import picocli.CommandLine;

/**
 * Issue 19: canary secrets planted through every entry (the experiment file, --set, -D, each family of keys
 * that Hadoop or Spark treat as sensitive) appear in no output: stdout, stderr, any file of the run directory
 * (inside model.zip and the TensorBoard events too), checkpoints, the report; and the Spark UI's REST
 * environment page shows them redacted. A URI carrying credentials is refused without echoing them.
 */
class SecretCanaryTest {

    @TempDir
    Path dir;

    private static final String[] KEYS = {"fs.s3a.secret.key", "fs.azure.account.key.acct.blob.core.windows.net",
        "fs.s3a.encryption.key", "fs.gs.auth.service.account.private.key", "fs.s3a.session.token",
        "dfs.web.authentication.credential"};

    private static String canary(int i) {
        return "CANARY" + i + "x7q";
    }

    @Test
    void noPlantedSecretReachesAnyOutput() throws Exception {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "hadoop { \"" + KEYS[0] + "\" = " + canary(0) + " }\n");
        String prop = "vitspark.hadoop.\"" + KEYS[1] + "\"";
        System.setProperty(prop, canary(1));
        List<String> args = new ArrayList<>(List.of("--config", file.toString(), "--set", "spark.master=local[1]",
                "--set", "train.workers=1", "--set", "data.train-limit=128", "--set", "data.test-limit=64",
                "--set", "train.epochs=1", "--set", "train.batch-per-worker=32", "--set", "train.preflight=false",
                "--set", "run.root=" + dir.resolve("runs"), "--set", "data.shards=" + dir.resolve("shards"),
                "--set", "model.dim=16", "--set", "model.heads=2", "--set", "model.mlp-dim=32", "--set", "model.depth=1"));
        for (int i = 2; i < KEYS.length; i++) {
            args.addAll(List.of("--set", "hadoop.\"" + KEYS[i] + "\"=" + canary(i)));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try {
            CommandLine cli = new CommandLine(new TrainJob());
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            code = cli.execute(args.toArray(String[]::new));
        } finally {
            System.clearProperty(prop);
        }
        assertEquals(0, code, out + "\n" + err);
        List<String> leaks = new ArrayList<>();
        check("stdout", out.toString().getBytes(StandardCharsets.UTF_8), leaks);
        check("stderr", err.toString().getBytes(StandardCharsets.UTF_8), leaks);
        int files = 0;
        try (Stream<Path> all = Files.walk(dir.resolve("runs"))) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files++;
                byte[] bytes = Files.readAllBytes(p);
                check(p.toString(), bytes, leaks);
                if (p.toString().endsWith(".zip")) {
                    try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
                        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                            check(p + "!" + e.getName(), zip.readAllBytes(), leaks);
                        }
                    }
                }
            }
        }
        assertTrue(files > 10, "the run wrote its files: " + files);
        assertTrue(leaks.isEmpty(), "secrets leaked: " + leaks);
    }

    @Test
    void sparksUiEnvironmentShowsThemRedacted() throws Exception {
        List<String> sets = new ArrayList<>(List.of("spark.master=local[1]", "spark.conf.\"spark.ui.enabled\"=true",
                "spark.conf.\"spark.ui.port\"=0"));
        for (int i = 0; i < KEYS.length; i++) {
            sets.add("hadoop.\"" + KEYS[i] + "\"=" + canary(i));
        }
        VitsparkConfig c = ConfigLoader.standard().load(new ConfigSources(null, new Properties(), sets));
        try (JavaSparkContext sc = new JavaSparkContext(SparkContexts.conf(c.settings(), "canary"))) {
            String ui = sc.sc().uiWebUrl().get();
            String env = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui + "/api/v1/applications/"
                    + sc.sc().applicationId() + "/environment")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(env.contains("spark.hadoop.fs.s3a.secret.key"), "the page lists the keys: " + env.length());
            List<String> leaks = new ArrayList<>();
            check("Spark UI environment", env.getBytes(StandardCharsets.UTF_8), leaks);
            assertTrue(leaks.isEmpty(), "secrets leaked: " + leaks);
        }
    }

    @Test
    void aUriWithCredentialsIsRefusedWithoutEchoingThem() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new TrainJob());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(2, cli.execute("--set", "data.path=s3a://AKIA:" + canary(9) + "@bucket/data", "--dry-run"));
        assertFalse(out.toString().contains(canary(9)), out.toString());
        assertTrue(out.toString().contains("data.path"), out.toString());
    }

    private static void check(String where, byte[] bytes, List<String> leaks) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 10; i++) {
            if (text.contains(canary(i))) {
                leaks.add(canary(i) + " in " + where);
            }
        }
    }
}
