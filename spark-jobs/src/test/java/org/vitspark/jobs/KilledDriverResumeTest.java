package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.ChildJvm;

/**
 * The driver JVM of {@code vitspark train} is SIGKILLed after it published a checkpoint; the same command
 * run again finds the unfinished run directory, resumes from LATEST, and every round's loss, the final
 * weights and the test accuracy equal those of an uninterrupted run, bit for bit.
 */
class KilledDriverResumeTest {

    @TempDir
    Path dir;

    private String[] command(String root) {
        return new String[] {"--set", "run.root=" + dir.resolve(root), "--set", "run.name=resume",
            "--set", "data.shards=" + dir.resolve("shards"), "--set", "data.train-limit=512",
            "--set", "data.test-limit=128", "--set", "spark.master=local[2]", "--set", "train.workers=2",
            "--set", "train.averaging-frequency=2", "--set", "train.batch-per-worker=16", "--set", "train.epochs=2",
            "--set", "train.checkpoint-every-rounds=3", "--set", "train.log-every=1", "--set", "train.preflight=false",
            "--set", "augment.train=small", "--set", "augment.eval=small-eval", "--set", "optim.sam.mode=sam"};
    }

    private Process train(String root, String log) throws IOException {
        return ChildJvm.start(dir.resolve(log), TrainJob.class.getName(), command(root));
    }

    @Test
    void theSameCommandResumesFromLatestAndContinuesExactly() throws Exception {
        Process whole = train("whole", "whole.log");
        assertEquals(0, whole.waitFor(), Files.readString(dir.resolve("whole.log")));

        Process killed = train("killed", "killed.log");
        Path runs = dir.resolve("killed/resume");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (killed.isAlive() && latestRound(runs) < 6 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(killed.isAlive(), "killed before it finished: " + Files.readString(dir.resolve("killed.log")));
        killed.destroyForcibly().waitFor();
        int checkpointed = latestRound(runs);
        assertTrue(checkpointed >= 6 && checkpointed < 16, "killed mid-run after round " + checkpointed);

        Process resumed = train("killed", "resumed.log");
        assertEquals(0, resumed.waitFor(), Files.readString(dir.resolve("resumed.log")));
        String log = Files.readString(dir.resolve("resumed.log"));
        assertTrue(log.contains("resuming from checkpoint round-" + String.format("%08d", checkpointed)), log);

        Path a = onlyRun(dir.resolve("whole/resume"));
        Path b = onlyRun(runs);
        Map<Integer, String> lossesA = trainLosses(a);
        Map<Integer, String> lossesB = trainLosses(b);
        assertEquals(16, lossesA.size());
        assertEquals(lossesA, lossesB, "every round's loss, before and after the resume");
        assertArrayEquals(Files.readAllBytes(a.resolve("weights.safetensors")),
                Files.readAllBytes(b.resolve("weights.safetensors")), "final weights");
        assertEquals(Files.readString(a.resolve("summary.json")).replaceAll("\"seconds\":[0-9.]+", ""),
                Files.readString(b.resolve("summary.json")).replaceAll("\"seconds\":[0-9.]+", ""));
    }

    private static int latestRound(Path runs) throws IOException {
        if (!Files.exists(runs)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(runs)) {
            for (Path run : s.toList()) {
                Path latest = run.resolve("checkpoints/LATEST");
                if (Files.exists(latest)) {
                    Matcher m = Pattern.compile("round-(\\d+)").matcher(Files.readString(latest));
                    return m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
            }
        }
        return 0;
    }

    private static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> all = new ArrayList<>(s.toList());
            assertEquals(1, all.size(), "the rerun continued the same run directory: " + all);
            return all.get(0);
        }
    }

    /** round → the exact JSON text of its loss and clean loss. */
    private static Map<Integer, String> trainLosses(Path run) throws IOException {
        Map<Integer, String> out = new TreeMap<>();
        Pattern p = Pattern.compile("\"kind\":\"train\".*\"round\":(\\d+).*(\"loss\":[^,]+,\"clean_loss\":[^,]+)");
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                assertTrue(out.put(Integer.parseInt(m.group(1)), m.group(2)) == null, "round logged once: " + line);
            }
        }
        return out;
    }
}
