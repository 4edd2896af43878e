package org.vitspark.model.ops;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the host kernels work on: the native (off-heap) float memory of c-contiguous CPU arrays, read and
 * written in place through direct buffers (heap copies cost more than the kernels: allocating and zeroing
 * a 1.6 MB array took 9× the time of the loop over it), handed to BLAS as pointers, and a parallel-for
 * over row ranges sized like ND4J's thread pool (backend.omp-threads).
 */
final class Host {

    /** The loop body over rows [from, to) of chunk number {@code chunk} (0 ≤ chunk < {@link #chunks}). */
    @FunctionalInterface
    interface Rows {
        void run(int chunk, int from, int to);
    }

    private static volatile ExecutorService pool;
    private static volatile int poolThreads;

    private Host() {
    }

    /** The array's elements in c order as a direct buffer over its own memory (position 0, its length). */
    static FloatBuffer buf(INDArray x) {
        if (!cContiguous(x)) {
            throw new IllegalArgumentException("host kernels need c-contiguous arrays, got shape "
                    + java.util.Arrays.toString(x.shape()) + " strides " + java.util.Arrays.toString(x.stride()));
        }
        FloatBuffer all = x.data().asNioFloat();
        long off = x.offset();
        if (off == 0 && all.capacity() == x.length()) {
            return all;
        }
        return all.position((int) off).limit((int) (off + x.length())).slice();
    }

    /**
     * Copies the array's elements into {@code dst} (from index 0), keeping the array reachable until the
     * copy ends: one-shot reads of a kernel's small operands (gamma, a bias) go through here, not through
     * a {@link #buf} the caller would have to {@link #keep}.
     */
    static void read(INDArray x, float[] dst) {
        buf(x).get(0, dst);
        keep(x);
    }

    /**
     * Copies {@code src} into the array's elements (from index 0), keeping the array reachable until the
     * copy ends. An output the caller does not hold (a temporary gradient) would otherwise be freed
     * before the write, which then lands in memory malloc has handed on or put on its free lists (the
     * heap corruption that aborted a CI run: "malloc(): unsorted double linked list corrupted").
     */
    static void write(INDArray x, float[] src) {
        buf(x).put(0, src);
        keep(x);
    }

    /**
     * Keeps arrays strongly reachable up to this call. A buffer from {@link #buf} does not reference its
     * INDArray, and ND4J's deallocator thread frees the native memory of an array the collector found
     * unreachable, so a kernel whose caller dropped its input (a temporary gradient, say) could read freed
     * memory mid-loop. Every kernel calls this after its last buffer access, on every array it touched.
     */
    static void keep(Object... arrays) {
        Reference.reachabilityFence(arrays);
    }

    /** Elements laid out densely in c order (strides of size-1 dimensions do not matter). */
    static boolean cContiguous(INDArray x) {
        long[] shape = x.shape();
        long[] stride = x.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** A BLAS pointer to the array's first element. */
    static FloatPointer ptr(INDArray x) {
        return new FloatPointer(buf(x));
    }

    static int threads() {
        return Math.max(1, Nd4j.getEnvironment().maxThreads());
    }

    /** How many chunks {@link #parallel} splits n rows into. */
    static int chunks(int n) {
        return Math.max(1, Math.min(threads(), n));
    }

    /**
     * Runs {@code body} over [0, n) split into one contiguous chunk per thread (the caller runs the first);
     * chunks never share rows, so bodies write disjoint output.
     */
    static void parallel(int n, Rows body) {
        int t = chunks(n);
        if (t <= 1) {
            body.run(0, 0, n);
            return;
        }
        ExecutorService p = pool(t);
        List<Future<?>> rest = new ArrayList<>(t - 1);
        for (int i = 1; i < t; i++) {
            int chunk = i;
            int from = (int) ((long) n * i / t);
            int to = (int) ((long) n * (i + 1) / t);
            rest.add(p.submit(() -> body.run(chunk, from, to)));
        }
        Throwable failure = null;
        try {
            body.run(0, 0, (int) ((long) n / t));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Every chunk must have finished before this returns or throws: the caller's arrays may become
        // unreachable (and their memory freed) as soon as it does, while a chunk still reads them.
        boolean interrupted = false;
        for (Future<?> f : rest) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** The element-wise sum of per-chunk partial results (null entries skipped). */
    static float[] addUp(float[][] parts, int d) {
        float[] out = new float[d];
        for (float[] p : parts) {
            if (p != null) {
                for (int j = 0; j < d; j++) {
                    out[j] += p[j];
                }
            }
        }
        return out;
    }

    private static ExecutorService pool(int t) {
        ExecutorService p = pool;
        if (p == null || poolThreads < t - 1) {
            synchronized (Host.class) {
                if (pool == null || poolThreads < t - 1) {
                    ExecutorService old = pool;
                    pool = Executors.newFixedThreadPool(t - 1, r -> {
                        Thread th = new Thread(r, "vitspark-host-kernel");
                        th.setDaemon(true);
                        return th;
                    });
                    poolThreads = t - 1;
                    if (old != null) {
                        old.shutdown();
                    }
                }
                p = pool;
            }
        }
        return p;
    }
}
