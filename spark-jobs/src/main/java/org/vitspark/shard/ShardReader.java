package org.vitspark.shard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.augment.BatchMixing;
import org.vitspark.augment.Pixels;
import org.vitspark.data.image.CvDecoder;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.dino.PackedViews;
import org.vitspark.rng.Rng;
import org.vitspark.config.ReaderSettings;
import org.vitspark.rng.Purpose;

/**
 * Streams one worker's shards as ND4J minibatches. Per epoch the shard order and each shard's row order
 * are seeded permutations; every image is augmented with a generator derived from (seed, epoch, shard,
 * row), and batch mixing from (seed, epoch, position of the batch's first image), so the bytes of a batch
 * depend only on the settings, the epoch and the position, never on thread timing: a reader started at
 * a {@link DataPosition} yields exactly what an uninterrupted one yields from there.
 * <p>A producer thread loads the next shard while the current one is decoded, decodes and augments each
 * batch's images on a thread pool and keeps {@code prefetch} finished batches ahead of the consumer.
 */
public final class ShardReader implements AutoCloseable {

    private static final Object END = new Object();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShardReader.class);

    private final java.util.concurrent.atomic.AtomicLong badRecords = new java.util.concurrent.atomic.AtomicLong();
    private final ShardManifest manifest;
    private final ReaderSettings s;
    private final Configuration conf;
    private final List<ShardManifest.Shard> all;
    private final ExecutorService decoders;
    private final ExecutorService loader;
    private Thread producer;

    public ShardReader(ShardManifest manifest, ReaderSettings settings, Configuration conf) {
        this.manifest = manifest;
        this.s = settings;
        this.conf = conf;
        this.all = manifest.shards(settings.split());
        for (int i : settings.shards()) {
            if (i < 0 || i >= all.size()) {
                throw new IllegalArgumentException("shard " + i + " does not exist: split " + settings.split()
                        + " has " + all.size() + " shards");
            }
        }
        int threads = settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
        this.decoders = Executors.newFixedThreadPool(threads, daemon("vitspark-decode"));
        this.loader = Executors.newSingleThreadExecutor(daemon("vitspark-shard-load"));
    }

    /** Worker {@code worker}'s share of {@code shards} shards: every {@code workers}-th index. */
    public static List<Integer> share(int shards, int worker, int workers) {
        List<Integer> out = new ArrayList<>();
        for (int i = worker; i < shards; i += workers) {
            out.add(i);
        }
        return out;
    }

    /** Images this reader's shards hold. */
    public long images() {
        return s.shards().stream().mapToLong(i -> all.get(i).rows()).sum();
    }

    public long batchesPerEpoch() {
        long n = images();
        return s.dropLast() ? n / s.batch() : (n + s.batch() - 1) / s.batch();
    }

    /** The epoch's shard order: indices into the manifest's shard list. */
    int[] shardOrder(int epoch) {
        int[] order = s.shards().stream().mapToInt(Integer::intValue).toArray();
        if (s.shuffle()) {
            shuffle(order, Rng.of(s.seed(), epoch, Purpose.SHARD_ORDER.code));
        }
        return order;
    }

    private int[] rowOrder(int epoch, int shard, int rows) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        if (s.shuffle()) {
            shuffle(order, Rng.of(s.seed(), epoch, shard, Purpose.ROW_ORDER.code));
        }
        return order;
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The rest of {@code start}'s epoch, batch by batch. One epoch iterator at a time per reader. */
    public Iterator<ShardBatch> epoch(DataPosition start) {
        if (producer != null && producer.isAlive()) {
            producer.interrupt();
        }
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(s.prefetch());
        producer = daemon("vitspark-reader").newThread(() -> produce(start, queue));
        producer.start();
        return new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a batch", e);
                    }
                }
                if (next instanceof Throwable t) {
                    throw new IllegalStateException("shard reader failed: " + t.getMessage(), t);
                }
                return next != END;
            }

            @Override
            public ShardBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ShardBatch b = (ShardBatch) next;
                next = null;
                return b;
            }
        };
    }

    /** A shard's rows in this epoch's order, loaded on the loader thread. */
    private record Loaded(int shard, CompletableFuture<List<ShardRows.ImageRow>> rows) {
    }

    private Loaded load(int shard) {
        ShardManifest.Shard info = all.get(shard);
        return new Loaded(shard, CompletableFuture.supplyAsync(() -> {
            try {
                return ShardRows.read(manifest.path(info), conf, info.rows(), info.contentSha256());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, loader));
    }

    /** One image of a batch: where it is and its bytes. */
    private record Item(int shard, int row, ShardRows.ImageRow data) {
    }

    private void produce(DataPosition start, BlockingQueue<Object> queue) {
        try {
            int epoch = start.epoch();
            int[] order = shardOrder(epoch);
            int k = start.shard();
            int off = start.offset();
            Loaded current = k < order.length ? load(order[k]) : null;
            Loaded ahead = k + 1 < order.length ? load(order[k + 1]) : null;
            int[] rows = null;
            while (true) {
                int firstShard = k;
                int firstOffset = off;
                List<Item> items = new ArrayList<>(s.batch());
                while (items.size() < s.batch() && k < order.length) {
                    List<ShardRows.ImageRow> data = current.rows().get();
                    if (rows == null) {
                        rows = rowOrder(epoch, order[k], data.size());
                    }
                    if (off < data.size()) {
                        items.add(new Item(order[k], rows[off], data.get(rows[off])));
                        off++;
                    }
                    if (off >= data.size()) { // next shard; start loading the one after it
                        k++;
                        off = 0;
                        rows = null;
                        current = ahead;
                        ahead = k + 1 < order.length ? load(order[k + 1]) : null;
                    }
                }
                if (items.isEmpty() || (s.dropLast() && items.size() < s.batch())) {
                    queue.put(END);
                    return;
                }
                ShardBatch batch = assemble(epoch, firstShard, firstOffset, items, new DataPosition(epoch, k, off));
                if (batch != null) { // null: every row of it was left out (data.bad-records = skip)
                    queue.put(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            queue.offer(t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t);
        }
    }

    /** What a decoder returns for a row it leaves out (data.bad-records = skip). */
    private static final Object SKIPPED = new Object();

    /**
     * A row that cannot be used: with data.bad-records = fail an error naming shard, row and key; with skip it
     * is logged, counted and left out of its batch. The decision depends on the row alone, so a resumed or
     * retried epoch leaves out the same rows.
     */
    private Object badRecord(Item it, String reason) throws IOException {
        String where = "shard " + all.get(it.shard()).file() + " row " + it.row() + " (key " + it.data().key() + ")";
        if (!s.skipBadRecords()) {
            throw new IOException(where + ": " + reason + "; data.bad-records = skip leaves such images out");
        }
        badRecords.incrementAndGet();
        LOG.warn("skipping {}: {}", where, reason);
        return SKIPPED;
    }

    /** Rows this reader left out so far (data.bad-records = skip). */
    public long badRecords() {
        return badRecords.get();
    }

    /** The batch of {@code items}, or null when every row was left out. */
    private ShardBatch assemble(int epoch, int firstShard, int firstOffset, List<Item> all0, DataPosition next)
            throws InterruptedException, ExecutionException, IOException {
        // one row per image: the augmented image, or DINO's views of it packed side by side
        int per = s.views() != null ? s.dino().packedLength(s.channels()) : s.channels() * s.imageSize() * s.imageSize();
        List<Future<Object>> futures = new ArrayList<>(all0.size());
        for (Item it : all0) {
            futures.add(decoders.submit(() -> {
                if (it.data().bad() != null) {
                    return badRecord(it, it.data().bad());
                }
                Pixels p;
                try {
                    p = CvDecoder.decode(it.data().image(), s.channels());
                } catch (IllegalArgumentException e) {
                    return badRecord(it, "it does not decode (" + e.getMessage() + ")");
                }
                SplittableRandom r = Rng.of(s.seed(), epoch, it.shard(), it.row(), Purpose.AUGMENT.code);
                if (s.views() == null) {
                    return s.pipeline().apply(p, s.imageSize(), r);
                }
                float[] row = new float[per];
                PackedViews.pack(s.views().apply(p, r), s.dino(), s.channels(), row, 0);
                return row;
            }));
        }
        List<Item> items = new ArrayList<>(all0.size());
        List<Object> decoded = new ArrayList<>(all0.size());
        for (int i = 0; i < all0.size(); i++) {
            Object done = futures.get(i).get();
            if (done != SKIPPED) {
                items.add(all0.get(i));
                decoded.add(done);
            }
        }
        int n = items.size();
        if (n == 0) {
            return null;
        }
        Pixels[] images = new Pixels[n];
        float[] flat = new float[n * per];
        float[][] targets = new float[n][s.classes()];
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object done = decoded.get(i);
            if (done instanceof Pixels p) {
                images[i] = p;
            } else {
                System.arraycopy((float[]) done, 0, flat, i * per, per);
            }
            int label = items.get(i).data().label();
            if (label < 0 || label >= s.classes()) {
                throw new IOException("image " + items.get(i).data().key() + " has label " + label + ", the model has "
                        + s.classes() + " classes");
            }
            targets[i][label] = 1f;
            keys.add(items.get(i).data().key());
        }
        if (s.views() != null) {
            return new ShardBatch(new DataSet(Nd4j.create(flat, new long[] {n, per}, 'c'), Nd4j.create(targets)),
                    keys, null, next);
        }
        SplittableRandom r = s.mixup() > 0 || s.cutmix() > 0
                ? Rng.of(s.seed(), epoch, firstShard, firstOffset, Purpose.MIX.code) : null;
        BatchMixing.Batch mixed = BatchMixing.apply(images, targets, s.mixup(), s.cutmix(), s.mixProb(), s.patch(),
                s.patchTargets(), r);
        images = mixed.images();
        for (int i = 0; i < n; i++) {
            System.arraycopy(images[i].data(), 0, flat, i * per, per);
        }
        DataSet ds = new DataSet(Nd4j.create(flat, new long[] {n, s.channels(), s.imageSize(), s.imageSize()}, 'c'),
                Nd4j.create(mixed.labels()));
        return new ShardBatch(ds, keys, mixed.patchFromPartner(), next);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.interrupt();
        }
        decoders.shutdownNow();
        loader.shutdownNow();
    }
}
