package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.checkpoint.Checkpoint;
import org.vitspark.checkpoint.CheckpointStore;
import picocli.CommandLine;

/**
 * Issue 19: the run directory's disk fills up during {@code train} (a 3 MB tmpfs, mounted for the test: these
 * machines run tests as root): the job ends with exit 1 and one line naming the failure, no raw stack trace,
 * and LATEST still points at a checkpoint that verifies.
 */
class FullDiskTest {

    @TempDir
    Path dir;

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    @Test
    void aFullDiskEndsTheRunInOneLineAndLatestStillVerifies() throws Exception {
        Path disk = dir.resolve("disk");
        Files.createDirectories(disk);
        sh("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk.toString());
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new TrainJob());
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int code = cli.execute("--set", "spark.master=local[1]", "--set", "train.workers=1",
                    "--set", "data.train-limit=512", "--set", "data.test-limit=64", "--set", "train.epochs=3",
                    "--set", "train.batch-per-worker=32", "--set", "train.averaging-frequency=1",
                    "--set", "train.checkpoint-every-rounds=1", "--set", "train.keep-checkpoints=1000",
                    "--set", "train.preflight=false", "--set", "model.dim=32", "--set", "model.heads=2",
                    "--set", "model.mlp-dim=64", "--set", "model.depth=2",
                    "--set", "run.root=" + disk.resolve("runs"), "--set", "data.shards=" + dir.resolve("shards"),
                    "--set", "run.name=full", "--set", "run.id=r");
            String text = err.toString();
            assertEquals(1, code, out + "\n" + text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("train: failed:")), text);
            assertTrue(text.contains("No space left on device") || text.contains("space"), text);
            assertTrue(text.lines().noneMatch(l -> l.startsWith("\tat ")), "no raw stack trace: " + text);
            Path checkpoints = disk.resolve("runs/full/r/checkpoints");
            CheckpointStore store = new CheckpointStore(FileSystem.getLocal(new Configuration()),
                    new org.apache.hadoop.fs.Path(checkpoints.toUri()), 1000, new PrintWriter(new StringWriter()));
            Optional<Checkpoint> cp = store.loadLatest();
            assertTrue(cp.isPresent(), "a checkpoint was published before the disk filled");
            try (Stream<Path> rounds = Files.list(checkpoints)) {
                assertTrue(rounds.count() > 2, "several checkpoints fit on the disk");
            }
            System.out.printf("disk full after round %d; LATEST verifies%n", cp.get().state().round());
        } finally {
            sh("umount", disk.toString());
        }
    }
}
