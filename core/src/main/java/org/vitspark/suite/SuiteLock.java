package org.vitspark.suite;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One suite run at a time, on any Hadoop filesystem the runs share (the driver of a nightly run may start
 * on any host of a cluster). The lock is a file created exclusively, holding its owner (host, process,
 * start time, a random token) as key=value lines; the holder refreshes its modification time as a heartbeat. A holder that crashed leaves
 * the file behind, so the lock is taken over when it is stale: its process is gone (same host), or its
 * heartbeat is older than {@code staleAfter} (any host). Take-over renames the stale file away (one
 * contender wins the rename) and checks that what it renamed is the owner it judged stale before creating
 * its own. A refusal names the owner and the lock's age.
 */
public final class SuiteLock implements AutoCloseable {

    /** The lock is held by a live run. */
    public static final class HeldException extends IllegalStateException {
        HeldException(String message) {
            super(message);
        }
    }

    record Owner(String host, long pid, Instant started, String token) {
        String describe(Instant now, Instant heartbeat) {
            return String.format("process %d on %s since %s (%s ago, last heartbeat %s ago)", pid, host, started,
                    age(Duration.between(started, now)), age(Duration.between(heartbeat, now)));
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Owner owner;
    private final Clock clock;
    private boolean held;
    private String tookOver;

    private SuiteLock(FileSystem fs, Path file, Owner owner, Clock clock) {
        this.fs = fs;
        this.file = file;
        this.owner = owner;
        this.clock = clock;
    }

    /** Whom this lock was taken over from and why (a crashed or silent earlier run), if it was. */
    public Optional<String> tookOver() {
        return Optional.ofNullable(tookOver);
    }

    /** Takes the lock at {@code file} for this process, or throws {@link HeldException} naming its holder. */
    public static SuiteLock acquire(FileSystem fs, Path file, Duration staleAfter) throws IOException {
        return acquire(fs, file, staleAfter, self(), Clock.systemUTC());
    }

    static Owner self() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return new Owner(host, ProcessHandle.current().pid(), Instant.now(), UUID.randomUUID().toString());
    }

    static SuiteLock acquire(FileSystem fs, Path file, Duration staleAfter, Owner me, Clock clock) throws IOException {
        SuiteLock lock = new SuiteLock(fs, file, me, clock);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (lock.tryCreate()) {
                return lock;
            }
            Optional<Owner> holder = read(fs, file);
            FileStatus status;
            try {
                status = fs.getFileStatus(file);
            } catch (java.io.FileNotFoundException gone) {
                continue; // released meanwhile
            }
            Instant heartbeat = Instant.ofEpochMilli(status.getModificationTime());
            Instant now = clock.instant();
            String stale = staleReason(holder, heartbeat, now, staleAfter, me.host());
            if (stale == null) {
                throw new HeldException("suite lock " + file + " is held by " + holder.map(h -> h.describe(now,
                        heartbeat)).orElse("an unreadable owner") + "; a second run of the same suite must wait");
            }
            // one contender wins this rename; the loser finds no file or a fresh owner on its next attempt
            Path aside = new Path(file.getParent(), file.getName() + ".stale-" + me.token());
            if (fs.rename(file, aside)) {
                Optional<Owner> renamed = read(fs, aside);
                if (!renamed.equals(holder)) {
                    fs.rename(aside, file); // it was a fresh owner's: give it back
                    continue;
                }
                fs.delete(aside, false);
                Instant at = now;
                lock.tookOver = holder.map(h -> h.describe(at, heartbeat)).orElse("an unreadable owner") + ": "
                        + stale;
            }
        }
        throw new HeldException("suite lock " + file + " changed hands while this run tried to take it over");
    }

    /** Why the holder counts as gone, or null while it is alive. */
    static String staleReason(Optional<Owner> holder, Instant heartbeat, Instant now, Duration staleAfter,
                              String myHost) {
        if (holder.isPresent() && holder.get().host().equals(myHost)
                && ProcessHandle.of(holder.get().pid()).map(p -> !p.isAlive()).orElse(true)) {
            return "its process " + holder.get().pid() + " is gone";
        }
        if (Duration.between(heartbeat, now).compareTo(staleAfter) > 0) {
            return "its last heartbeat is " + age(Duration.between(heartbeat, now)) + " old";
        }
        return null;
    }

    private boolean tryCreate() throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            String text = "host=" + owner.host() + "\npid=" + owner.pid() + "\nstarted=" + owner.started()
                    + "\ntoken=" + owner.token() + "\n";
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) { // some filesystems report the collision as a plain IOException
                return false;
            }
            throw e;
        }
        held = true;
        return true;
    }

    static Optional<Owner> read(FileSystem fs, Path file) {
        try (FSDataInputStream in = fs.open(file)) {
            Properties p = new Properties();
            p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            return Optional.of(new Owner(p.getProperty("host"), Long.parseLong(p.getProperty("pid")),
                    Instant.parse(p.getProperty("started")), p.getProperty("token")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Refreshes the heartbeat (call at least every staleAfter / 2 while the run lasts). */
    public void heartbeat() throws IOException {
        if (held) {
            fs.setTimes(file, clock.millis(), -1);
        }
    }

    /** Releases the lock if this process still holds it. */
    @Override
    public void close() throws IOException {
        if (held && read(fs, file).map(o -> o.token().equals(owner.token())).orElse(false)) {
            fs.delete(file, false);
        }
        held = false;
    }

    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
