package org.vitspark.averaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Several averaging rounds in one Spark job: one task per worker stays running and exchanges parameters
 * with the driver over a TCP connection, so a round costs the transfer and the sum, not a Spark job's
 * scheduling, launch, result and completion path (15-50 ms a job on a 2-core VM, docs/benchmarks.md;
 * docs/decisions.md D39). The driver listens on its own host (spark.driver.host) on a fresh port with a
 * random token that only the job's closure carries. Any failure (a worker's task or connection lost, a
 * worker that never starts) ends the segment with an IOException; the caller then runs that round as a
 * Spark job of its own, whose task retries Spark handles, and whose result is the same bits.
 */
final class RoundSegment implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long close() waits for the tasks to end after their stop message. */
    private static final long END_WAIT_SECONDS = 60;

    private final JavaSparkContext sc;
    private final String group;
    private final JavaFutureAction<List<Integer>> job;
    private final SocketChannel[] workers;
    /**
     * The running sum's arrays and the next worker's, reused round after round: the driver holds two
     * copies of the state, whatever the number of workers (a Spark job's collect holds one per worker).
     */
    private INDArray sumParams;
    private INDArray sumUpdater;
    private INDArray nextParams;
    private INDArray nextUpdater;
    private volatile boolean ended;
    /** Sends a round's state to the workers in parallel. */
    private final ExecutorService senders;

    private RoundSegment(JavaSparkContext sc, String group, JavaFutureAction<List<Integer>> job,
                         SocketChannel[] workers) {
        this.sc = sc;
        this.group = group;
        this.job = job;
        this.workers = workers;
        this.senders = Executors.newFixedThreadPool(workers.length, r -> {
            Thread t = new Thread(r, "vitspark-round-segment-send");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the segment's job and waits up to {@code waitSeconds} for each of {@code count} workers to
     * connect (every worker needs a task slot at once); throws, with nothing left running, otherwise.
     */
    static RoundSegment open(JavaSparkContext sc, RoundWorker rounds, int count, int waitSeconds) throws IOException {
        String host = sc.getConf().get("spark.driver.host");
        String bind = sc.getConf().get("spark.driver.bindAddress", host);
        byte[] token = new byte[SocketFrames.TOKEN_BYTES];
        RANDOM.nextBytes(token);
        String group = "vitspark-rounds-" + UUID.randomUUID();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(bind, 0), count);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            JavaFutureAction<List<Integer>> job;
            // interruptOnCancel: a cancelled segment's tasks are blocked in a channel read, which an interrupt ends
            sc.setJobGroup(group, String.format("train: averaging rounds over the driver's socket (%d workers)", count),
                    true);
            try {
                List<Integer> ids = IntStream.range(0, count).boxed().collect(Collectors.toList());
                job = sc.parallelize(ids, count).mapPartitions(new SegmentWorker(host, port, token, rounds))
                        .collectAsync();
            } finally {
                sc.clearJobGroup();
            }
            SocketChannel[] connected = new SocketChannel[count];
            try {
                accept(server, token, connected, job, waitSeconds);
            } catch (IOException | RuntimeException e) {
                cancel(sc, group, job, connected);
                throw e;
            }
            RoundSegment segment = new RoundSegment(sc, group, job, connected);
            segment.watch();
            return segment;
        }
    }

    private static void accept(ServerSocketChannel server, byte[] token, SocketChannel[] connected,
                               JavaFutureAction<List<Integer>> job, int waitSeconds) throws IOException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        int n = 0;
        while (n < connected.length) {
            long left = deadline - System.nanoTime();
            if (job.isDone()) {
                throw new IOException("the round-segment job ended before every worker connected: " + failure(job));
            }
            if (left <= 0) {
                throw new IOException(String.format("%d of %d workers connected within %d s (each worker needs a "
                        + "task slot at the same time)", n, connected.length, waitSeconds));
            }
            SocketChannel c = server.accept();
            if (c == null) {
                sleep(2);
                continue;
            }
            c.configureBlocking(true);
            c.socket().setTcpNoDelay(true);
            // The hello through the socket's stream, which honours a timeout: a connection that sends nothing
            // must not hold the driver.
            c.socket().setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            SocketFrames.Hello h;
            try {
                h = SocketFrames.readHello(Channels.newChannel(c.socket().getInputStream()));
            } catch (IOException e) {
                c.close(); // silent, closed early, or not speaking this protocol: not one of the segment's tasks
                continue;
            }
            c.socket().setSoTimeout(0);
            if (!Arrays.equals(h.token(), token) || h.worker() < 0 || h.worker() >= connected.length
                    || connected[h.worker()] != null) {
                c.close(); // not this segment's task, or a second attempt of one already connected
                continue;
            }
            connected[h.worker()] = c;
            n++;
        }
    }

    /** Closes the connections when the job ends on its own (a task failed for good), so no read waits forever. */
    private void watch() {
        Thread t = new Thread(() -> {
            try {
                job.get(); // however long the segment runs
            } catch (InterruptedException e) {
                return; // the JVM is going down
            } catch (ExecutionException | RuntimeException e) {
                // failed or cancelled: either way the connections must not be waited on
            }
            if (!ended) {
                closeAll(workers);
            }
        }, "vitspark-round-segment-watch");
        t.setDaemon(true);
        t.start();
    }

    /**
     * One round: every worker starts {@code tasks}' task from {@code params} and {@code updater} (null: a
     * fresh updater's zeros); returns the sum of their results, formed in worker order as each arrives
     * (the additions {@link PartialSum#inOrder} makes over all leaves at once). Its arrays are reused by
     * the next round.
     */
    PartialSum round(List<WorkerTask> tasks, INDArray params, INDArray updater) throws IOException {
        // to every worker at once: sent one after another, the last worker would start its steps a whole
        // state's transfer per worker later (32 MB each for the small ViT)
        List<Future<?>> sent = new ArrayList<>(workers.length);
        for (int w = 0; w < workers.length; w++) {
            SocketChannel worker = workers[w];
            WorkerTask task = tasks.get(w);
            sent.add(senders.submit(() -> {
                SocketFrames.writeStart(worker, task, params, updater);
                return null;
            }));
        }
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending a round", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        PartialSum sum = null;
        for (SocketChannel worker : workers) {
            boolean first = sum == null || sum.contributors == 0;
            PartialSum leaf = SocketFrames.readResult(worker, first ? sumParams : nextParams,
                    first ? sumUpdater : nextUpdater);
            if (leaf.contributors > 0 && first) {
                sumParams = leaf.params;
                sumUpdater = leaf.updater;
            } else if (leaf.contributors > 0) {
                nextParams = leaf.params;
                nextUpdater = leaf.updater;
            }
            sum = sum == null ? leaf : PartialSum.inOrder(0, List.of(sum, leaf));
        }
        return sum;
    }

    /** Stops the workers (they keep their networks for the next segment or Spark-job round) and waits for the job. */
    @Override
    public void close() throws IOException {
        ended = true;
        try {
            for (SocketChannel c : workers) {
                SocketFrames.writeStop(c);
            }
            job.get(END_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        } catch (ExecutionException | TimeoutException e) {
            abort();
            throw new IOException("the round-segment job did not end cleanly: " + e.getMessage(), e);
        } catch (IOException e) {
            abort();
            throw e;
        } finally {
            senders.shutdownNow();
            closeAll(workers);
        }
    }

    /** Cancels the job (its tasks are interrupted) and drops the connections. */
    void abort() {
        ended = true;
        senders.shutdownNow();
        cancel(sc, group, job, workers);
    }

    /**
     * Cancels first and closes after the tasks have ended: a task interrupted while Spark kills it is
     * reported as killed, one whose connection closes under it as failed (an error in the executor's log).
     */
    private static void cancel(JavaSparkContext sc, String group, JavaFutureAction<List<Integer>> job,
                               SocketChannel[] channels) {
        sc.cancelJobGroup(group);
        awaitQuietly(job);
        closeAll(channels);
    }

    private static void closeAll(SocketChannel[] channels) {
        for (SocketChannel c : channels) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing is all that is left to do with it
                }
            }
        }
    }

    private static void awaitQuietly(JavaFutureAction<List<Integer>> job) {
        try {
            job.get(END_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException ignored) {
            // a cancelled or failed segment's outcome is already known to the caller
        }
    }

    private static String failure(JavaFutureAction<List<Integer>> job) {
        try {
            job.get();
            return "its tasks returned";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException | RuntimeException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            String m = String.valueOf(c.getMessage());
            return m.lines().findFirst().orElse(m);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the workers to connect", e);
        }
    }
}
