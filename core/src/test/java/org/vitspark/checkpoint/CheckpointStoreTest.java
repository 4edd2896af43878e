package org.vitspark.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.data.shard.DataPosition;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();

    private CheckpointStore store(int keep) throws IOException {
        // the local filesystem the jobs use: no .crc side files, so only our SHA-256 guards the bytes (as on S3)
        return new CheckpointStore(FileSystem.getLocal(org.vitspark.fs.HadoopFiles.configuration(java.util.Map.of())),
                new org.apache.hadoop.fs.Path(dir.resolve("checkpoints").toUri()), keep, new PrintWriter(log));
    }

    static TrainState state(int round) {
        return new TrainState(round, round / 4, round % 4, round * 3,
                List.of(new DataPosition(round / 4, 1, 16 * round), new DataPosition(round / 4, 0, 7)), 42, "abc");
    }

    static INDArray params(int round) {
        return Nd4j.linspace(DataType.FLOAT, round, 0.5, 1000).reshape(1, 1000);
    }

    @Test
    void roundTripsStateArraysAndConfig() throws IOException {
        CheckpointStore s = store(3);
        s.write(state(5), params(5), params(6), "a = 1\n");
        Checkpoint cp = s.loadLatest().orElseThrow();
        assertEquals(state(5), cp.state());
        assertArrayEquals(params(5).data().asFloat(), cp.params().data().asFloat());
        assertArrayEquals(params(6).data().asFloat(), cp.updater().data().asFloat());
        assertEquals("a = 1\n", cp.config());
        assertEquals("round-00000005", cp.name());
    }

    @Test
    void keepsTheNewestKAndLatestPointsAtTheNewest() throws IOException {
        CheckpointStore s = store(2);
        for (int r = 1; r <= 5; r++) {
            s.write(state(r), params(r), null, "");
        }
        assertEquals(List.of("round-00000005", "round-00000004"), s.roundDirs());
        assertTrue(Files.readString(dir.resolve("checkpoints/LATEST")).startsWith("round-00000005 "));
        assertEquals(5, s.loadLatest().orElseThrow().state().round());
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousWithAWarning() throws IOException {
        CheckpointStore s = store(3);
        s.write(state(1), params(1), null, "");
        s.write(state(2), params(2), null, "");
        Path newest = dir.resolve("checkpoints/round-00000002/params.bin");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 3] ^= 0x40; // one flipped bit in the last parameter
        Files.write(newest, bytes);
        assertFalse(Files.exists(newest.resolveSibling(".params.bin.crc")), "no .crc side file to catch it");
        Checkpoint cp = s.loadLatest().orElseThrow();
        assertEquals(1, cp.state().round());
        assertArrayEquals(params(1).data().asFloat(), cp.params().data().asFloat());
        assertTrue(log.toString().contains("round-00000002 is unusable: params.bin fails its SHA-256 check"), log.toString());
        assertTrue(log.toString().contains("resuming from the older checkpoint round-00000001"), log.toString());
    }

    @Test
    void noVerifiableCheckpointIsAnErrorNotAFreshStart() throws IOException {
        CheckpointStore s = store(3);
        s.write(state(1), params(1), null, "");
        Files.writeString(dir.resolve("checkpoints/round-00000001/state.json"), "{}");
        IOException e = assertThrows(IOException.class, s::loadLatest);
        assertTrue(e.getMessage().contains("refusing to restart from scratch"), e.getMessage());
    }

    /** Issue 19: deleting the 80-byte LATEST pointer must not throw three intact checkpoints away. */
    @Test
    void withoutLatestTheNewestVerifyingCheckpointResumesAndSaysSo() throws IOException {
        CheckpointStore s = store(3);
        for (int round = 1; round <= 3; round++) {
            s.write(state(round), params(round), null, "a = 1\n");
        }
        Files.delete(dir.resolve("checkpoints/LATEST"));
        // the newest is damaged: the next one down is taken
        Files.write(dir.resolve("checkpoints/round-00000003/" + CheckpointStore.PARAMS), new byte[] {1, 2, 3});
        Checkpoint cp = s.loadLatest().orElseThrow();
        assertEquals(2, cp.state().round());
        assertTrue(log.toString().contains("no LATEST in") && log.toString().contains(
                "resuming from the newest checkpoint that verifies, round-00000002"), log.toString());
        assertTrue(log.toString().contains("skipped: round-00000003"), log.toString());
    }

    @Test
    void unpublishedDirectoriesAreIgnoredAndNonFiniteArraysRefused() throws IOException {
        CheckpointStore s = store(3);
        Files.createDirectories(dir.resolve("checkpoints/round-00000009"));
        assertTrue(s.loadLatest().isEmpty());
        assertTrue(log.toString().contains("ignoring unpublished checkpoint directories [round-00000009]"));
        INDArray bad = params(1);
        bad.putScalar(0, 17, Float.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.write(state(1), bad, null, ""));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        INDArray inf = params(1);
        inf.putScalar(0, 3, Float.POSITIVE_INFINITY);
        assertThrows(IllegalStateException.class, () -> s.write(state(1), params(1), inf, ""));
        assertFalse(Files.exists(dir.resolve("checkpoints/LATEST")));
    }
}
