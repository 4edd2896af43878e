package org.vitspark.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held, stale and crashed holders of the suite lock, on the local Hadoop filesystem. */
class SuiteLockTest {

    private static final Duration STALE = Duration.ofMinutes(10);

    @TempDir
    java.nio.file.Path dir;

    private FileSystem fs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    private Path lockFile() {
        return new Path(dir.resolve("smoke.lock").toUri());
    }

    private static SuiteLock.Owner owner(String host, long pid, String token) {
        return new SuiteLock.Owner(host, pid, Instant.parse("2026-12-01T02:00:00Z"), token);
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    private void plant(FileSystem fs, SuiteLock.Owner o, Instant heartbeat) throws IOException {
        try (OutputStream out = fs.create(lockFile(), true)) {
            out.write(("host=" + o.host() + "\npid=" + o.pid() + "\nstarted=" + o.started() + "\ntoken=" + o.token()
                    + "\n").getBytes(StandardCharsets.UTF_8));
        }
        fs.setTimes(lockFile(), heartbeat.toEpochMilli(), -1);
    }

    @Test
    void aLiveHolderRefusesASecondRunNamingItselfAndItsAge() throws IOException {
        FileSystem fs = fs();
        long me = ProcessHandle.current().pid();
        Clock now = at("2026-12-01T02:30:00Z");
        try (SuiteLock first = SuiteLock.acquire(fs, lockFile(), STALE, owner("nightly-host", me, "a"), now)) {
            fs.setTimes(lockFile(), Instant.parse("2026-12-01T02:29:00Z").toEpochMilli(), -1);
            SuiteLock.HeldException e = assertThrows(SuiteLock.HeldException.class,
                    () -> SuiteLock.acquire(fs, lockFile(), STALE, owner("nightly-host", me, "b"), now));
            assertTrue(e.getMessage().contains("process " + me + " on nightly-host since 2026-12-01T02:00:00Z (30m00s ago,"
                    + " last heartbeat 1m00s ago)"), e.getMessage());
        }
        assertFalse(fs.exists(lockFile()), "released on close");
    }

    @Test
    void aCrashedHolderOnThisHostIsTakenOver() throws IOException, InterruptedException {
        FileSystem fs = fs();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Clock now = at("2026-12-01T02:30:00Z");
        plant(fs, owner("nightly-host", gone.pid(), "crashed"), Instant.parse("2026-12-01T02:29:59Z"));
        assertEquals("its process " + gone.pid() + " is gone", SuiteLock.staleReason(SuiteLock.read(fs, lockFile()),
                Instant.parse("2026-12-01T02:29:59Z"), now.instant(), STALE, "nightly-host"));
        try (SuiteLock lock = SuiteLock.acquire(fs, lockFile(), STALE, owner("nightly-host", 42, "mine"), now)) {
            assertEquals("mine", SuiteLock.read(fs, lockFile()).orElseThrow().token());
            assertTrue(lock.tookOver().orElseThrow().contains("process " + gone.pid() + " on nightly-host")
                    && lock.tookOver().orElseThrow().endsWith("its process " + gone.pid() + " is gone"),
                    lock.tookOver().toString());
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".stale-")), "the stale file is removed");
        }
    }

    @Test
    void anotherHostsHolderIsStaleOnlyWhenItsHeartbeatIsOld() throws IOException {
        FileSystem fs = fs();
        Clock now = at("2026-12-01T04:00:00Z");
        plant(fs, owner("other-host", 1, "theirs"), Instant.parse("2026-12-01T03:55:00Z"));
        SuiteLock.HeldException held = assertThrows(SuiteLock.HeldException.class,
                () -> SuiteLock.acquire(fs, lockFile(), STALE, owner("nightly-host", 42, "mine"), now));
        assertTrue(held.getMessage().contains("on other-host") && held.getMessage().contains("2h00m ago"),
                held.getMessage());
        fs.setTimes(lockFile(), Instant.parse("2026-12-01T03:00:00Z").toEpochMilli(), -1);
        try (SuiteLock lock = SuiteLock.acquire(fs, lockFile(), STALE, owner("nightly-host", 42, "mine"), now)) {
            assertEquals("mine", SuiteLock.read(fs, lockFile()).orElseThrow().token());
            lock.heartbeat();
            assertEquals(now.millis(), fs.getFileStatus(lockFile()).getModificationTime(), 1000);
        }
    }

    @Test
    void closingDoesNotRemoveALockSomeoneElseTookOver() throws IOException {
        FileSystem fs = fs();
        Clock now = at("2026-12-01T04:00:00Z");
        SuiteLock mine = SuiteLock.acquire(fs, lockFile(), STALE, owner("nightly-host", 42, "mine"), now);
        plant(fs, owner("other-host", 7, "theirs"), now.instant());
        mine.close();
        assertEquals("theirs", SuiteLock.read(fs, lockFile()).orElseThrow().token());
    }
}
