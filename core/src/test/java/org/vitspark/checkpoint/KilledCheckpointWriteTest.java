package org.vitspark.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.ChildJvm;

/**
 * SIGKILL a process that does nothing but write checkpoints, at random moments, again and again: every
 * time, the store loads a complete checkpoint (arrays match the round its state names), and the writer
 * restarted on the same directory continues from it.
 */
class KilledCheckpointWriteTest {

    @TempDir
    Path dir;

    @Test
    void thePreviousCheckpointAlwaysLoadsAfterAKillMidWrite() throws Exception {
        Path root = dir.resolve("checkpoints");
        SplittableRandom random = new SplittableRandom(5);
        int lastRound = 0;
        int midWrite = 0;
        for (int kill = 0; kill < 6; kill++) {
            Path log = dir.resolve("writer-" + kill + ".log");
            Process p = ChildJvm.start(log, CheckpointWriterMain.class.getName(), root.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Path latest = root.resolve(CheckpointStore.LATEST);
            String before = Files.exists(latest) ? Files.readString(latest) : "";
            while (p.isAlive() && (!Files.exists(latest) || Files.readString(latest).equals(before))
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (kill % 2 == 0) {
                Thread.sleep(random.nextInt(20, 400)); // anywhere in the write cycle
            } else {
                // inside a write for sure: once the next round's directory exists and before it is published
                // (a random delay alone missed the window six times in a row on a slower machine, where the
                // checks before a write take longer)
                String published = Files.readString(latest).split(" ")[0];
                while (p.isAlive() && !newerDirectoryThan(root, published) && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
            }
            assertTrue(p.isAlive(), Files.readString(log));
            p.destroyForcibly().waitFor();

            StringWriter warnings = new StringWriter();
            CheckpointStore store = new CheckpointStore(FileSystem.getLocal(new Configuration()),
                    new org.apache.hadoop.fs.Path(root.toUri()), 2, new PrintWriter(warnings));
            Checkpoint cp = store.loadLatest().orElseThrow();
            int round = cp.state().round();
            assertTrue(round > lastRound, "a newer checkpoint was published before the kill: " + round);
            assertEquals(CheckpointWriterMain.state(round), cp.state());
            assertAll(cp.params(), round);
            assertAll(cp.updater(), -round);
            assertEquals("round = " + round + "\n", cp.config());
            if (!store.roundDirs().get(0).equals(cp.name())) {
                midWrite++; // the kill left a newer, unpublished directory behind
            }
            lastRound = round;
        }
        assertTrue(midWrite >= 3, "the targeted kills landed while a checkpoint was being written: " + midWrite);
    }

    private static boolean newerDirectoryThan(Path root, String published) throws java.io.IOException {
        try (java.util.stream.Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> d.getFileName().toString())
                    .anyMatch(n -> n.startsWith(CheckpointStore.PREFIX) && n.compareTo(published) > 0);
        }
    }

    private static void assertAll(INDArray a, int value) {
        assertEquals(CheckpointWriterMain.SIZE, a.length());
        assertEquals((double) value, a.minNumber().doubleValue());
        assertEquals((double) value, a.maxNumber().doubleValue());
    }
}
