package org.vitspark.model.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reuses the activation arrays of one training step in the next. A fresh native array costs far more
 * than the kernels that fill it (a new 1.6 MB ND4J array took 0.9 ms on this machine kind, page faults
 * on untouched memory, against 0.06 ms for a pass over it), and a step allocates the same sequence of
 * shapes every time, so the n-th request of a generation gets the n-th array of the previous one.
 *
 * <p>Lifetime rule: {@link #reset()} starts a generation and makes every array handed out before it
 * reusable. The owner (the DL4J layer) resets only when it drops the forward pass those arrays belong
 * to, and copies whatever leaves it (probabilities, scores). Code that holds passes itself (diagnostics,
 * {@code TransformerNet} called directly) runs without an arena and gets fresh arrays.
 *
 * <p>Ops allocate through {@link #uninitialized}; it uses the arena entered on this thread, if any,
 * else allocates normally. Allocation happens on the calling thread only, never inside {@link Host#parallel}.
 */
public final class Arena {

    private static final ThreadLocal<Arena> CURRENT = new ThreadLocal<>();

    /** Leaves the arena on close; restores the one entered before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private final List<INDArray> slots = new ArrayList<>();
    private int next;
    private long fresh;

    /** Starts a new generation: arrays handed out so far may be handed out again. */
    public void reset() {
        next = 0;
    }

    /** Makes this the arena of the current thread until the scope closes. */
    public Scope enter() {
        Arena previous = CURRENT.get();
        CURRENT.set(this);
        return () -> CURRENT.set(previous);
    }

    /** Arrays allocated from the backend so far (not reused): stays flat once steps repeat. */
    public long freshAllocations() {
        return fresh;
    }

    /** An uninitialised c-order array: from the current thread's arena, else a new one. */
    public static INDArray uninitialized(DataType type, long... shape) {
        Arena a = CURRENT.get();
        return a == null ? Nd4j.createUninitialized(type, shape) : a.take(type, shape);
    }

    /** A dense c-order copy of {@code x} (e.g. of a permuted or strided view). */
    public static INDArray copyOf(INDArray x) {
        return uninitialized(x.dataType(), x.shape()).assign(x);
    }

    /** A zero-filled array. */
    public static INDArray zeros(DataType type, long... shape) {
        return uninitialized(type, shape).assign(0);
    }

    private INDArray take(DataType type, long[] shape) {
        if (next < slots.size()) {
            INDArray old = slots.get(next);
            if (old.dataType() == type && Arrays.equals(old.shape(), shape)) {
                next++;
                return old;
            }
        }
        INDArray a;
        // Outside any ND4J workspace: the slot outlives the step whose workspace may be current now.
        try (MemoryWorkspace w = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            a = Nd4j.createUninitialized(type, shape);
        }
        fresh++;
        if (next < slots.size()) {
            slots.set(next, a);
        } else {
            slots.add(a);
        }
        next++;
        return a;
    }
}
