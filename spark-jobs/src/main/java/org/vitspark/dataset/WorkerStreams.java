package org.vitspark.dataset;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.shard.ShardBatch;
import org.vitspark.shard.ShardReader;

/**
 * Keeps each worker's shard stream open on its executor between rounds. A round that starts where the
 * cached stream stopped continues it (shards stay loaded, prefetched batches stay ready); any other
 * start (a retry, a task moved to another executor, a resume) reopens the stream at its position, which
 * yields the same batches by the reader's contract. Only one run's streams are kept per JVM.
 */
public final class WorkerStreams {

    public static final class Stream {
        final ShardReader reader;
        public Iterator<ShardBatch> batches;
        DataPosition next;

        public Stream(ShardReader reader) {
            this.reader = reader;
        }
    }

    private static final Map<String, Stream> OPEN = new HashMap<>();
    private static String openRun;

    private WorkerStreams() {
    }

    /** Takes worker {@code worker}'s stream positioned at {@code start}; give it back with {@link #giveBack}. */
    public static synchronized Stream take(WorkerData data, int worker, DataPosition start) {
        if (!data.streamKey.equals(openRun)) {
            closeAll();
            openRun = data.streamKey;
        }
        Stream s = OPEN.remove(data.streamKey + "/" + worker);
        if (s == null) {
            s = new Stream(data.open(worker));
        }
        if (s.batches == null || !start.equals(s.next)) {
            s.batches = s.reader.epoch(start);
        }
        s.next = start;
        return s;
    }

    public static synchronized void giveBack(WorkerData data, int worker, Stream s, DataPosition next) {
        s.next = next;
        if (data.streamKey.equals(openRun)) {
            OPEN.put(data.streamKey + "/" + worker, s);
        } else {
            s.reader.close();
        }
    }

    /** Closes a stream that failed mid-round (its position is unknown). */
    public static void discard(Stream s) {
        s.reader.close();
    }

    private static void closeAll() {
        OPEN.values().forEach(s -> s.reader.close());
        OPEN.clear();
    }
}
