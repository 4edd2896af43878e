package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vitspark.report.HeadlessChromium;
import picocli.CommandLine;

/**
 * A real Spark run (local[2], two workers averaging parameters) on a Fashion-MNIST subset, then eval
 * and report over its run directory. Needs dataset-fashion-mnist (installed by .ci/run).
 */
class TrainJobTest {

    @TempDir
    Path dir;

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome run(Object job, String... args) {
        CommandLine cli = new CommandLine(job);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private String execute(Object job, String... args) {
        Outcome o = run(job, args);
        assertEquals(0, o.exit(), o.out() + "\n" + o.err());
        return o.out();
    }

    /** The partial sums a round returns would exceed spark.driver.maxResultSize: exit 2 before the first round. */
    @Test
    void aDriverResultLimitTooSmallStopsTrainingBeforeTheFirstRound() throws Exception {
        Outcome o = run(new TrainJob(), "--set", "run.root=" + dir, "--set", "run.name=t", "--set", "run.id=small-limit",
                "--set", "spark.master=local[2]", "--set", "train.workers=2", "--set", "data.train-limit=256",
                "--set", "data.test-limit=64", "--set", "spark.conf.\"spark.driver.maxResultSize\"=1m");
        assertEquals(2, o.exit(), o.out() + "\n" + o.err());
        assertTrue(o.err().contains("spark.driver.maxResultSize = 1m is too small: each averaging round returns"
                + " 2 partial sums"), o.err());
        assertFalse(o.out().contains(" workers x batch "), "training started: " + o.out());
        assertFalse(Files.exists(dir.resolve("t/small-limit/checkpoints")), "a checkpoint was written");
    }

    @Test
    void trainEvalReportOnSpark() throws Exception {
        String canary = "CANARY-train-7d1e";
        String out = execute(new TrainJob(), "--set", "run.root=" + dir, "--set", "run.name=t", "--set", "run.id=r1",
                "--set", "spark.master=local[2]", "--set", "train.workers=2", "--set", "train.epochs=2",
                "--set", "data.train-limit=3072", "--set", "data.test-limit=1000", "--set", "train.log-every=2",
                "--set", "augment.train=small", "--set", "augment.eval=small-eval", "--set", "train.eval-train=true",
                "--set", "hadoop.\"fs.s3a.secret.key\"=" + canary);
        Path run = dir.resolve("t/r1");
        for (String f : List.of("config.conf", "config.sha256", "metrics.jsonl", "model.zip", "summary.json")) {
            assertTrue(Files.exists(run.resolve(f)), f + " missing");
        }
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(canary), "secret leaked into " + f);
            }
        }
        assertTrue(Files.readString(run.resolve("config.conf")).contains(Files.readString(run.resolve("config.sha256")).trim()));
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertTrue(metrics.stream().anyMatch(l -> l.contains("\"kind\":\"eval\"")), metrics.toString());
        // train.eval-train: the whole training split, evaluated after each epoch beside the test split
        assertEquals(2, metrics.stream().filter(l -> l.contains("\"kind\":\"eval_train\"") && l.contains("\"images\":3072")).count(),
                metrics.toString());
        // each round's time breakdown: the driver's parts and Spark's (from task metrics), within the round
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : metrics) {
            com.fasterxml.jackson.databind.JsonNode row = json.readTree(line);
            if (!row.path("kind").asText().equals("train")) {
                continue;
            }
            double round = row.path("round_s").asDouble();
            double parts = 0;
            for (String part : List.of("broadcast_s", "sum_s", "apply_s", "launch_s", "task_deserialize_s",
                    "result_serialize_s", "result_fetch_s")) {
                assertTrue(row.path(part).isNumber() && row.path(part).asDouble() >= 0, part + " in " + line);
                parts += row.path(part).asDouble();
            }
            assertTrue(parts <= round, "parts " + parts + " > round " + round + ": " + line);
        }
        double top1 = Double.parseDouble(Files.readString(run.resolve("summary.json")).replaceAll(".*\"test_top1\":([0-9.]+).*\\s*", "$1"));
        // 48 AdamW steps, still inside the cosine schedule's first warm-up epoch, with pad-crop + flip:
        // measured 0.28-0.35 top-1; chance is 0.1.
        assertTrue(top1 > 0.2, "2 epochs on 3k images should beat chance (0.1) clearly; got " + top1 + "\n" + out);
        for (String f : List.of("weights.safetensors", "report/summary.txt", "checkpoints/LATEST")) {
            assertTrue(Files.exists(run.resolve(f)), f + " missing");
        }
        try (Stream<Path> tb = Files.list(run.resolve("tensorboard"))) {
            assertTrue(tb.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")));
        }
        assertTrue(out.contains("preflight: worker 1: executor driver"), out);
        // train ends with the HTML report, its path the last line printed
        String[] lines = out.strip().split("\n");
        assertEquals("report file:" + run.resolve("report/index.html"), lines[lines.length - 1], out);
        assertTrue(Files.readString(run.resolve("report/index.html"))
                .contains(Files.readString(run.resolve("config.sha256")).trim()));
        assertOnlyWhatUsersRead(run);
        assertOnlyWhatUsersRead(dir.resolve("shards"));

        String eval = execute(new EvalJob(), run.toString(), "--set", "spark.master=local[2]", "--set",
                "data.test-limit=1000", "--set", "data.train-limit=3072", "--set", "run.root=" + dir,
                "--set", "augment.eval=small-eval");
        assertTrue(eval.contains("top-1"), eval);
        assertTrue(Files.exists(run.resolve("eval.json")));
        String report = execute(new ReportJob(), run.toString());
        assertTrue(report.contains("final test top-1") && report.contains("eval:"), report);
        assertTrue(Files.exists(run.resolve("report/summary.txt")));

        // analyze: the run's own config.conf is the default configuration; small settings keep it ~1 minute
        String analyze = execute(new AnalyzeJob(), run.toString(), "--set", "spark.master=local[2]",
                "--set", "analyze.hessian.images=256", "--set", "analyze.hessian.max-iterations=4",
                "--set", "analyze.hessian.per-block=true", "--set", "analyze.landscape.images=128",
                "--set", "analyze.landscape.points-1d=9", "--set", "analyze.landscape.points-2d=5",
                "--set", "analyze.probe.images=200", "--set", "analyze.probe.attention-images=6");
        JsonNode a = new ObjectMapper().readTree(run.resolve("analysis/analysis.json").toFile());
        // analyze refreshes the run's HTML report with its results and ends with the page's path
        assertTrue(analyze.strip().endsWith("report/index.html"), analyze);
        assertTrue(Files.readString(run.resolve("report/index.html")).contains(a.path("checkpoint").asText()));
        JsonNode h = a.path("hessian");
        assertEquals(256, h.path("images").asInt());
        assertTrue(h.path("lambda_max").asDouble() > 0, analyze);
        assertEquals(h.path("lambda_max").asDouble(), h.path("history").get(h.path("iterations").asInt() - 1).asDouble());
        // patch embedding, 4 x (attention, MLP), head
        assertEquals(10, h.path("per_block").size(), h.toString());
        JsonNode l = a.path("landscape");
        // the centre of the line and of the grid are the same point on the same images: the same loss, bit for bit
        assertEquals(l.path("loss_1d").get(4).asDouble(), l.path("loss_2d").get(2).get(2).asDouble(), 0.0);
        for (JsonNode v : l.path("loss_1d")) {
            assertTrue(v.asDouble() > 0 && Double.isFinite(v.asDouble()), l.toString());
        }
        assertEquals(4, a.path("neurons").path("active_ratio").size());
        for (JsonNode v : a.path("neurons").path("active_ratio")) {
            assertTrue(v.asDouble() > 0 && v.asDouble() < 1, a.toString());
        }
        for (JsonNode v : a.path("oversmoothing").path("patch_cosine")) {
            assertTrue(v.asDouble() > 0 && v.asDouble() <= 1, a.toString());
        }
        assertEquals(200, a.path("neurons").path("images").asInt());
        java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(run.resolve("analysis/attention.png").toFile());
        assertEquals(3 * 112, grid.getWidth());
        for (String png : List.of("hessian.png", "landscape-1d.png", "landscape-2d-contour.png", "landscape-2d-heatmap.png")) {
            assertTrue(javax.imageio.ImageIO.read(run.resolve("analysis/" + png).toFile()).getWidth() > 100, png);
        }

        assertOnlyWhatUsersRead(run);
        // the HTML report, opened in headless Chromium: no broken image, no script error
        String html = execute(new ReportJob(), run.toString());
        Path page = run.resolve("report/index.html");
        assertTrue(html.contains(page.toString()), html);
        String text = Files.readString(page);
        assertTrue(text.contains(a.path("checkpoint").asText()) && text.contains(Files.readString(run.resolve("config.sha256")).trim()));
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            HeadlessChromium.PageCheck check = browser.open(page);
            assertEquals(List.of(), check.errors());
            assertEquals(List.of(), check.brokenImages());
            // 5 curves, neurons, over-smoothing, 5 analyze plots
            assertEquals(12, check.images(), text);
        }
    }

    /**
     * A folder on file:// holds only what users read: no Hadoop .crc side files, and nothing but real event
     * files with "tfevents" in the name (TensorBoard's loader takes any such file for one).
     */
    static void assertOnlyWhatUsersRead(Path folder) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            List<String> all = files.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).toList();
            assertFalse(all.isEmpty(), folder + " is empty");
            for (String f : all) {
                String name = Path.of(f).getFileName().toString();
                assertFalse(name.endsWith(".crc"), "side file " + f + " in " + all);
                assertTrue(!name.contains("tfevents") || name.startsWith("events.out.tfevents."), f);
                assertFalse(name.startsWith(".tmp-"), "temporary file left: " + f);
            }
        }
    }
}
